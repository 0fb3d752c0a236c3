// Stored document shapes of the commerce collections. Codegen maps GraphQL type `Xxx` to
// `XxxDocument`, so resolvers receive these and the type resolvers in resolvers/ shape them.
// Money is stored as integers of the currency's minor unit (`*Minor`); `price` is kept beside
// `priceMinor` only so that min/max price filters can run in the database.
import type { Mode } from '../../../platform/src/principal.js';

export type UserStatus = 'active' | 'inactive' | 'pending';
export type UserPlan = 'free' | 'starter' | 'pro' | 'enterprise';
export type OrderStatus = 'pending' | 'confirmed' | 'processing' | 'shipped' | 'delivered' | 'cancelled';

/** Every stored document belongs to one account and one mode (live data or sandbox). */
export interface Tenanted {
  accountId: string;
  mode: Mode;
}

export interface UserDocument extends Tenanted {
  _id: string;
  email: string;
  /**
   * Uniqueness key of the email: the lower-cased address while the user exists, and
   * `deleted:<id>` once soft-deleted, so a plain unique index {accountId, mode, emailKey}
   * frees the address for a new user without needing a partial index.
   */
  emailKey: string;
  name: string;
  status: UserStatus;
  plan: UserPlan;
  metadata: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  /** Set on soft delete to deletedAt + 30 days; a TTL index removes the document then. */
  purgeAt?: Date;
}

export interface ProductDocument extends Tenanted {
  _id: string;
  name: string;
  sku: string;
  priceMinor: number;
  price: number;
  currency: string;
  category: string | null;
  stock: number;
  status: 'active' | 'inactive';
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ShippingAddressDocument {
  line1: string;
  line2: string | null;
  city: string;
  state: string | null;
  postalCode: string;
  country: string;
}

export interface OrderItemDocument {
  productId: string;
  name: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  /** Needed to turn minor units back into major units without reading the order. */
  currency: string;
}

export interface StatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
}

export interface OrderDocument extends Tenanted {
  _id: string;
  userId: string;
  status: OrderStatus;
  currency: string;
  items: OrderItemDocument[];
  totalMinor: number;
  shippingAddress: ShippingAddressDocument | null;
  trackingNumber: string | null;
  cancellationReason: string | null;
  statusHistory: StatusChange[];
  createdAt: Date;
  updatedAt: Date;
}
