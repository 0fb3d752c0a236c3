// MongoDB server errors: every failure a command can report carries MongoDB's numeric code and
// codeName, so the driver classifies it exactly as it would a real server's error.
import type { Document } from 'bson';

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  Unauthorized: 13,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  NotSingleValueField: 54,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  CommandNotSupported: 115,
  ConflictingOperationInProgress: 117,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  TransactionTooLarge: 257,
  OperationNotSupportedInTransaction: 263,
  InvalidPipelineOperator: 168,
  Location10334: 10334,
  DuplicateKey: 11000,
  Location15998: 15998,
  ExceededMemoryLimit: 146,
  Overflow: 15,
  Location40352: 40352,
  InvalidIndexSpecificationOption: 197,
  CannotCreateIndex: 67,
  Location17419: 17419,
  InvalidResumeToken: 260,
  ChangeStreamFatalError: 280,
  ChangeStreamHistoryLost: 286,
  DocumentValidationFailure: 121,
  CommandNotSupportedOnView: 166,
} as const;

const codeNames = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));
codeNames.set(10334, 'BSONObjectTooLarge');
codeNames.set(11000, 'DuplicateKey');

export function codeName(code: number): string {
  return codeNames.get(code) ?? 'Location' + code;
}

export class MongoServerError extends Error {
  readonly code: number;
  readonly codeName: string;
  errorLabels: string[];
  /** Extra fields copied into the error reply (keyPattern, keyValue, errInfo...). */
  readonly extra: Document;

  constructor(code: number, message: string, extra: Document = {}, labels: string[] = []) {
    super(message);
    this.code = code;
    this.codeName = codeName(code);
    this.extra = extra;
    this.errorLabels = labels;
  }

  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels.length) reply.errorLabels = this.errorLabels;
    return reply;
  }

  /** The shape of one entry of a write command's `writeErrors`. */
  toWriteError(index: number): Document {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

/** Turns anything thrown (a mingo error, a bson error, a bug) into a server error reply. */
export function toServerError(err: unknown): MongoServerError {
  if (err instanceof MongoServerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.constructor.name : '';
  if (name === 'BSONError' || name === 'BSONVersionError') return new MongoServerError(ErrorCodes.BadValue, message);
  if (name === 'MingoError') return new MongoServerError(ErrorCodes.BadValue, message.replace(/^mingo: /, ''));
  return new MongoServerError(ErrorCodes.InternalError, message);
}
