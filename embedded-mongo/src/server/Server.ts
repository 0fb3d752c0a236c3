// The TCP server: frames messages, answers each connection's requests in order, and never lets
// bad input take the process down (a malformed frame closes only that connection).
import net from 'node:net';
import { ObjectId, type Document } from 'bson';
import type { ConnectionInfo, ServerOptions, ServerState } from '../commands/context.js';
import { CursorRegistry } from '../cursors/CursorRegistry.js';
import { ErrorCodes, MongoServerError } from '../errors.js';
import { setCollectionResolver } from '../query/mingoContext.js';
import { Engine, type EngineOptions } from '../storage/Engine.js';
import { TtlMonitor } from '../storage/TtlMonitor.js';
import { Sessions } from '../txn/Sessions.js';
import { MAX_MESSAGE_SIZE, MsgFlag, encodeReply, parseMessage } from '../wire/protocol.js';
import { dispatch } from './dispatch.js';
import { tripFailPoint } from '../failPoints/index.js';

export interface ServerConfig extends EngineOptions, Partial<ServerOptions> {}

export class MongoWireServer {
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  private nextConnId = 1;
  readonly state: ServerState;
  private ttl: TtlMonitor;

  private constructor(
    readonly engine: Engine,
    readonly options: ServerOptions,
  ) {
    const sessions = new Sessions(options.transactionLifetimeLimitSeconds * 1000, 30 * 60_000, (s) => cursors.killSession(s.key), engine);
    const cursors = new CursorRegistry(options.cursorTimeoutMS);
    const self = this;
    this.state = {
      engine,
      cursors,
      sessions,
      options,
      processId: new ObjectId(),
      electionId: new ObjectId('7fffffff0000000000000001'),
      startTime: new Date(),
      address: () => `${options.host}:${self.port}`,
      connectionCount: () => self.sockets.size,
      totalConnections: 0,
    };
    this.server = net.createServer({ noDelay: true }, (s) => this.onConnection(s));
    this.server.maxConnections = options.maxConnections;
    this.ttl = new TtlMonitor(engine, sessions, options.ttlMonitorIntervalMS);
  }

