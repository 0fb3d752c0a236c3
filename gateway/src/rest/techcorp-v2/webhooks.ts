// Seed 003's /v2/webhooks, appended to the TechCorp API v2.0.3 table (its error format).
import { webhookRoutes } from '../shared/webhookRoutes.js';

export const techcorpV2WebhookRoutes = webhookRoutes({ base: '/webhooks', name: 'TechCorpV2', list: (items) => ({ data: items }) });
