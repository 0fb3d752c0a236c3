// Process entry: the benchmark's four subgraphs on one port; prints `LISTENING <url>`.
import { loadBenchmarkFiles } from './benchmarkData.js';
import { buildBenchmarkSubgraphs } from './benchmarkSubgraphs.js';
import { startBenchmarkSubgraphServer } from './benchmarkSubgraphServer.js';

const files = loadBenchmarkFiles();
if ('missing' in files) {
  console.error(files.missing);
  process.exit(2);
}
const server = await startBenchmarkSubgraphServer(buildBenchmarkSubgraphs(files.data), {
  port: Number(process.env.PORT ?? 0),
});
console.log(`LISTENING ${server.url}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
