import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedProcess, tsxArgs } from '../lib/ManagedProcess.js';
import { loadBenchmarkFiles, repoRoot, withSubgraphBaseUrl, type BenchmarkFiles } from './benchmarkData.js';
import { apolloGateway } from './systems/apolloGateway.js';
import type { FederationContext, RunningSystem } from './systems/FederationSystem.js';

export interface FederationFixture {
  files: BenchmarkFiles;
  ctx: FederationContext;
  subgraphs: ManagedProcess;
  /** The request body every load sends. */
  body: string;
  /** JSON file with the expected `data`. */
  expectedFile: string;
  close(): Promise<void>;
}

export async function firstAnswer(system: RunningSystem, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(system.url, { method: 'POST', headers: { 'content-type': 'application/json', ...system.headers }, body });
  return { status: res.status, text: await res.text() };
}

/**
 * Starts the benchmark's subgraphs, writes the supergraph pointing at them and the expected
 * answer: plain @apollo/gateway's (the reference Federation implementation), checked for sanity.
 */
export async function startFederationFixture(): Promise<FederationFixture | { missing: string }> {
  const files = loadBenchmarkFiles();
  if ('missing' in files) return files;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'junction-bench-'));
  const subgraphs = new ManagedProcess('subgraphs', process.execPath, tsxArgs(path.join(repoRoot, 'bench/src/federation/subgraphsMain.ts')));
  let database: Promise<{ uri: string; process: ManagedProcess }> | undefined;
  const startDatabase = async (): Promise<{ uri: string; process: ManagedProcess }> => {
    const proc = new ManagedProcess('embedded-mongo', process.execPath, tsxArgs(path.join(repoRoot, 'bench/src/lib/embeddedMongoMain.ts'), [path.join(workDir, 'db')]));
    const [, uri] = await proc.waitForLine(/LISTENING (\S+)/);
    return { uri: uri!, process: proc };
  };
  const close = async (): Promise<void> => {
    if (database) await (await database.catch(() => undefined))?.process.stop();
    await subgraphs.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const [, subgraphUrl] = await subgraphs.waitForLine(/LISTENING (\S+)/);
    const supergraphFile = path.join(workDir, 'supergraph.graphql');
    writeFileSync(supergraphFile, withSubgraphBaseUrl(files.supergraphSdl, subgraphUrl!));
    const ctx: FederationContext = { supergraphFile, workDir, repoRoot, database: () => (database ??= startDatabase()) };
    const body = JSON.stringify({ query: files.query, operationName: 'TestQuery' });
    const reference = await apolloGateway.start(ctx);
    const first = await firstAnswer(reference, body).finally(() => reference.stop());
    const expected = JSON.parse(first.text) as { data?: { users?: unknown[]; topProducts?: unknown[] }; errors?: unknown };
    if (first.status !== 200 || expected.errors || expected.data?.users?.length !== files.data.users.length || expected.data?.topProducts?.length !== 5) {
      throw new Error(`reference answer is not sane: ${first.status} ${first.text.slice(0, 500)}`);
    }
    const expectedFile = path.join(workDir, 'expected.json');
    writeFileSync(expectedFile, JSON.stringify(expected.data));
    return { files, ctx, subgraphs, body, expectedFile, close };
  } catch (error) {
    await close();
    throw error;
  }
}
