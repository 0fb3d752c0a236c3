// `npm start`: the whole of junction in one process tree, or with `--only <part>` one part of it
// (production layout). `--supergraph <file>` picks the composed schema the gateway serves.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadEnv } from '../../platform/src/env.js';
import { createLogger } from '../../platform/src/logger.js';
import { startJunction } from './startJunction.js';
import { supergraphFile as supergraphFileDefault } from './compose.js';
import { subgraphs } from './subgraphRegistry.js';
import { restApis } from '../../gateway/src/rest/apis.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, supergraph: { type: 'string' } }, strict: true });
  // Default: the committed supergraph, wherever junction is started from.
  const supergraphFile = values.supergraph ? path.resolve(values.supergraph) : supergraphFileDefault;
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`junction: invalid configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(env.logLevel);
  const started = Date.now();
  logger.banner(`junction starting${values.only ? ` (--only ${values.only})` : ''}`);
  const junction = await startJunction({ env, logger, modules: subgraphs, restApis, only: values.only, supergraphFile });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: the user does not want to wait.
      logger.banner(`${signal} again: exiting now.`);
      process.exit(130);
    }
    stopping = true;
    logger.banner(`\n${signal}: finishing in-flight requests and stopping…`);
    // Never hang: past the grace period plus time to flush, give up loudly.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, env.shutdownGraceMs + 15_000).unref();
    junction.stop().then(
      () => {
        logger.banner('stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const gw = junction.gateway;
  logger.banner(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (gw) {
    logger.banner(`  GraphQL + Apollo Sandbox  ${gw.url}/graphql`);
    for (const api of restApis) logger.banner(`  REST ${api.name.padEnd(20)} ${api.prefixes.map((p) => gw.url + p).join(', ')}`);
    logger.banner(`  health                    ${gw.url}/health`);
  }
  const boot = junction.bootstrap;
  if (boot?.demoKey) {
    logger.banner(`\n  demo API key (shown once, also saved in ${boot.demoKeyFile}):\n    ${boot.demoKey}`);
    logger.banner(`  try: curl -H "Authorization: Bearer ${boot.demoKey}" ${gw?.url ?? ''}/graphql -H 'content-type: application/json' -d '{"query":"{ viewer { id name plan } }"}'`);
  } else if (gw && !values.only && !env.adminApiKey) {
    logger.banner(`  API key: see ${env.dataDir}/demo-api-key.txt (or create one: npm run apikey -- create --type live --plan pro)`);
  }
  logger.banner('\nPress Ctrl-C to stop.');
}

main().catch((error: unknown) => {
  console.error(`junction: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