  static async start(config: ServerConfig): Promise<MongoWireServer> {
    const options: ServerOptions = {
      host: config.host ?? '127.0.0.1',
      port: config.port ?? 0,
      maxConnections: config.maxConnections ?? 1000,
      cursorTimeoutMS: config.cursorTimeoutMS ?? 10 * 60_000,
      ttlMonitorIntervalMS: config.ttlMonitorIntervalMS ?? 1000,
      transactionLifetimeLimitSeconds: config.transactionLifetimeLimitSeconds ?? 60,
    };
    const engine = await Engine.open(config);
    const srv = new MongoWireServer(engine, options);
    setCollectionResolver((name) => [...(engine.coll(name)?.byId.values() ?? [])].map((r) => r.doc));
    try {
      await new Promise<void>((resolve, reject) => {
        srv.server.once('error', reject);
        srv.server.listen(options.port, options.host, () => {
          srv.server.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      await engine.close();
      throw e;
    }
    srv.ttl.start();
    return srv;
  }

  get port(): number {
    const a = this.server.address();
    return a && typeof a === 'object' ? a.port : this.options.port;
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    this.state.totalConnections++;
    const conn: ConnectionInfo = { id: this.nextConnId++, remote: `${socket.remoteAddress}:${socket.remotePort}` };
    let chunks: Buffer[] = [];
    let buffered = 0;
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (data) => {
      chunks.push(data);
      buffered += data.length;
      while (buffered >= 4) {
        // Join chunks only for the length prefix and once a whole message is here (a 48 MB
        // message arrives in hundreds of chunks).
        if (chunks[0]!.length < 4) chunks = [Buffer.concat(chunks)];
        const len = chunks[0]!.readInt32LE(0);
        if (len < 16 || len > MAX_MESSAGE_SIZE) {
          // The stream can't be resynchronised: drop this connection only.
          socket.destroy();
          return;
        }
        if (buffered < len) return;
        const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const msg = head.subarray(0, len);
        const rest = head.subarray(len);
        chunks = rest.length ? [rest] : [];
        buffered = rest.length;
        queue = queue.then(() => this.handle(socket, conn, msg));
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
    });
  }

  /** Resolves after `ms`, or early when the socket closes or the server stops. */
  private pause(socket: net.Socket, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        socket.off('close', done);
        this.pauses.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      socket.once('close', done);
      this.pauses.add(done);
    });
  }
  private pauses = new Set<() => void>();

  /**
   * Awaitable hello (server monitoring): the topology of a one-member set never changes, so the
   * reply comes after maxAwaitTimeMS; with exhaustAllowed, replies keep streaming (moreToCome)
   * every maxAwaitTimeMS until the connection closes, as the driver's streaming monitor expects.
   */
  private async streamHello(socket: net.Socket, conn: ConnectionInfo, requestId: number, cmd: Document, exhaust: boolean): Promise<void> {
    const wait = Math.max(0, Math.min(Number(cmd.maxAwaitTimeMS) || 0, 60_000));
    const tv = cmd.topologyVersion as Document;
    const same = String(tv.processId) === String(this.state.processId);
    let responseTo = requestId;
    let first = true;
    while (!socket.destroyed && !this.closing) {
      if (same || !first) await this.pause(socket, wait);
      first = false;
      if (socket.destroyed || this.closing) return;
      const reply = await dispatch(this.state, conn, cmd);
      const out = encodeReply({ requestId: responseTo, legacy: false }, reply, exhaust ? MsgFlag.moreToCome : 0);
      socket.write(out);
      if (!exhaust) return;
      responseTo = out.readInt32LE(4);
    }
  }

  private async handle(socket: net.Socket, conn: ConnectionInfo, msg: Buffer): Promise<void> {
    const requestId = msg.readInt32LE(4);
    let reply: Document;
    let legacy = false;
    let moreToCome = false;
    try {
      const req = parseMessage(msg);
      legacy = req.legacy;
      moreToCome = !req.legacy && (req.flags & MsgFlag.moreToCome) !== 0;
      const c = req.command;
      const name = Object.keys(c)[0];
      if (!req.legacy && (name === 'hello' || name === 'isMaster' || name === 'ismaster') && c.topologyVersion && typeof c.topologyVersion === 'object' && c.maxAwaitTimeMS !== undefined) {
        return await this.streamHello(socket, conn, requestId, c, (req.flags & MsgFlag.exhaustAllowed) !== 0);
      }
      // Test fail points (configureFailPoint, as with mongod --enableTestCommands).
      const fp = req.legacy ? null : tripFailPoint(this.state, conn, c);
      if (fp?.blockMS) await this.pause(socket, fp.blockMS);
      if (fp?.closeConnection) return void socket.destroy();
      if (fp?.reply) reply = { ...fp.reply, operationTime: this.state.engine.clusterTime() };
      else reply = await dispatch(this.state, conn, c);
      if (fp?.writeConcernError && reply.ok === 1) reply.writeConcernError = fp.writeConcernError;
    } catch (e) {
      const err = e instanceof MongoServerError ? e : new MongoServerError(ErrorCodes.InternalError, (e as Error).message);
      reply = err.toReply();
    }
    if (moreToCome || socket.destroyed) return;
    let out: Buffer;
    try {
      out = encodeReply({ requestId, legacy }, reply);
    } catch (e) {
      out = encodeReply({ requestId, legacy }, new MongoServerError(ErrorCodes.Location10334, `reply too large: ${(e as Error).message}`).toReply());
    }
    socket.write(out);
  }

  private closing = false;

  async close(): Promise<void> {
    this.closing = true;
    for (const p of [...this.pauses]) p();
    this.ttl.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
    this.state.cursors.close();
    this.state.sessions.close();
    await this.engine.close();
  }
}
