import { BUILTIN_FAMILIES, type BuiltinFamily } from './builtin-families.js';
import { FormatMismatchError, FormatRegistrationError, UnknownFormatError } from './errors.js';
import type { AnyFormatHandler, FormatHandler, FormatProbe } from './format-handler.js';
import type { JsonObject } from './json.js';
import type { Strategy } from './strategy.js';

/** Every registered format by name: built-in ones once their family is loaded, and third parties'. */
const registered = new Map<string, AnyFormatHandler>();
/** The built-in family of each built-in format's name. */
const builtinFamilyOf = new Map(
  BUILTIN_FAMILIES.flatMap((family) => family.formats.map((name) => [name, family] as const)),
);
const loading = new Map<BuiltinFamily, Promise<void>>();

/**
 * Adds a format: from then on `openDataset` detects it (third parties' formats are tried before
 * the built-in ones, in the order they were registered), and `read`, `readBatches` and `toFile`
 * find it by the name partitions carry, in this process. A worker that reads partitions of the
 * format must import the module that registers it (bundle it with the functions).
 * `FormatRegistrationError` if the name is taken or the handler is malformed.
 */
export function registerFormat<TIndex extends JsonObject, TRecord, TStrategy extends Strategy>(
  handler: FormatHandler<TIndex, TRecord, TStrategy>,
): void {
  const name = handler?.name;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9.+-]*$/.test(name)) {
    throw new FormatRegistrationError(
      String(name),
      'a format name is lower-case letters, digits, ".", "+" or "-"',
    );
  }
  const existing = registered.get(name);
  if (existing === handler) return;
  const builtin = builtinFamilyOf.get(name);
  if (existing || (builtin && builtin.family !== handler.family)) {
    throw new FormatRegistrationError(name, 'another format has that name');
  }
  for (const method of ['detect', 'index', 'summarize', 'plan', 'read', 'toFile'] as const) {
    if (typeof handler[method] !== 'function')
      throw new FormatRegistrationError(name, `it has no ${method}()`);
  }
  if (!Array.isArray(handler.strategies) || handler.strategies.length === 0) {
    throw new FormatRegistrationError(name, 'it offers no strategies');
  }
  registered.set(name, handler as AnyFormatHandler);
}

async function loadFamily(family: BuiltinFamily): Promise<void> {
  let load = loading.get(family);
  if (!load) {
    load = family.load().then(() => {
      const missing = family.formats.filter((name) => !registered.has(name));
      if (missing.length > 0)
        throw new Error(`the ${family.family} family did not register ${missing.join(', ')}`);
    });
    loading.set(family, load);
  }
  await load;
}

/** The names of every known format: built in (loaded or not) and registered. */
function knownNames(): string[] {
  return [...new Set([...builtinFamilyOf.keys(), ...registered.keys()])];
}

/** The handler of a format by name, loading its family on first use; `UnknownFormatError` (about `key`) otherwise. */
export async function findFormat(name: string, key = name): Promise<AnyFormatHandler> {
  const family = builtinFamilyOf.get(name);
  if (family) await loadFamily(family);
  const handler = registered.get(name);
  if (!handler) {
    throw new UnknownFormatError({ key }, `no format is named "${name}"; known: ${knownNames().join(', ')}`);
  }
  return handler;
}

/** Every format in detection order: third parties' first, then the built-in ones (loading them all). */
export async function listFormats(): Promise<AnyFormatHandler[]> {
  await Promise.all(BUILTIN_FAMILIES.map(loadFamily));
  return [
    ...thirdPartyFormats(),
    ...BUILTIN_FAMILIES.flatMap((family) => family.formats.map((name) => registered.get(name)!)),
  ];
}

function thirdPartyFormats(): AnyFormatHandler[] {
  return [...registered.values()].filter((handler) => !builtinFamilyOf.has(handler.name));
}

/** The first format that recognises the probe, loading built-in families in detection order until one does. */
async function firstDetecting(probe: FormatProbe): Promise<AnyFormatHandler | undefined> {
  const thirdParty = thirdPartyFormats().find((handler) => handler.detect(probe));
  if (thirdParty) return thirdParty;
  for (const family of BUILTIN_FAMILIES) {
    await loadFamily(family);
    for (const name of family.formats) {
      const handler = registered.get(name)!;
      if (handler.detect(probe)) return handler;
    }
  }
  return undefined;
}

/**
 * The handler for a probe: the declared format (checked against the data: a mismatch is an error,
 * never a wrong parse) or the first format that recognises it.
 */
export async function detectFormat(probe: FormatProbe, declared?: string): Promise<AnyFormatHandler> {
  if (declared !== undefined) {
    const handler = await findFormat(declared, probe.key);
    if (handler.detect(probe)) return handler;
    const detected = await firstDetecting(probe);
    throw new FormatMismatchError(
      { key: probe.key, offset: 0 },
      `declared ${declared}, but the data is not ${declared}` +
        (detected ? ` (it looks like ${detected.name})` : ' (nor any known format)'),
    );
  }
  const detected = await firstDetecting(probe);
  if (detected) return detected;
  throw new UnknownFormatError(
    { key: probe.key, offset: 0 },
    `no known format recognises it; name one with format (known: ${knownNames().join(', ')})`,
  );
}
