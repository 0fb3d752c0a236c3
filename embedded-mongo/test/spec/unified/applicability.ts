/**
 * Decides whether a spec file or test applies to the embedded server, and if not, why.
 * The server is treated as MongoDB 7.0.0, a one-member replica set, not serverless, without
 * authentication or client-side encryption. Everything else runs and must pass.
 */
import type { SpecFile, SpecTest } from './runUnifiedTest.js';

export const SERVER_VERSION = '7.0.0';
export const TOPOLOGY = 'replicaset';

export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  serverParameters?: Record<string, unknown>;
  auth?: boolean;
  authMechanism?: string;
  csfle?: unknown;
}

/** Why a test is skipped: a group (for the totals) and the precise reason (for the test's name). */
export interface NotApplicable {
  group: 'skipped by the spec' | 'newer server' | 'older server' | 'topology' | 'deployment' | 'driver-internal events' | 'Node.js driver deviation';
  reason: string;
}

/**
 * Why a test does not apply to this server, or null when it must run and pass. Decided from the
 * spec file alone, before touching the server: the spec's own skipReason, the file's and the
 * test's runOnRequirements, assertions on driver-internal (cmap/sdam) events, and last a known
 * Node.js driver deviation (by exact test name).
 */
export function notApplicable(file: SpecFile, test: SpecTest, driverDeviations: Readonly<Record<string, string>>): NotApplicable | null {
  if (test.skipReason) return { group: 'skipped by the spec', reason: `skipped by the spec itself: ${test.skipReason}` };
  const unmet = unmetRequirements(file.runOnRequirements) ?? unmetRequirements(test.runOnRequirements);
  if (unmet) return unmet;
  for (const e of test.expectEvents ?? [])
    if (e.eventType && e.eventType !== 'command')
      return { group: 'driver-internal events', reason: `asserts ${e.eventType} events (driver connection-pool/topology internals, not server behaviour)` };
  const deviation = driverDeviations[test.description];
  return deviation ? { group: 'Node.js driver deviation', reason: deviation } : null;
}

/** Null when at least one requirement is met, else why none is (the first one's group). */
export function unmetRequirements(reqs: RunOnRequirement[] | undefined): NotApplicable | null {
  if (!reqs || reqs.length === 0) return null;
  const failures = reqs.map(requirementFailure);
  if (failures.some((f) => f === null)) return null;
  return { group: failures[0]!.group, reason: failures.map((f) => f!.reason).join('; or ') };
}

function requirementFailure(r: RunOnRequirement): NotApplicable | null {
  if (r.minServerVersion && compareVersions(SERVER_VERSION, r.minServerVersion) < 0)
    return { group: 'newer server', reason: `requires server ≥ ${r.minServerVersion} (embedded server behaves as ${SERVER_VERSION})` };
  if (r.maxServerVersion && compareVersions(SERVER_VERSION, r.maxServerVersion) > 0)
    return { group: 'older server', reason: `tests behaviour of servers ≤ ${r.maxServerVersion} (embedded server behaves as ${SERVER_VERSION})` };
  if (r.topologies && !r.topologies.includes(TOPOLOGY))
    return { group: 'topology', reason: `requires topology ${r.topologies.join('/')} (embedded server is a one-member replica set)` };
  if (r.serverless === 'require') return { group: 'deployment', reason: 'requires a serverless deployment' };
  if (r.auth === true || r.authMechanism) return { group: 'deployment', reason: 'requires authentication (embedded server has none)' };
  if (r.csfle) return { group: 'deployment', reason: 'requires client-side field level encryption' };
  if (r.serverParameters && Object.keys(r.serverParameters).length > 0)
    return { group: 'deployment', reason: `requires server parameters ${JSON.stringify(r.serverParameters)}` };
  return null;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
