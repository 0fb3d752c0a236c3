// Sends one generated request and judges the answer: no 5xx, no lost connection, the refusal in
// its surface's documented format. Counts what it sees and records what is wrong as findings.
import { answerProblems } from './errorShape.js';
import { rawRequest, type RawRequest, type RawResponse } from './rawRequest.js';
import type { Finding } from './ReliabilityReport.js';
import { surfaceOf } from './routeInventory.js';

export interface ProbeStats {
  tried: number;
  /** 4xx answers. */
  refused: number;
  /** 1xx-3xx answers. */
  accepted: number;
  /** Refused by Node's HTTP parser before junction saw it (no X-Request-Id): 400/431. */
  parserRefusals: number;
  byStatus: Record<string, number>;
}

export const newStats = (): ProbeStats => ({ tried: 0, refused: 0, accepted: 0, parserRefusals: 0, byStatus: {} });

export function describeRequest(r: RawRequest): string {
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : `<${r.body.length} bytes: ${r.body.toString('latin1')}>`;
  const headers = Object.entries(r.headers)
    .filter(([k]) => k !== 'content-length')
    .map(([k, v]) => `${k}: ${String(v).slice(0, 80)}`)
    .join('; ');
  return `${r.method} ${r.path.slice(0, 160)}${r.path.length > 160 ? `…(${r.path.length})` : ''} [${headers}] ${body.slice(0, 160)}${body.length > 160 ? `…(${body.length})` : ''}`;
}

export async function probe(baseUrl: string, request: RawRequest & { target: string }, stats: ProbeStats, findings: Finding[]): Promise<RawResponse | undefined> {
  stats.tried++;
  let answer: RawResponse;
  try {
    answer = await rawRequest(baseUrl, request);
  } catch (error) {
    findings.push({ where: request.target, input: describeRequest(request), what: `no HTTP answer: ${(error as Error).message}` });
    return undefined;
  }
  stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
  if (answer.status >= 400 && answer.status < 500) stats.refused++;
  else if (answer.status < 400) stats.accepted++;
  if (!answer.headers['x-request-id'] && (answer.status === 400 || answer.status === 431) && answer.status < 500) {
    stats.parserRefusals++;
    return answer;
  }
  const host = typeof request.headers.host === 'string' ? request.headers.host : undefined;
  const surface = surfaceOf(request.method, host, request.path);
  const problems = answerProblems(surface, { method: request.method, status: answer.status, headers: answer.headers, text: answer.text });
  if (problems.length > 0) findings.push({ where: request.target, input: describeRequest(request), what: `${answer.status}: ${problems.join('; ')} — body ${answer.text.slice(0, 200)}` });
  return answer;
}
