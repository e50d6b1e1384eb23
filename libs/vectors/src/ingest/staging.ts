import type { TableLocation } from '../table/table-location.js';

/**
 * Where functions stage a table's rows before the coalescer commits them: the prefix
 * `_isthmus/<table>/staging/` of the database store, as a key prefix and as a store URL for the
 * functions. Each unit's rows are one object, deleted once committed; objects left by a crashed
 * run are rewritten by a re-run of the same units (their keys hash the unit, the document's etag,
 * the model and the chunking) and deleted after its commit. Removing the folder while no ingest
 * runs is always safe.
 */
export interface Staging {
  /** The staging folder's keys' prefix in the database store. */
  prefix: string;
  /** The staging folder as a store URL (`<database>/_isthmus/<table>/staging`). */
  url: string;
}

/** The staging folder of a table. */
export function stagingOf(location: TableLocation): Staging {
  const prefix = `_isthmus/${location.name}/staging/`;
  return { prefix, url: `${location.store.url.replace(/\/+$/, '')}/${prefix.slice(0, -1)}` };
}
