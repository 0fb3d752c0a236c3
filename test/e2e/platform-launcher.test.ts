// `npm start` as a newcomer runs it: a fresh data dir, progress and URLs printed, a demo key that
// works, Ctrl-C (SIGINT) stopping cleanly, and a restart on the same data dir that keeps the key
// and seeds nothing twice. Also the apikey CLI against the running server's database.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

interface Launched {
  child: ChildProcess;
  output: () => string;
  url: string;
  exited: Promise<number | null>;
}

async function launch(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Launched> {
  const child = spawn(tsx, ['app/src/main.ts'], {
    cwd: repoRoot,
    // NODE_ENV as a user has it (jest sets `test`, which changes library defaults such as signal handling).
    env: { ...process.env, NODE_ENV: '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', MONGODB_URI: '', PRINCIPAL_SECRET: '', ADMIN_API_KEY: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL printed:\n${out}`));
    }, 90_000);
    const check = () => {
      const match = /GraphQL \+ Apollo Sandbox\s+(http:\/\/\S+)\/graphql/.exec(out);
      // The banner ends with the Ctrl-C hint.
      if (match && out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`exited early:\n${out}`)));
  });
  return { child, output: () => out, url, exited };
}

const viewer = (url: string, key: string) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { name plan } }' }) });

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'junction-launch-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

test('npm start: first start prints a working demo key, Ctrl-C stops, a restart keeps it', async () => {
  const first = await launch(dataDir);
  try {
    expect(first.output()).toContain('/health');
    const key = (await readFile(path.join(dataDir, 'demo-api-key.txt'), 'utf8')).trim();
    expect(first.output()).toContain(key);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    const res = await viewer(first.url, key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { viewer: { name: 'default', plan: 'ENTERPRISE' } }, extensions: { cost: { estimated: 1, actual: 1, max: 50_000 } } });

    // The CLI reaches the running server's embedded database through DATA_DIR/mongo.uri.
    const cli = await promisify(execFile)(tsx, ['app/src/cli/apikey.ts', 'create', '--type', 'readonly', '--plan', 'enterprise', '--per-minute', '7'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '' },
    });
    const roKey = cli.stdout.trim().split('\n').pop()!;
    expect(roKey).toMatch(/^tc_ro_sk_/);
    const ro = await viewer(first.url, roKey);
    expect(ro.status).toBe(200);
    expect(ro.headers.get('x-ratelimit-limit')).toBe('7');
    const mutation = await fetch(`${first.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${roKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { createApiKey(type: LIVE) { secret } }' }) });
    expect(mutation.status).toBe(403);
  } finally {
    first.child.kill('SIGINT');
  }
  expect(await first.exited).toBe(0);
  expect(first.output()).toContain('stopped.');

  const adminKey = 'tc_live_sk_' + 'A1b2C3d4'.repeat(4);
  const second = await launch(dataDir, { ADMIN_API_KEY: adminKey });
  try {
    const key = (await readFile(path.join(dataDir, 'demo-api-key.txt'), 'utf8')).trim();
    expect(second.output()).not.toContain(key);
    expect((await viewer(second.url, key)).status).toBe(200);
    // ADMIN_API_KEY bootstraps a live enterprise key of the default account.
    const admin = await viewer(second.url, adminKey);
    expect(await admin.json()).toEqual({ data: { viewer: { name: 'default', plan: 'ENTERPRISE' } }, extensions: { cost: { estimated: 1, actual: 1, max: 50_000 } } });
    expect(admin.headers.get('x-ratelimit-limit')).toBe('10000');
    expect(second.output()).not.toContain(adminKey);
  } finally {
    second.child.kill('SIGTERM');
  }
  expect(await second.exited).toBe(0);
}, 240_000);

test('a bad configuration value stops start-up naming the variable', async () => {
  const { stderr, code } = await new Promise<{ stderr: string; code: number | null }>((resolve) => {
    const child = execFile(tsx, ['app/src/main.ts'], { cwd: repoRoot, env: { ...process.env, PORT: 'forty' } }, (_e, _out, err) => resolve({ stderr: err, code: child.exitCode }));
  });
  expect(code).toBe(2);
  expect(stderr).toContain('PORT');
});
