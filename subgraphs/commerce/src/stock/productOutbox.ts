// Events written inside the product document by the same atomic update that changes its stock (a
// direct stock change has no transaction, so the product itself is its outbox), then copied to
// the events outbox under their own id, so a second copy (after a crash) is a duplicate key, not
// a second event.
import type { Db } from 'mongodb';
import { EVENTS_COLLECTION, type EventDocument } from '../../../../platform/src/events/outbox.js';
import { productJson } from '../apiJson.js';
import type { ProductDocument } from '../models.js';
import { isDuplicateKey } from '../resolvers/duplicateKey.js';
import { stockedProducts, type PendingProductEvent } from './stockCollections.js';

/** Copies `pending` to the outbox with the product as it was then (stock 0), and removes it from the product. */
export async function relayProductEvent(db: Db, product: ProductDocument, pending: PendingProductEvent): Promise<void> {
  const event: EventDocument = {
    _id: pending.id,
    type: pending.type,
    accountId: product.accountId,
    mode: product.mode,
    data: productJson({ ...product, stock: 0, updatedAt: pending.at }),
    createdAt: pending.at,
  };
  try {
    await db.collection<EventDocument>(EVENTS_COLLECTION).insertOne(event);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  await stockedProducts(db).updateOne({ _id: product._id }, { $pull: { outbox: { id: pending.id } } });
}
