import { describe, expect, it } from 'vitest';
import { chunksOf } from '../src/body.js';

async function sizes(input: Uint8Array[], size: number): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of chunksOf(input, size)) out.push(chunk.length);
  return out;
}

describe('chunksOf', () => {
  it('re-chunks into exact pieces, the last one shorter', async () => {
    expect(await sizes([Buffer.alloc(3), Buffer.alloc(10), Buffer.alloc(1)], 5)).toEqual([5, 5, 4]);
    expect(await sizes([Buffer.alloc(10)], 5)).toEqual([5, 5]);
    expect(await sizes([], 5)).toEqual([]);
  });

  it('keeps the bytes in order', async () => {
    const input = [Buffer.from('abc'), Buffer.from('defgh'), Buffer.from('ij')];
    const out: string[] = [];
    for await (const chunk of chunksOf(input, 4)) out.push(chunk.toString());
    expect(out).toEqual(['abcd', 'efgh', 'ij']);
  });
});
