/** The startEmbeddedMongo option that sets the TTL monitor's interval in milliseconds. */
export const TTL_OPTION = 'ttlMonitorIntervalMS';
