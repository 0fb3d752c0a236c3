// The consent page as a person uses it, in headless Chromium (playwright-core driving the system's
// /usr/bin/chromium): open the authorize URL, sign in, approve, land on the client's redirect URI
// with a code and the state, exchange the code. Skipped, with a message, where no Chromium exists.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '../support/startStack.js';
import { authorizeUrl, exchangeCode, pkce, registerClient } from './auth-oauth-helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`auth-oauth-browser: SKIPPED — no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
const maybe = hasChromium ? test : test.skip;

let stack: Stack;
let callback: http.Server;
let redirectUri: string;

beforeAll(async () => {
  if (!hasChromium) return;
  stack = await startStack();
  // The client application's redirect endpoint: a page that says it received the code.
  callback = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<h1>Client received the callback</h1><p>${new URL(req.url ?? '/', 'http://x').searchParams.has('code') ? 'code received' : 'no code'}</p>`);
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  await stack.graphql('mutation($e: String!, $p: String!) { createIdentity(email: $e, password: $p) { id } }', { e: 'browser@example.com', p: 'Correct-Horse-9' });
}, 60_000);
afterAll(async () => {
  await new Promise((r) => (callback ? callback.close(r) : r(undefined)));
  await stack?.stop();
});

maybe('a person signs in and approves in Chromium; the client gets a code and exchanges it', async () => {
  const { chromium } = await import('playwright-core');
  const client = await registerClient(stack, redirectUri, ['commerce:read', 'webhooks:read']);
  const { verifier, challenge } = pkce();
  const state = 'state-42 with spaces & symbols';
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(authorizeUrl(stack.url, { response_type: 'code', client_id: client.clientId, redirect_uri: redirectUri, scope: 'commerce:read webhooks:read', state, code_challenge: challenge, code_challenge_method: 'S256' }));
    await expect(page.locator('h1').textContent()).resolves.toContain('Acme Reports');
    await page.screenshot({ path: process.env.CONSENT_SCREENSHOT ?? path.join(os.tmpdir(), 'junction-consent.png'), fullPage: true });
    // A wrong password keeps the person on the page with a message.
    await page.fill('#email', 'browser@example.com');
    await page.fill('#password', 'Not-The-Password-1');
    await page.click('button[value=approve]');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('Wrong email or password');
    await page.fill('#password', 'Correct-Horse-9');
    await Promise.all([page.waitForURL((u) => u.toString().startsWith(redirectUri)), page.click('button[value=approve]')]);
    await expect(page.locator('p').textContent()).resolves.toBe('code received');
    const landed = new URL(page.url());
    expect(landed.searchParams.get('state')).toBe(state);
    const token = await exchangeCode(stack.url, client, { grant_type: 'authorization_code', code: landed.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('commerce:read webhooks:read');
    expect((await stack.request('GET', '/v2/users', { key: token.body.access_token })).status).toBe(200);

    // The browser stays signed in: the next authorization is one click.
    const next = pkce();
    await page.goto(authorizeUrl(stack.url, { response_type: 'code', client_id: client.clientId, redirect_uri: redirectUri, state: 'second', code_challenge: next.challenge, code_challenge_method: 'S256' }));
    await expect(page.locator('#signed-in').textContent()).resolves.toContain('browser@example.com');
    await page.screenshot({ path: process.env.CONSENT_SIGNED_IN_SCREENSHOT ?? path.join(os.tmpdir(), 'junction-consent-signed-in.png'), fullPage: true });
    await Promise.all([page.waitForURL((u) => u.toString().startsWith(redirectUri)), page.click('button[value=approve]')]);
    const secondCode = new URL(page.url()).searchParams.get('code')!;
    expect((await exchangeCode(stack.url, client, { grant_type: 'authorization_code', code: secondCode, redirect_uri: redirectUri, code_verifier: next.verifier })).status).toBe(200);
  } finally {
    await browser.close();
  }
}, 60_000);

maybe('Deny in Chromium lands on the client with access_denied', async () => {
  const { chromium } = await import('playwright-core');
  const client = await registerClient(stack, redirectUri);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(authorizeUrl(stack.url, { response_type: 'code', client_id: client.clientId, redirect_uri: redirectUri, state: 'd1', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    await Promise.all([page.waitForURL((u) => u.toString().startsWith(redirectUri)), page.click('button[value=deny]')]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe('d1');
  } finally {
    await browser.close();
  }
}, 60_000);
