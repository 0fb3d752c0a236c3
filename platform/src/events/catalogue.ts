// The event catalogue: the union of the seeds' webhook events (000, 001, 002, 003). Each entry says
// which document promised it, when it fires, the GraphQL enum spelling, and an example of its
// `data` — the README's catalogue table is this file. Events of domains not built yet are listed
// so endpoints can subscribe to them now; they start flowing when their domain writes them.

export const EVENT_TYPES = [
  'resource.created',
  'resource.updated',
  'job.completed',
  'file.created',
  'file.deleted',
  'file.shared',
  'user.authenticated',
  'user.mfa_failed',
  'report.generated',
  'user.created',
  'user.deleted',
  'order.created',
  'order.status_changed',
  'order.shipped',
  'product.out_of_stock',
  'payment.failed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface EventTypeDefinition {
  type: EventType;
  /** Which seed documents it: `000` … `003`. */
  seeds: string[];
  /** The domain (subgraph) that writes it. */
  domain: 'cloud' | 'analytics' | 'files' | 'auth' | 'commerce';
  triggeredWhen: string;
  /** What `data` carries (documentation, also shown in the README). */
  payload: Record<string, unknown>;
}

const order = { id: 'ord_def456', status: 'pending', user_id: 'usr_abc123', total: 89.98, currency: 'EUR', items: ['…'], created_at: '2024-11-01T14:22:00Z' };
const user = { id: 'usr_abc123', email: 'alice@example.com', name: 'Alice Martin', status: 'active', plan: 'pro', created_at: '2024-01-15T10:30:00Z', metadata: {} };
const product = { id: 'prd_xyz789', name: 'Pro Widget', sku: 'WGT-PRO-001', price: 49.99, currency: 'USD', category: 'widgets', stock: 0, status: 'active', created_at: '2024-03-01T00:00:00Z' };

export const EVENT_CATALOGUE: Record<EventType, EventTypeDefinition> = {
  'resource.created': { type: 'resource.created', seeds: ['000', '002'], domain: 'cloud', triggeredWhen: 'A cloud resource is created', payload: { resource_id: 'res_123', name: 'my-resource', type: 'compute', size: 'medium', region: 'us-west', status: 'creating' } },
  'resource.updated': { type: 'resource.updated', seeds: ['002'], domain: 'cloud', triggeredWhen: 'A resource changes (status, tags, size)', payload: { resource_id: 'res_123', name: 'production-server', type: 'instance', status: 'running', changes: ['status'] } },
  'job.completed': { type: 'job.completed', seeds: ['000'], domain: 'analytics', triggeredWhen: 'An analytics job finishes', payload: { job_id: 'job_123', dataset_id: 'dataset-123', analysis_type: 'prediction', status: 'completed' } },
  'file.created': { type: 'file.created', seeds: ['001'], domain: 'files', triggeredWhen: 'New file uploaded', payload: { file_id: 'file_abc123', name: 'document.pdf' } },
  'file.deleted': { type: 'file.deleted', seeds: ['001'], domain: 'files', triggeredWhen: 'File deleted', payload: { file_id: 'file_abc123', name: 'document.pdf', deleted_at: '2024-01-15T11:30:00Z' } },
  'file.shared': { type: 'file.shared', seeds: ['001'], domain: 'files', triggeredWhen: 'File sharing updated', payload: { file_id: 'file_abc123', name: 'document.pdf', email: 'recipient@example.com', permissions: 'view', expires_at: '2024-02-15T00:00:00Z' } },
  'user.authenticated': { type: 'user.authenticated', seeds: ['001'], domain: 'auth', triggeredWhen: 'User login (password, TOTP or OTP verified)', payload: { user_id: 'user_123', method: 'totp', timestamp: '2024-01-15T12:00:00Z' } },
  'user.mfa_failed': { type: 'user.mfa_failed', seeds: ['001'], domain: 'auth', triggeredWhen: 'Failed MFA attempt', payload: { user_id: 'user_123', method: 'totp', timestamp: '2024-01-15T12:00:00Z' } },
  'report.generated': { type: 'report.generated', seeds: ['001'], domain: 'analytics', triggeredWhen: 'Scheduled report ready', payload: { report_id: 'rpt_123', dashboard_id: 'dash_123', format: 'json' } },
  'user.created': { type: 'user.created', seeds: ['003'], domain: 'commerce', triggeredWhen: 'New user is created', payload: user },
  'user.deleted': { type: 'user.deleted', seeds: ['003'], domain: 'commerce', triggeredWhen: 'User is deleted (soft delete)', payload: { ...user, deleted_at: '2024-11-02T09:00:00Z' } },
  'order.created': { type: 'order.created', seeds: ['003'], domain: 'commerce', triggeredWhen: 'New order is placed', payload: order },
  'order.status_changed': { type: 'order.status_changed', seeds: ['003'], domain: 'commerce', triggeredWhen: 'Order status transitions', payload: { ...order, status: 'confirmed', previous_status: 'pending' } },
  'order.shipped': { type: 'order.shipped', seeds: ['003'], domain: 'commerce', triggeredWhen: 'Tracking number assigned', payload: { ...order, status: 'shipped', tracking_number: '1Z999AA10123456784' } },
  'product.out_of_stock': { type: 'product.out_of_stock', seeds: ['003'], domain: 'commerce', triggeredWhen: 'Stock reaches 0', payload: product },
  'payment.failed': { type: 'payment.failed', seeds: ['003'], domain: 'commerce', triggeredWhen: 'Payment attempt fails', payload: { ...order, failure_reason: 'card_declined' } },
};

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** GraphQL enum spelling: `order.status_changed` ↔ `ORDER_STATUS_CHANGED`. */
export function eventTypeToEnum(type: EventType): string {
  return type.replace('.', '_').toUpperCase();
}

export function eventTypeFromEnum(value: string): EventType | undefined {
  return EVENT_TYPES.find((t) => eventTypeToEnum(t) === value);
}

/** The entity key an event carries (for `orderUpdated(id)`-style subscriptions), by convention the
 * `id` or `<kind>_id` field of its data. */
export function eventEntityId(data: Record<string, unknown>): string | undefined {
  for (const key of ['id', 'resource_id', 'file_id', 'job_id', 'report_id', 'user_id']) {
    const v = data[key];
    if (typeof v === 'string') return v;
  }
  return undefined;
}
