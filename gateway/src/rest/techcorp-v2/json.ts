// GraphQL selections of the commerce graph and their mapping to TechCorp API v2.0.3's JSON
// (snake_case, as the seed shows). The subgraph already formats timestamps and money.
import { JunctionError } from '../../../../platform/src/errors.js';
import { jsonObject, type Json } from '../shared/jsonObject.js';

export const USER_FIELDS = `fragment UserFields on User { id email name status plan metadata { key value } createdAt }`;
export const PRODUCT_FIELDS = `fragment ProductFields on Product { id name sku price currency category stock status description createdAt }`;
export const ORDER_FIELDS = `fragment OrderFields on Order {
  id status userId total currency
  items { productId name sku quantity unitPrice subtotal }
  shippingAddress { line1 line2 city state postalCode country }
  trackingNumber cancellationReason createdAt updatedAt
}`;

export function userJson(value: unknown): Json {
  const u = jsonObject(value);
  const metadata: Record<string, unknown> = {};
  for (const entry of (u.metadata as Json[] | undefined) ?? []) metadata[String(entry.key)] = entry.value;
  return { id: u.id, email: u.email, name: u.name, status: u.status, plan: u.plan, created_at: u.createdAt, metadata };
}

export function productJson(value: unknown): Json {
  const p = jsonObject(value);
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    price: p.price,
    currency: p.currency,
    category: p.category,
    stock: p.stock,
    status: p.status,
    description: p.description,
    created_at: p.createdAt,
  };
}

export function orderJson(value: unknown): Json {
  const o = jsonObject(value);
  const address = o.shippingAddress as Json | null | undefined;
  return {
    id: o.id,
    status: o.status,
    user_id: o.userId,
    total: o.total,
    currency: o.currency,
    items: ((o.items as Json[] | undefined) ?? []).map((item) => ({
      product_id: item.productId,
      name: item.name,
      sku: item.sku,
      quantity: item.quantity,
      unit_price: item.unitPrice,
      subtotal: item.subtotal,
    })),
    shipping_address: address
      ? { line1: address.line1, line2: address.line2, city: address.city, state: address.state, postal_code: address.postalCode, country: address.country }
      : null,
    tracking_number: o.trackingNumber,
    cancellation_reason: o.cancellationReason,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

export function page(value: unknown, item: (v: unknown) => Json): Json {
  const p = jsonObject(value);
  return { data: ((p.data as unknown[] | undefined) ?? []).map(item), pagination: p.pagination };
}

/** A null entity from a by-id query is the documented 404, e.g. "User usr_abc123 does not exist". */
export function found(value: unknown, kind: string, id: string | undefined, param: string): unknown {
  if (value === null || value === undefined) throw new JunctionError('RESOURCE_NOT_FOUND', `${kind} ${id ?? ''} does not exist`, { param });
  return value;
}

/** Copies the documented snake_case body fields into the GraphQL input's camelCase names. */
export function pick(body: Json | undefined, names: Record<string, string>): Json {
  const out: Json = {};
  for (const [from, to] of Object.entries(names)) if (body && body[from] !== undefined) out[to] = body[from];
  return out;
}

/** `{ "company": "Acme" }` → `[{ key: "company", value: "Acme" }]`; values must be strings. */
export function metadataEntries(value: unknown): { key: string; value: string }[] | undefined {
  if (value === undefined) return undefined;
  if (value === null) return [];
  return Object.entries(value as Json).map(([key, v]) => {
    if (typeof v !== 'string') throw new JunctionError('INVALID_REQUEST', `metadata.${key} must be a string`, { param: `metadata.${key}` });
    return { key, value: v };
  });
}
