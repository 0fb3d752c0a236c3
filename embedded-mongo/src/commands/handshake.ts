// Handshake and server information: hello / isMaster (a one-member replica set, primary),
// ping, buildInfo, getParameter, and the diagnostics tools like mongosh ask for.
import os from 'node:os';
import { Long, type Document } from 'bson';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { MAX_BSON_SIZE, MAX_MESSAGE_SIZE } from '../wire/protocol.js';
import type { CommandContext, CommandSpec } from './context.js';

export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;
export const SET_NAME = 'rs0';

function hello(ctx: CommandContext): Document {
  const { state, cmd } = ctx;
  if (cmd.client && typeof cmd.client === 'object') ctx.conn.clientMetadata = cmd.client as Document;
  const addr = state.address();
  const legacy = ctx.name !== 'hello';
  const opTime = { ts: state.engine.clusterTime(), t: Long.fromNumber(1) };
  const now = new Date();
  const reply: Document = {
    topologyVersion: { processId: state.processId, counter: Long.fromNumber(0) },
    hosts: [addr],
    setName: SET_NAME,
    setVersion: 1,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    secondary: false,
    primary: addr,
    me: addr,
    electionId: state.electionId,
    lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.conn.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
  if (!legacy || cmd.helloOk) reply.helloOk = true;
  // Compression is never advertised: OP_COMPRESSED is not supported.
  return reply;
}

function buildInfo(): Document {
  const [major, minor, patch] = SERVER_VERSION.split('.').map(Number);
  return {
    version: SERVER_VERSION,
    gitVersion: 'embedded-mongo',
    versionArray: [major, minor, patch, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_SIZE,
    storageEngines: ['embedded'],
    modules: [],
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    allocator: 'system',
    buildEnvironment: {},
    openssl: { running: 'disabled' },
    ok: 1,
  };
}

function getParameter(ctx: CommandContext): Document {
  const params: Document = {
    featureCompatibilityVersion: { version: '7.0' },
    transactionLifetimeLimitSeconds: ctx.state.options.transactionLifetimeLimitSeconds,
    cursorTimeoutMillis: Long.fromNumber(ctx.state.options.cursorTimeoutMS),
    ttlMonitorSleepSecs: Math.max(1, Math.round(ctx.state.options.ttlMonitorIntervalMS / 1000)),
    maxBSONDepth: 100,
    authenticationMechanisms: [],
    requireApiVersion: false,
    logLevel: 0,
  };
  const out: Document = {};
  if (ctx.cmd.getParameter === '*' || (typeof ctx.cmd.getParameter === 'object' && ctx.cmd.getParameter?.allParameters)) Object.assign(out, params);
  else {
    for (const k of Object.keys(ctx.cmd)) {
      if (k === 'getParameter' || k.startsWith('$') || k === 'lsid') continue;
      if (!(k in params)) throw new MongoServerError(ErrorCodes.InvalidOptions, `no option found to get`);
      out[k] = params[k];
    }
  }
  out.ok = 1;
  return out;
}

function serverStatus(ctx: CommandContext): Document {
  const mem = process.memoryUsage();
  return {
    host: os.hostname(),
    version: SERVER_VERSION,
    process: 'embedded-mongo',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor((Date.now() - ctx.state.startTime.getTime()) / 1000),
    uptimeMillis: Long.fromNumber(Date.now() - ctx.state.startTime.getTime()),
    localTime: new Date(),
    connections: { current: ctx.state.connectionCount(), available: ctx.state.options.maxConnections - ctx.state.connectionCount(), totalCreated: ctx.state.totalConnections },
    mem: { bits: 64, resident: Math.round(mem.rss / 1048576), virtual: Math.round(mem.rss / 1048576) },
    metrics: { cursor: ctx.state.cursors.stats() },
    transactions: { currentActive: ctx.state.sessions.activeTransactions().length },
    storageEngine: { name: 'embedded', supportsCommittedReads: true, persistent: true },
    repl: { setName: SET_NAME, isWritablePrimary: true, hosts: [ctx.state.address()], primary: ctx.state.address() },
    ok: 1,
  };
}

function replSetGetStatus(ctx: CommandContext): Document {
  const now = new Date();
  const opTime = { ts: ctx.state.engine.clusterTime(), t: Long.fromNumber(1) };
  return {
    set: SET_NAME,
    date: now,
    myState: 1,
    term: Long.fromNumber(1),
    members: [{ _id: 0, name: ctx.state.address(), health: 1, state: 1, stateStr: 'PRIMARY', uptime: Math.floor((Date.now() - ctx.state.startTime.getTime()) / 1000), optime: opTime, optimeDate: now, self: true }],
    ok: 1,
  };
}

const ok = (): Document => ({ ok: 1 });

export const handshakeCommands: Record<string, CommandSpec> = {
  hello: { handler: hello, inTxn: true },
  isMaster: { handler: hello, inTxn: true },
  ismaster: { handler: hello, inTxn: true },
  ping: { handler: ok, inTxn: true },
  buildInfo: { handler: buildInfo, inTxn: true },
  buildinfo: { handler: buildInfo, inTxn: true },
  getParameter: { handler: getParameter },
  setParameter: { handler: ok },
  serverStatus: { handler: serverStatus },
  hostInfo: {
    handler: () => ({
      system: { currentTime: new Date(), hostname: os.hostname(), cpuAddrSize: 64, memSizeMB: Math.round(os.totalmem() / 1048576), numCores: os.cpus().length, cpuArch: os.arch() },
      os: { type: os.type(), name: os.platform(), version: os.release() },
      extra: {},
      ok: 1,
    }),
  },
  getCmdLineOpts: { handler: (ctx) => ({ argv: ['embedded-mongo'], parsed: { net: { port: ctx.state.options.port, bindIp: ctx.state.options.host }, storage: { dbPath: ctx.state.engine.dbPath } }, ok: 1 }) },
  getLog: { handler: (ctx) => (ctx.cmd.getLog === '*' ? { names: ['global', 'startupWarnings'], ok: 1 } : { totalLinesWritten: 0, log: [], ok: 1 }) },
  whatsmyuri: { handler: (ctx) => ({ you: ctx.conn.remote, ok: 1 }) },
  connectionStatus: { handler: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }) },
  replSetGetStatus: { handler: replSetGetStatus },
  getFreeMonitoringStatus: { handler: () => ({ state: 'disabled', ok: 1 }) },
  getDefaultRWConcern: { handler: () => ({ defaultReadConcern: { level: 'local' }, defaultWriteConcern: { w: 'majority', wtimeout: 0 }, defaultReadConcernSource: 'implicit', defaultWriteConcernSource: 'implicit', ok: 1 }) },
  listCommands: { handler: () => ({ commands: {}, ok: 1 }) },
  logout: { handler: ok },
  fsync: { handler: () => ({ numFiles: 1, ok: 1 }) },
  getLastError: { handler: () => ({ err: null, n: 0, ok: 1 }) },
  features: { handler: () => ({ oidMachine: 0, ok: 1 }) },
  currentOp: { handler: () => ({ inprog: [], ok: 1 }) },
  killOp: { handler: ok },
  setFeatureCompatibilityVersion: { handler: ok },
  saslStart: { handler: () => { throw new MongoServerError(ErrorCodes.CommandNotFound, 'Authentication is not enabled on this server (no users exist)'); } },
};
