import { UnknownFormatError } from '../errors.js';
import type { AnyFormatHandler } from '../format-handler.js';
import { arrayFormats } from './array/index.js';
import { genomicsFormats } from './genomics/index.js';
import { massSpecFormats } from './mass-spec/index.js';
import { pointCloudFormats } from './point-cloud/index.js';
import { rasterFormats } from './raster/index.js';
import { textFormats } from './text/index.js';

/**
 * Every format, in detection order: formats with magic bytes come before those recognised by
 * name, and the generic text formats come last.
 */
export const FORMATS: readonly AnyFormatHandler[] = [
  ...arrayFormats,
  ...pointCloudFormats,
  ...rasterFormats,
  ...massSpecFormats,
  ...genomicsFormats,
  ...textFormats,
];

/** The handler of a format by name; `UnknownFormatError` (about `key`) for names no handler has. */
export function formatByName(name: string, key = name): AnyFormatHandler {
  const handler = FORMATS.find((format) => format.name === name);
  if (!handler) {
    throw new UnknownFormatError(
      { key },
      `no format is named "${name}"; known: ${FORMATS.map((f) => f.name).join(', ')}`,
    );
  }
  return handler;
}
