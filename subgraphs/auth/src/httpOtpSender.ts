// The pluggable "real provider": OTP_SENDER_URL makes junction POST each message as JSON
// `{channel, to, text, user_id}` to that URL (an SMS/email gateway or a small adapter in front of
// one). A non-2xx answer or a timeout fails the send with 503, so the caller can retry.
import type { Db } from 'mongodb';
import { JunctionError } from '../../../platform/src/errors.js';
import type { OtpMessage, OtpSender } from './OtpSender.js';

export function httpOtpSender(url: string, timeoutMs = 5000): OtpSender {
  return {
    async send(_db: Db, message: OtpMessage) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ channel: message.channel, to: message.to, text: message.text, user_id: message.identityId }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new JunctionError('SERVICE_UNAVAILABLE', 'The message provider did not answer; try again', { cause: error });
      }
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw new JunctionError('SERVICE_UNAVAILABLE', `The message provider refused the message (${response.status}); try again`);
    },
  };
}
