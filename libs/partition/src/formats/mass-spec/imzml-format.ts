import type { FormatHandler } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { GenericStrategy } from '../../strategy.js';
import { type ImzmlIndex, indexImzml } from './imzml-index.js';
import { type Pixel, readPixels } from './imzml-pixels.js';
import { planImzml } from './imzml-plan.js';
import { imzmlToFile } from './imzml-to-file.js';
import { type PixelsStrategy, pixelsStrategy } from './pixels-strategy.js';
import { peakBatch } from './spectrum-batch.js';
import { isImzml, rootElement } from './xml-root.js';

/**
 * imzML + .ibd (continuous and processed): a record is a pixel with its spectrum. The index pass
 * streams the imzML once for each pixel's position and .ibd offsets and checks the pair (UUID,
 * sizes); partitions fetch only their pixels' bytes of the .ibd.
 */
export const imzmlFormat: FormatHandler<ImzmlIndex, Pixel, GenericStrategy | PixelsStrategy> = {
  name: 'imzml',
  family: 'mass-spec',
  description: 'imzML imaging mass spectrometry with its .ibd; a record is a pixel',
  indexVersion: 1,
  strategies: [...GENERIC_STRATEGIES, pixelsStrategy],
  detect(probe) {
    return rootElement(probe.head) === 'mzML' && isImzml(probe.key, probe.head);
  },
  index: indexImzml,
  summarize(index) {
    const xs = index.pixels.map((pixel) => pixel[0]);
    const ys = index.pixels.map((pixel) => pixel[1]);
    return {
      records: index.pixels.length,
      unit: 'pixels',
      bytes: index.ibdSize,
      details: {
        mode: index.mode,
        uuid: index.uuid,
        ibd: index.ibdKey,
        width: xs.length === 0 ? 0 : Math.max(...xs) - Math.min(...xs) + 1,
        height: ys.length === 0 ? 0 : Math.max(...ys) - Math.min(...ys) + 1,
      },
    };
  },
  plan: planImzml,
  read: readPixels,
  async *readBatches(partition, source) {
    const pixels: Pixel[] = [];
    for await (const pixel of readPixels(partition, source)) pixels.push(pixel);
    yield peakBatch(pixels, {
      x: { type: 'int32', value: (pixel) => pixel.x },
      y: { type: 'int32', value: (pixel) => pixel.y },
    });
  },
  toFile: imzmlToFile,
};
