import type { ManagedProcess } from '../../lib/ManagedProcess.js';

export interface FederationContext {
  /** Supergraph file whose subgraph URLs point at the bench's subgraphs. */
  supergraphFile: string;
  /** A scratch directory for config files. */
  workDir: string;
  repoRoot: string;
  /** Extra node flags for the gateway process (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /** junction's database (embedded MongoDB in its own process), started on first use. */
  database(): Promise<{ uri: string; process: ManagedProcess }>;
}

export interface RunningSystem {
  /** The GraphQL endpoint to POST the query to. */
  url: string;
  /** Headers every request must carry (e.g. junction's API key). */
  headers: Record<string, string>;
  /** The gateway's process first; the others (its database) are sampled separately. */
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

/** One gateway configuration measured by the federation scenario. */
export interface FederationSystem {
  id: string;
  label: string;
  /** Worker processes serving requests (1 unless forked/clustered). */
  workers: number;
  /** Whether identical in-flight requests are merged. */
  merging: boolean;
  start(ctx: FederationContext): Promise<RunningSystem>;
}
