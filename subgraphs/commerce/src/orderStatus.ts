// The order status table of TechCorp API v2.0.3 as a transition map. Every status change goes
// through assertTransition, so an illegal one is a 422 whatever surface asked for it.
import { JunctionError } from '../../../platform/src/errors.js';
import type { OrderStatus } from './models.js';

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['processing', 'cancelled'],
  processing: ['shipped'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(orderId: string, from: OrderStatus, to: OrderStatus): void {
  if (canTransition(from, to)) return;
  if (to === 'cancelled') {
    throw new JunctionError('ORDER_NOT_CANCELLABLE', `Order ${orderId} is ${from} and can only be cancelled while pending or confirmed`, {
      param: 'order_id',
      details: { status: from },
    });
  }
  throw new JunctionError('INVALID_STATUS_TRANSITION', `Order ${orderId} cannot go from ${from} to ${to}`, {
    param: 'order_id',
    details: { status: from, requested: to },
  });
}
