import { describe, expect, it } from 'vitest';
import { ReadCache } from '../../src/log/read-cache.js';

describe('read cache', () => {
  it('evicts the least recently used values beyond its budget', () => {
    const cache = new ReadCache(100);
    cache.set('a', new Uint8Array(40));
    cache.set('b', new Uint8Array(40));
    expect(cache.get('a')).toBeDefined(); // now newer than b
    cache.set('c', new Uint8Array(40));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('counts views of one buffer once, and frees it only with its last view', () => {
    const cache = new ReadCache(100);
    const segment = new Uint8Array(60);
    cache.set('s1', segment.subarray(0, 20));
    cache.set('s2', segment.subarray(20, 40));
    cache.set('s3', segment.subarray(40, 60));
    cache.set('x', new Uint8Array(40)); // 60 + 40: every view still fits
    expect(['s1', 's2', 's3', 'x'].map((key) => cache.get(key) !== undefined)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    // 20 more bytes: the oldest views go, but the buffer is only freed with s3, the last one
    cache.set('y', new Uint8Array(20));
    expect(['s1', 's2', 's3', 'x', 'y'].map((key) => cache.get(key) !== undefined)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('keeps no value whose buffer exceeds the budget, however small the view', () => {
    const cache = new ReadCache(100);
    cache.set('view', new Uint8Array(200).subarray(0, 10));
    expect(cache.get('view')).toBeUndefined();
  });
});
