import { JunctionError } from '../../../platform/src/errors.js';
import { assertTransition, canTransition, TRANSITIONS } from './orderStatus.js';
import type { OrderStatus } from './models.js';

const all = Object.keys(TRANSITIONS) as OrderStatus[];

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as JunctionError).code;
  }
}

describe('order status machine', () => {
  it('follows the documented happy path', () => {
    expect(canTransition('pending', 'confirmed')).toBe(true);
    expect(canTransition('confirmed', 'processing')).toBe(true);
    expect(canTransition('processing', 'shipped')).toBe(true);
    expect(canTransition('shipped', 'delivered')).toBe(true);
  });

  it('cancels only from pending or confirmed', () => {
    for (const from of all) {
      const expected = from === 'pending' || from === 'confirmed';
      expect([from, canTransition(from, 'cancelled')]).toEqual([from, expected]);
      expect(codeOf(() => assertTransition('ord_1', from, 'cancelled'))).toBe(expected ? undefined : 'ORDER_NOT_CANCELLABLE');
    }
  });

  it('refuses skipping steps and going back with a 422 code', () => {
    expect(codeOf(() => assertTransition('ord_1', 'pending', 'shipped'))).toBe('INVALID_STATUS_TRANSITION');
    expect(codeOf(() => assertTransition('ord_1', 'delivered', 'processing'))).toBe('INVALID_STATUS_TRANSITION');
    expect(codeOf(() => assertTransition('ord_1', 'cancelled', 'confirmed'))).toBe('INVALID_STATUS_TRANSITION');
    const error = (() => {
      try {
        assertTransition('ord_1', 'pending', 'delivered');
      } catch (e) {
        return e as JunctionError;
      }
      return undefined;
    })();
    expect(error?.status).toBe(422);
  });

  it('has terminal states with no way out', () => {
    for (const to of all) {
      expect(canTransition('delivered', to)).toBe(false);
      expect(canTransition('cancelled', to)).toBe(false);
    }
  });
});
