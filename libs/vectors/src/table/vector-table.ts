import { type Connection, connect, type Table } from '@lancedb/lancedb';
import {
  DimensionMismatchError,
  EmbedderMismatchError,
  StoreUnreachableError,
  TableNotFoundError,
} from '../errors.js';
import { chunkSchema, embedderOfSchema, type TableEmbedderInfo } from './chunk-schema.js';
import { locateTable, type TableConnectionOptions, type TableLocation } from './table-location.js';

/** Options of `VectorTable.open`. */
export interface OpenTableOptions extends TableConnectionOptions {
  /** Create the table for vectors of this embedder when it does not exist; checked against it when it does. */
  embedder?: TableEmbedderInfo;
}

/** A LanceDB table of chunks and their vectors, on `file://` or `s3://`, with the embedder it was made with. */
export class VectorTable {
  private constructor(
    /** Where the table lives. */
    readonly location: TableLocation,
    /** The model and dimension of the table's vectors. */
    readonly embedder: TableEmbedderInfo,
    /** The LanceDB table itself, for anything this class does not wrap. */
    readonly lance: Table,
    private readonly connection: Connection,
  ) {}

  /**
   * Opens the table at `url` (`file:///dir/name`, `s3://bucket/prefix/name`), creating it when
   * `options.embedder` is given and it does not exist.
   * @throws {TableNotFoundError} no table there and nothing to create it with.
   * @throws {DimensionMismatchError} / {EmbedderMismatchError} the table holds another model's vectors.
   */
  static async open(url: string, options: OpenTableOptions = {}): Promise<VectorTable> {
    const location = locateTable(url, options);
    const connection = await connect(location.databaseUri, { storageOptions: location.storageOptions }).catch(
      (error: unknown) => Promise.reject(asUnreachable(error, location)),
    );
    try {
      const lance = await openOrCreate(connection, location, options.embedder).catch((error: unknown) =>
        Promise.reject(asUnreachable(error, location)),
      );
      const recorded = embedderOfSchema(await lance.schema());
      if (!recorded) {
        throw new TableNotFoundError(
          `${location.url} is a LanceDB table, but not one written by @isthmus/vectors`,
        );
      }
      if (options.embedder) checkSameEmbedder(location.url, recorded, options.embedder);
      return new VectorTable(location, recorded, lance, connection);
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  /** Rows in the table (matching `filter`, an SQL predicate, when given), at its latest version. */
  async countRows(filter?: string): Promise<number> {
    await this.lance.checkoutLatest();
    return this.lance.countRows(filter);
  }

  /** Closes the table and its connection. */
  close(): void {
    this.lance.close();
    this.connection.close();
  }
}

async function openOrCreate(
  connection: Connection,
  location: TableLocation,
  embedder: TableEmbedderInfo | undefined,
): Promise<Table> {
  const names = await connection.tableNames();
  if (names.includes(location.name)) return connection.openTable(location.name);
  if (!embedder) throw new TableNotFoundError(`no table at ${location.url}`);
  return connection.createEmptyTable(location.name, chunkSchema(embedder), { existOk: true });
}

/** What LanceDB says when its object store cannot be reached at all (connection refused, no such host). */
const UNREACHABLE = /error sending request|tcp connect error|dns error|Connection refused/i;

/**
 * LanceDB's error for a store it cannot reach (a Rust error dump naming every retry) as a
 * `StoreUnreachableError` naming the table, the endpoint and the reason; other errors as they are.
 */
function asUnreachable(error: unknown, location: TableLocation): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!UNREACHABLE.test(message)) return error;
  const reason = /message: "([^"]+)"/.exec(message)?.[1] ?? /ConnectError\("([^"]+)"/.exec(message)?.[1];
  const endpoint = location.storageOptions.aws_endpoint;
  return new StoreUnreachableError(
    `cannot reach the store of ${location.url}${endpoint ? ` at ${endpoint}` : ''}` +
      `${reason ? ` (${reason.toLowerCase()})` : ''}: is the server running and the endpoint right?`,
    { cause: error },
  );
}

/**
 * Checks that vectors of `given` may meet the table's (`recorded`): same dimension, same model.
 * @throws {DimensionMismatchError} / {EmbedderMismatchError}
 */
export function checkSameEmbedder(url: string, recorded: TableEmbedderInfo, given: TableEmbedderInfo): void {
  if (recorded.dimension !== given.dimension) {
    throw new DimensionMismatchError(
      `${url} holds ${recorded.dimension}-dimensional vectors of ${recorded.modelId}; ` +
        `${given.modelId} makes ${given.dimension}-dimensional ones`,
    );
  }
  if (recorded.modelId !== given.modelId) {
    throw new EmbedderMismatchError(
      `${url} holds vectors of ${recorded.modelId}, not ${given.modelId}: search with the same model, or use another table`,
    );
  }
}
