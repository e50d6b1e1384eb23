/** A built bundle: one self-contained ESM file holding the user's functions and the runtime. */
export interface Bundle {
  /** Directory holding `bundle.mjs`, a `package.json` marking it ESM, and `isthmus-bundle.json`. */
  dir: string;
  /** Absolute path of `bundle.mjs`. */
  file: string;
  /** Names the module exports, the functions a task may call. */
  functions: string[];
  /** sha256 of `bundle.mjs`: what was shipped, for caches and deployed runtimes. */
  hash: string;
}

/** File names inside a bundle directory. */
export const BUNDLE_FILE = 'bundle.mjs';
export const BUNDLE_MANIFEST = 'isthmus-bundle.json';
