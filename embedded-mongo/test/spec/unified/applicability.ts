/**
 * Decides whether a spec file or test applies to the embedded server, and if not, why.
 * The server is treated as MongoDB 7.0.0, a one-member replica set, not serverless, without
 * authentication or client-side encryption.
 */
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

/** Returns null when at least one requirement is met, else the reason the first one fails. */
export function unmetRequirements(reqs: RunOnRequirement[] | undefined): string | null {
  if (!reqs || reqs.length === 0) return null;
  const reasons = reqs.map(requirementFailure);
  if (reasons.some((r) => r === null)) return null;
  return reasons.join('; or ');
}

function requirementFailure(r: RunOnRequirement): string | null {
  if (r.minServerVersion && compareVersions(SERVER_VERSION, r.minServerVersion) < 0)
    return `requires server ≥ ${r.minServerVersion} (embedded server behaves as ${SERVER_VERSION})`;
  if (r.maxServerVersion && compareVersions(SERVER_VERSION, r.maxServerVersion) > 0)
    return `tests behaviour of servers ≤ ${r.maxServerVersion} (embedded server behaves as ${SERVER_VERSION})`;
  if (r.topologies && !r.topologies.includes(TOPOLOGY))
    return `requires topology ${r.topologies.join('/')} (embedded server is a one-member replica set)`;
  if (r.serverless === 'require') return 'requires a serverless deployment';
  if (r.auth === true || r.authMechanism) return 'requires authentication (embedded server has none)';
  if (r.csfle) return 'requires client-side field level encryption';
  if (r.serverParameters && Object.keys(r.serverParameters).length > 0)
    return `requires server parameters ${JSON.stringify(r.serverParameters)}`;
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

interface SpecOperation { name: string; object: string; arguments?: Record<string, unknown> }

/** Operations and arguments that exercise features a single-node dev server deliberately lacks. */
export function unsupportedFeature(ops: SpecOperation[], opts: { failPoints: ReadonlySet<string> }): string | null {
  for (const op of ops) {
    const fpName = (op.arguments?.failPoint as { configureFailPoint?: string } | undefined)?.configureFailPoint;
    if (op.name === 'failPoint' && !opts.failPoints.has(fpName ?? ''))
      return `uses the ${fpName} fail point, which this server does not offer`;
    if (op.name === 'targetedFailPoint') return 'targets a fail point at a mongos (sharded clusters only)';
    if (op.name === 'clientBulkWrite') return 'client-level bulkWrite command (MongoDB 8.0+)';
    if (op.arguments && 'rawData' in op.arguments) return 'rawData (time-series bucket access, MongoDB 8.2+)';
    if (op.name === 'withTransaction' && Array.isArray(op.arguments?.callback)) {
      const inner = unsupportedFeature(op.arguments.callback as SpecOperation[], opts);
      if (inner) return inner;
    }
  }
  return null;
}
