// Ready-made task envelopes for tests that talk to a runtime directly (packaging, images).
import type { TaskEnvelope } from '../runtime/protocol.js';

/** `square(7)`, answered with `{ ok: true, output: { inline: '49' } }`. */
export const SQUARE_7: TaskEnvelope = {
  taskId: 't1.1',
  fn: 'square',
  input: { inline: '7' },
  inlineLimitBytes: 65536,
  resultKey: 'r',
};
