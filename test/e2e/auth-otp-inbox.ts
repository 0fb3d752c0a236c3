// A message provider for the OTP tests (OTP_SENDER_URL): collects every message junction sends, so a
// test reads a code the way a person would, from the message (the database keeps no usable code).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtpMessage {
  channel: string;
  to: string;
  text: string;
  user_id: string;
}

export interface OtpInbox {
  url: string;
  messages: OtpMessage[];
  /** The code of the newest message to this user. */
  latestCode(userId: string): string;
  close(): Promise<void>;
}

export async function startOtpInbox(): Promise<OtpInbox> {
  const messages: OtpMessage[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      messages.push(JSON.parse(text) as OtpMessage);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/otp`,
    messages,
    latestCode(userId) {
      const message = messages.filter((m) => m.user_id === userId).at(-1);
      return /(\d{6})/.exec(message!.text)![1]!;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
