import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { type ObjectStore, openStore, type S3ConnectionOptions } from '@isthmus/storage';
import { InvalidArgumentError } from '../errors.js';
import { StreamLog } from '../log/stream-log.js';
import type { BrokerContext } from './api-handler.js';
import { Connection } from './connection.js';
import { dispatch } from './dispatch.js';
import { GroupCoordinator } from './group-coordinator.js';
import type { GroupTimings } from './group-state.js';
import { type HandlerTable, handlerTable } from './handler-table.js';

/** Options of `Broker.start`. */
export interface BrokerOptions {
  /** The durable state: an `ObjectStore`, or its URL (`s3://bucket/prefix`, `file:///path`). */
  store: ObjectStore | string;
  /** S3 connection details when `store` is an `s3://` URL (default: the AWS_* environment). */
  s3?: S3ConnectionOptions;
  /** Key prefix of the streams' state inside the store, e.g. `streams/` (default: none). */
  prefix?: string;
  /** TCP port to listen on; 0 (the default) picks a free one (see `address`). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: only this machine). */
  host?: string;
  /** Host clients are told to connect to (default: `host`, or the machine's name when `host` is a wildcard). */
  advertisedHost?: string;
  /** How long produce requests are buffered before one segment is written (default 250 ms). */
  flushWindowMs?: number;
  /** Buffered bytes that trigger a flush before the window ends (default 8 MiB). */
  flushBytes?: number;
  /** Largest record batch accepted (default 1 MiB, Kafka's `message.max.bytes`). */
  maxMessageBytes?: number;
  /** Largest request frame accepted; a larger one closes the connection (default 100 MiB). */
  maxRequestBytes?: number;
  /** How long a broker stays in the registry without a heartbeat (default 10 s): a dead broker's lease expires. */
  leaseMs?: number;
  /** Whether Metadata creates unknown topics it is asked about (default false). */
  autoCreateTopics?: boolean;
  /** Partitions of topics created without a count (default 1). */
  defaultPartitions?: number;
  /** Consumer-group timings (defaults: no initial rebalance delay, sessions of 6 s to 30 min). */
  groupTimings?: Partial<GroupTimings>;
  /** Where the broker reports connections it closed and handler failures (default: stderr). */
  report?: (line: string) => void;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
/** Requests of one connection read ahead of their responses. */
const MAX_IN_FLIGHT = 64;
/** How long `stop` waits for requests already read to be answered. */
const STOP_GRACE_MS = 5_000;

/**
 * A Kafka-wire-compatible broker over a `StreamLog`: stateless, so any number of brokers on one
 * store serve the same topics. It registers in the store's broker registry (Metadata lists every
 * live broker; a broker whose process dies drops out when its lease expires) and names itself the
 * leader of every partition.
 */
export class Broker {
  /** This broker's id in the registry. */
  readonly nodeId: number;
  /** Where clients reach this broker (the advertised host and the bound port). */
  readonly address: { host: string; port: number };
  /** The log the broker serves. */
  readonly log: StreamLog;
  /** The broker's consumer-group coordinator. */
  readonly groups: GroupCoordinator;
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  readonly #closing: AbortController;
  readonly #ownedStore: ObjectStore | undefined;
  #stopped: Promise<void> | undefined;

  private constructor(
    server: Server,
    log: StreamLog,
    nodeId: number,
    address: { host: string; port: number },
    closing: AbortController,
    ownedStore: ObjectStore | undefined,
    groups: GroupCoordinator,
  ) {
    this.#server = server;
    this.log = log;
    this.groups = groups;
    this.nodeId = nodeId;
    this.address = address;
    this.#closing = closing;
    this.#ownedStore = ownedStore;
  }

