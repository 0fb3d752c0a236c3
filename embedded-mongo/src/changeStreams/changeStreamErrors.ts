// Change-stream specific server errors, with MongoDB's code names (the shared error table does
// not know these codes) and the labels drivers use to decide whether to resume.
import { MongoServerError } from '../errors.js';

const NON_RESUMABLE = ['NonResumableChangeStreamError'];

/** 280: the stream cannot go on (a required image is missing, the pipeline altered _id). */
export const changeStreamFatal = (msg: string) => new MongoServerError(280, msg, { codeName: 'ChangeStreamFatalError' }, NON_RESUMABLE);

/** 286: the resume point is older than the oldest retained oplog entry. */
export const historyLost = (msg: string) => new MongoServerError(286, msg, { codeName: 'ChangeStreamHistoryLost' }, NON_RESUMABLE);

/** 260: the token is not one this server issued, or cannot be resumed after. */
export const invalidResumeToken = (msg: string) => new MongoServerError(260, msg, { codeName: 'InvalidResumeToken' });
