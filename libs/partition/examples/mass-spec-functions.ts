// Functions over mass-spec partitions, for @isthmus/faas: the total ion current of every spectrum
// of an mzML file, and the mean intensity of every pixel of an imzML image.
import { type Partition, read } from '@isthmus/partition';
import type { Pixel, Spectrum } from '@isthmus/partition/mass-spec';

/** The total ion current (sum of intensities) of one spectrum. */
export interface SpectrumTic {
  id: string;
  index: number;
  tic: number;
}

/** The mean intensity of one pixel. */
export interface PixelMean {
  x: number;
  y: number;
  mean: number;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/** The total ion current of each spectrum of one mzML partition, reading only its byte range. */
export async function spectrumTics(partition: Partition): Promise<SpectrumTic[]> {
  const tics: SpectrumTic[] = [];
  for await (const spectrum of read<Spectrum>(partition)) {
    tics.push({ id: spectrum.id, index: spectrum.index, tic: sum(spectrum.intensity) });
  }
  return tics;
}

/** The mean intensity of each pixel of one imzML partition, reading only its pixels' .ibd bytes. */
export async function pixelMeans(partition: Partition): Promise<PixelMean[]> {
  const means: PixelMean[] = [];
  for await (const pixel of read<Pixel>(partition)) {
    means.push({
      x: pixel.x,
      y: pixel.y,
      mean: pixel.intensity.length === 0 ? 0 : sum(pixel.intensity) / pixel.intensity.length,
    });
  }
  return means;
}

/** The partitions' lists joined in plan order (the reduce of either function). */
export async function concatenate<T>(lists: T[][]): Promise<T[]> {
  return lists.flat();
}
