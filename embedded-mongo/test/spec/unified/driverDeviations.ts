/**
 * Spec tests that check what the driver puts into a command, where the Node.js driver (7.x)
 * knowingly differs from the spec, listed by exact test name as node-mongodb-native's own
 * `test/integration/crud/crud.spec.test.ts` lists them (same tickets). The server never sees the
 * difference, so these tests say nothing about it. A name here that no longer matches a spec test
 * fails the suite (see defineSpecSuite), so the list cannot silently go stale.
 */
const BYPASS_FALSE =
  'the Node.js driver omits bypassDocumentValidation: false from this command (NODE-6484, DRIVERS-2865; driver behaviour the server never sees)';
const NULL_ID =
  'the Node.js driver replaces a null _id with a new ObjectId before sending (NODE-6468, DRIVERS-2124; driver behaviour the server never sees)';

export const DRIVER_DEVIATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  crud: {
    'Aggregate with $out passes bypassDocumentValidation: false': BYPASS_FALSE,
    'BulkWrite passes bypassDocumentValidation: false': BYPASS_FALSE,
    'FindOneAndReplace passes bypassDocumentValidation: false': BYPASS_FALSE,
    'FindOneAndUpdate passes bypassDocumentValidation: false': BYPASS_FALSE,
    'InsertMany passes bypassDocumentValidation: false': BYPASS_FALSE,
    'inserting _id with type null via insertOne': NULL_ID,
    'inserting _id with type null via insertMany': NULL_ID,
    'inserting _id with type null via bulkWrite': NULL_ID,
  },
};
