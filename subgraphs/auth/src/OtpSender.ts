// Where one-time codes go. Without OTP_SENDER_URL the default sender records each message in the
// `otp_messages` collection (with the code masked) and logs that it did; with it, each message is
// POSTed to that provider (httpOtpSender.ts). The sender follows from the configuration the
// subgraph context carries: no module-level state.
import type { Db } from 'mongodb';
import type { Env } from '../../../platform/src/env.js';
import { newId } from '../../../platform/src/ids.js';
import { createLogger, type Logger } from '../../../platform/src/logger.js';
import { httpOtpSender } from './httpOtpSender.js';
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

const mask = (to: string) => (to.length <= 4 ? '****' : `${to.slice(0, 3)}***${to.slice(-2)}`);

export function databaseOtpSender(logger: Logger): OtpSender {
  return {
    async send(db, message) {
      // The record never holds the code (only its hash is kept, in otp_codes): a database reader
      // must not be able to sign in with what it finds here.
      const { code, ...rest } = message;
      await otpMessages(db).insertOne({ _id: newId('msg'), ...rest, text: message.text.replaceAll(code, '*'.repeat(code.length)), createdAt: new Date() });
      logger.info('otp message recorded in otp_messages (no provider configured)', { channel: message.channel, to: mask(message.to), user_id: message.identityId });
    },
  };
}

const senders = new WeakMap<Env, OtpSender>();

/** The sender this configuration selects (one per configuration object, built on first use). */
export function otpSenderFor(config: Env): OtpSender {
  let sender = senders.get(config);
  if (!sender) {
    sender = config.otpSenderUrl ? httpOtpSender(config.otpSenderUrl) : databaseOtpSender(createLogger(config.logLevel, { part: 'otp' }));
    senders.set(config, sender);
  }
  return sender;
}
