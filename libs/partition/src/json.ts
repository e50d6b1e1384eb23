/** A JSON value: what partitions and indexes are made of, so they travel to any function. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };
