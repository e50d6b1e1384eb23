import type { StreamLog } from '../log/stream-log.js';
import type { RequestHeader } from '../protocol/frames.js';
import type { GroupCoordinator } from './group-coordinator.js';

/** What a handler may use to answer: the log, this broker's identity and the other brokers. */
export interface BrokerContext {
  /** The durable state: topics, partitions, offsets, the broker registry. */
  readonly log: StreamLog;
  /** This broker's node id in the registry. */
  readonly nodeId: number;
  /** Host and port clients reach this broker at. */
  readonly advertised: { host: string; port: number };
  /** Largest request or record batch accepted, in bytes. */
  readonly maxMessageBytes: number;
  /** Aborted when the broker stops or the client's connection closes: long polls and group waits end. */
  readonly closing: AbortSignal;
  /** The cluster's id in Metadata: the same for every broker on one store. */
  readonly clusterId: string;
  /** Whether Metadata creates the unknown topics it is asked about (Kafka's `auto.create.topics.enable`). */
  readonly autoCreateTopics: boolean;
  /** Partitions of a topic created without a count (auto-created, or CreateTopics with -1). */
  readonly defaultPartitions: number;
  /** This broker's consumer-group coordinator (the group APIs' state). */
  readonly groups: GroupCoordinator;
}

/** One request as a handler receives it. */
export interface HandlerRequest<Body> {
  readonly header: RequestHeader;
  readonly body: Body;
  /** The connection's identity, e.g. for group member ids (`clientId-host`). */
  readonly clientHost: string;
}

/**
 * One Kafka API served by the broker: the versions it answers (advertised by ApiVersions) and the
 * handler. The handler returns the response body, or `undefined` when no response is sent
 * (Produce with acks=0).
 */
export interface ApiHandler<Request = object, Response = object> {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(request: HandlerRequest<Request>, context: BrokerContext): Promise<Response | undefined>;
}