  /** Opens the log, listens, registers, and serves until `stop`. */
  static async start(options: BrokerOptions): Promise<Broker> {
    const host = options.host ?? '127.0.0.1';
    const defaultPartitions = options.defaultPartitions ?? 1;
    if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
      throw new InvalidArgumentError(
        `defaultPartitions must be a positive integer, not ${defaultPartitions}`,
      );
    }
    const ownedStore =
      typeof options.store === 'string' ? openStore(options.store, { s3: options.s3 }) : undefined;
    const store = ownedStore ?? (options.store as ObjectStore);
    const report = options.report ?? ((line: string) => process.stderr.write(`isthmus broker: ${line}\n`));
    const prefix = (options.prefix ?? '').replace(/\/*$/, '/').replace(/^\/$/, '');
    const log = await StreamLog.open(store, {
      flushWindowMs: options.flushWindowMs,
      flushBytes: options.flushBytes,
      leaseMs: options.leaseMs,
      prefix,
    });
    const early: Socket[] = [];
    let accept = (socket: Socket): void => {
      early.push(socket);
    };
    const server = createServer({ pauseOnConnect: true }, (socket) => accept(socket));
    try {
      server.listen(options.port ?? 0, host);
      await once(server, 'listening');
      const { port } = server.address() as { port: number };
      const advertisedHost = options.advertisedHost ?? (isWildcard(host) ? hostname() : host);
      const address = { host: advertisedHost, port };
      const nodeId = await log.registry.register(address);
      const closing = new AbortController();
      const groups = new GroupCoordinator({ ...options.groupTimings, log, nodeId, closing: closing.signal });
      const broker = new Broker(server, log, nodeId, address, closing, ownedStore, groups);
      const context: BrokerContext = {
        log,
        nodeId,
        advertised: address,
        maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        closing: closing.signal,
        clusterId: clusterIdOf(store, prefix),
        autoCreateTopics: options.autoCreateTopics ?? false,
        defaultPartitions,
        groups,
      };
      const table = handlerTable();
      const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
      accept = (socket) => broker.#serve(socket, table, context, maxRequestBytes, report);
      for (const socket of early.splice(0)) accept(socket);
      return broker;
    } catch (error) {
      server.close();
      for (const socket of early) socket.destroy();
      await log.close();
      await ownedStore?.close();
      throw error;
    }
  }

  /**
   * Stops: no new connections or requests, long polls end, buffered produce requests are flushed
   * and answered, the broker leaves the registry, connections close.
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    const serverClosed = new Promise((resolve) => this.#server.close(resolve));
    for (const connection of this.#connections) connection.stopReading();
    this.#closing.abort();
    await this.groups.close();
    await this.log.registry.deregister();
    await this.log.close();
    const grace = AbortSignal.timeout(STOP_GRACE_MS);
    await Promise.race([
      Promise.all([...this.#connections].map((connection) => connection.drained())),
      once(grace, 'abort'),
    ]);
    for (const connection of this.#connections) connection.destroy();
    await serverClosed;
    await this.#ownedStore?.close();
  }

  #serve(
    socket: Socket,
    table: HandlerTable,
    context: BrokerContext,
    maxRequestBytes: number,
    report: (line: string) => void,
  ): void {
    const client = `${socket.remoteAddress}:${socket.remotePort}`;
    let connectionContext = context;
    const connection = new Connection(socket, (frame) => dispatch(frame, table, connectionContext, client), {
      maxRequestBytes,
      maxInFlight: MAX_IN_FLIGHT,
      onClose: (reason) => report(`closed the connection of ${client}: ${reason.message}`),
    });
    connectionContext = { ...context, closing: AbortSignal.any([context.closing, connection.closed]) };
    this.#connections.add(connection);
    connection.closed.addEventListener('abort', () => this.#connections.delete(connection));
  }
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** A Kafka-style cluster id (22 base64url characters) that every broker on the same store derives alike. */
function clusterIdOf(store: ObjectStore, prefix: string): string {
  return createHash('sha256').update(`${store.url}\n${prefix}`).digest('base64url').slice(0, 22);
}
