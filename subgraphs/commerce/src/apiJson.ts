// Stored documents as TechCorp API v2.0.3 shows them (snake_case, major-unit money, ISO-8601
// seconds). Used for event payloads, which carry "the resource as the REST API shows it".
import type { OrderDocument, ProductDocument, UserDocument } from './models.js';
import { toMajor } from './money.js';

/** 2024-01-15T10:30:00Z: the documented timestamp format (UTC, no milliseconds). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function userJson(user: UserDocument): Record<string, unknown> {
  return {
    id: user._id,
    email: user.email,
    name: user.name,
    status: user.status,
    plan: user.plan,
    metadata: user.metadata,
    created_at: isoSeconds(user.createdAt),
  };
}

export function productJson(product: ProductDocument): Record<string, unknown> {
  return {
    id: product._id,
    name: product.name,
    sku: product.sku,
    price: toMajor(product.priceMinor, product.currency),
    currency: product.currency,
    category: product.category,
    stock: product.stock,
    status: product.status,
    description: product.description,
    created_at: isoSeconds(product.createdAt),
  };
}

export function orderJson(order: OrderDocument): Record<string, unknown> {
  const address = order.shippingAddress;
  return {
    id: order._id,
    status: order.status,
    user_id: order.userId,
    total: toMajor(order.totalMinor, order.currency),
    currency: order.currency,
    items: order.items.map((item) => ({
      product_id: item.productId,
      name: item.name,
      sku: item.sku,
      quantity: item.quantity,
      unit_price: toMajor(item.unitPriceMinor, item.currency),
      subtotal: toMajor(item.unitPriceMinor * item.quantity, item.currency),
    })),
    shipping_address: address && {
      line1: address.line1,
      line2: address.line2,
      city: address.city,
      state: address.state,
      postal_code: address.postalCode,
      country: address.country,
    },
    tracking_number: order.trackingNumber,
    cancellation_reason: order.cancellationReason,
    created_at: isoSeconds(order.createdAt),
    updated_at: isoSeconds(order.updatedAt),
  };
}
