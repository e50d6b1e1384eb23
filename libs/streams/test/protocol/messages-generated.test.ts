import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMessageFiles, MESSAGES_DIR } from '../../scripts/generate-messages.js';

describe('generated message definitions', () => {
  it('equal what the generator makes of the specs now (regenerate: node --import tsx libs/streams/scripts/generate-messages.ts)', () => {
    const generated = generateMessageFiles();
    expect(readdirSync(MESSAGES_DIR).sort()).toEqual([...generated.keys()].sort());
    for (const [name, source] of generated) {
      expect(readFileSync(join(MESSAGES_DIR, name), 'utf8'), name).toBe(source);
    }
  });
});
