// Where one-time codes go. There is no SMS provider here: the default sender records each message in
// the `otp_messages` collection (with the code masked) and logs that it did. A real provider (an SMS or
// email API) implements OtpSender and is installed with setOtpSender at start-up.
import type { Db } from 'mongodb';
import { loadEnv } from '../../../platform/src/env.js';
import { newId } from '../../../platform/src/ids.js';
import { createLogger, type Logger } from '../../../platform/src/logger.js';
import { otpMessages } from './identityIndexes.js';

export interface OtpMessage {
  accountId: string;
  identityId: string;
  channel: 'sms' | 'email';
  to: string;
  /** The code itself, so a sender that keeps a record can leave it out. */
  code: string;
  text: string;
}

export interface OtpSender {
  send(db: Db, message: OtpMessage): Promise<void>;
}

let logger: Logger | undefined;
function log(): Logger {
  if (!logger) {
    let level: ReturnType<typeof loadEnv>['logLevel'] = 'info';
    try {
      level = loadEnv().logLevel;
    } catch {
      // A bad environment is reported by start-up itself.
    }
    logger = createLogger(level, { part: 'otp' });
  }
  return logger;
}

const mask = (to: string) => (to.length <= 4 ? '****' : `${to.slice(0, 3)}***${to.slice(-2)}`);

export const databaseOtpSender: OtpSender = {
  async send(db, message) {
    // The record never holds the code (only its hash is kept, in otp_codes): a database reader
    // must not be able to sign in with what it finds here.
    const { code, ...rest } = message;
    await otpMessages(db).insertOne({ _id: newId('msg'), ...rest, text: message.text.replaceAll(code, '*'.repeat(code.length)), createdAt: new Date() });
    log().info('otp message recorded in otp_messages (no provider configured)', { channel: message.channel, to: mask(message.to), user_id: message.identityId });
  },
};

let current: OtpSender = databaseOtpSender;

export function setOtpSender(sender: OtpSender): void {
  current = sender;
}

export function getOtpSender(): OtpSender {
  return current;
}
