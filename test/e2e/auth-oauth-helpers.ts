// Shared by the OAuth tests: a registered client, a person, PKCE values and the consent form.
import { createHash, randomBytes } from 'node:crypto';
import type { Stack } from '../support/startStack.js';

export interface OAuthSetup {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  email: string;
  password: string;
}

export async function registerClient(stack: Stack, redirectUri: string, scopes = ['commerce:read']): Promise<{ clientId: string; clientSecret: string }> {
  const res = await stack.graphql(
    'mutation($n: String!, $r: [String!]!, $s: [String!]!) { createOAuthClient(name: $n, redirectUris: $r, scopes: $s) { clientSecret client { id name redirectUris scopes } } }',
    { n: 'Acme Reports', r: [redirectUri], s: scopes },
  );
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return { clientId: res.body.data.createOAuthClient.client.id, clientSecret: res.body.data.createOAuthClient.clientSecret };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(base: string, params: Record<string, string>): string {
  const url = new URL('/oauth/authorize', base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** The hidden fields of the consent form (request + CSRF token), as a browser would submit them. */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[decode(m[1]!)] = decode(m[2]!);
  return out;
}

export async function exchangeCode(base: string, client: { clientId: string; clientSecret: string }, fields: Record<string, string>, auth: 'basic' | 'body' = 'basic'): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams(fields);
  if (auth === 'basic') headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  else {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
  }
  const res = await fetch(`${base}/oauth/token`, { method: 'POST', headers, body: form.toString() });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
