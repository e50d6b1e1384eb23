/**
 * Generates `src/protocol/messages/<api>.ts` (one file per API: its request and response
 * definitions as data, and their TypeScript body types) and `src/protocol/messages/index.ts` from
 * Kafka's JSON message specs in `specs/kafka-messages/`. Run:
 *   node --import tsx libs/streams/scripts/generate-messages.ts
 * The output is formatted with the workspace's biome, so the committed files pass `biome check`;
 * a test regenerates it and compares, so the codecs cannot drift from the specs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type DefaultValue,
  type FieldDefinition,
  type MessageDefinition,
  type PrimitiveType,
  VERSION_MAX,
  type VersionRange,
} from '../src/protocol/message-definition.js';

const LIB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACE_DIR = join(LIB_DIR, '..', '..');
/** Where the specs are read from. */
export const SPECS_DIR = join(LIB_DIR, 'specs', 'kafka-messages');
/** Where the generated files go. */
export const MESSAGES_DIR = join(LIB_DIR, 'src', 'protocol', 'messages');

/** A field as the JSON spec states it. */
interface SpecField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  ignorable?: boolean;
  default?: string;
  about?: string;
  fields?: SpecField[];
}

/** A message as the JSON spec states it. */
interface SpecMessage {
  apiKey: number;
  type: 'request' | 'response';
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: SpecField[];
  commonStructs?: Array<{ name: string; versions: string; fields: SpecField[] }>;
}

const PRIMITIVES = new Set<string>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
]);

/** Parses JSON with whole-line and trailing `//` comments (outside strings), as Kafka's specs are written. */
export function parseSpecJson(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += char;
    }
  }
  return JSON.parse(out);
}

/** "3+" → [3, max]; "1-4" → [1, 4]; "2" → [2, 2]; "none" → null. */
export function parseVersions(text: string): VersionRange | null {
  if (text === 'none') return null;
  const open = /^(\d+)\+$/.exec(text);
  if (open) return [Number(open[1]), VERSION_MAX];
  const closed = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!closed) throw new Error(`bad version range "${text}"`);
  return [Number(closed[1]), Number(closed[2] ?? closed[1])];
}

function requireVersions(text: string, where: string): VersionRange {
  const range = parseVersions(text);
  if (!range) throw new Error(`${where}: versions "none" where a range is needed`);
  return range;
}

/** `TopicName` → `topicName`, `ThrottleTimeMs` → `throttleTimeMs`. */
export function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `OffsetForLeaderEpoch` → `offset-for-leader-epoch`. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function parseDefault(type: PrimitiveType | 'struct', text: string, where: string): DefaultValue {
  if (text === 'null') return null;
  switch (type) {
    case 'bool':
      if (text !== 'true' && text !== 'false') throw new Error(`${where}: bad bool default ${text}`);
      return text === 'true';
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64': {
      const value = Number(text);
      if (Number.isNaN(value)) throw new Error(`${where}: bad numeric default ${text}`);
      return value;
    }
    case 'int64':
      return BigInt(text);
    case 'string':
      return text;
    default:
      throw new Error(`${where}: default ${text} for type ${type}`);
  }
}

function toField(spec: SpecField, structs: ReadonlyMap<string, SpecField[]>, where: string): FieldDefinition {
  const path = `${where}.${spec.name}`;
  const array = spec.type.startsWith('[]');
  const elementType = array ? spec.type.slice(2) : spec.type;
  const primitive = PRIMITIVES.has(elementType);
  const structFields = primitive ? undefined : (spec.fields ?? structs.get(elementType));
  if (!primitive && !structFields) throw new Error(`${path}: unknown type ${spec.type}`);
  const type = primitive ? (elementType as PrimitiveType) : 'struct';
  const field: {
    -readonly [K in keyof FieldDefinition]: FieldDefinition[K];
  } = { name: camelCase(spec.name), type, versions: requireVersions(spec.versions, path) };
  if (array) field.array = true;
  if (!primitive) {
    field.structName = elementType;
    field.fields = (structFields as SpecField[]).map((child) => toField(child, structs, path));
  }
  const nullable = spec.nullableVersions ? parseVersions(spec.nullableVersions) : null;
  if (nullable) field.nullableVersions = nullable;
  if (spec.tag !== undefined) {
    field.tag = spec.tag;
    field.taggedVersions = requireVersions(spec.taggedVersions ?? spec.versions, path);
  }
  if (spec.ignorable) field.ignorable = true;
  if (spec.default !== undefined) {
    field.default = array || !primitive ? null : parseDefault(type, spec.default, path);
    if (field.default === null && spec.default !== 'null') throw new Error(`${path}: default for a compound`);
  }
  return field;
}

function commonStructsOf(spec: SpecMessage): Map<string, SpecField[]> {
  return new Map((spec.commonStructs ?? []).map((struct) => [struct.name, struct.fields]));
}

/** Converts one JSON spec into the definition the codec walks. */
export function toDefinition(spec: SpecMessage): MessageDefinition {
  const structs = commonStructsOf(spec);
  return {
    name: spec.name,
    apiKey: spec.apiKey,
    type: spec.type,
    validVersions: requireVersions(spec.validVersions, spec.name),
    flexibleVersions: parseVersions(spec.flexibleVersions),
    fields: spec.fields.map((field) => toField(field, structs, spec.name)),
  };
}

/** Renders a definition value as TypeScript source (bigints as `123n`). */
function literal(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${key}: ${literal(item)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

const TS_PRIMITIVE: Record<PrimitiveType, string> = {
  bool: 'boolean',
  int8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  int64: 'bigint',
  float64: 'number',
  string: 'string',
  bytes: 'Uint8Array',
  records: 'Uint8Array | null',
  uuid: 'string',
};

function rangeText([min, max]: VersionRange): string {
  if (max === VERSION_MAX) return `v${min}+`;
  return min === max ? `v${min}` : `v${min}-${max}`;
}

function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return [Math.max(a[0], b[0]), Math.min(a[1], b[1])];
}

function docComment(text: string): string {
  return `/** ${text.replaceAll('*/', '* /')} */`;
}

/** Renders the body types of one API's request and response, nested structs named uniquely. */
class TypeRenderer {
  private readonly declarations: string[] = [];
  private readonly taken = new Set<string>();

  constructor(
    private readonly reserved: ReadonlySet<string>,
    private readonly commonStructs: ReadonlyMap<string, SpecField[]>,
  ) {}

  render(definition: MessageDefinition, specs: readonly SpecField[]): string {
    this.taken.add(definition.name);
    const versions = `${rangeText(definition.validVersions)}${definition.flexibleVersions ? `, flexible ${rangeText(definition.flexibleVersions)}` : ''}`;
    const body = this.interfaceBody(definition.fields, specs, definition.validVersions, definition.name);
    this.declarations.unshift(
      `${docComment(`Body of ${definition.name} (api key ${definition.apiKey}; ${versions}); fields absent at some versions are optional.`)}\nexport interface ${definition.name} ${body}`,
    );
    return this.declarations.join('\n\n');
  }

  private interfaceBody(
    fields: readonly FieldDefinition[],
    specs: readonly SpecField[],
    scope: VersionRange,
    owner: string,
  ): string {
    const lines = fields.map((field, i) => {
      const spec = specs[i] as SpecField;
      const effective = intersect(scope, field.versions);
      const required =
        field.tag === undefined && field.versions[0] <= scope[0] && field.versions[1] >= scope[1];
      const about = `${spec.about ?? ''} (${rangeText(field.versions)}${field.tag !== undefined ? `, tagged ${field.tag}` : ''})`;
      return `${docComment(about.trim())}\n${field.name}${required ? '' : '?'}: ${this.fieldType(field, spec, effective, owner)};`;
    });
    return `{\n${lines.join('\n')}\n}`;
  }

  private fieldType(field: FieldDefinition, spec: SpecField, scope: VersionRange, owner: string): string {
    let element: string;
    if (field.type === 'struct') {
      const structName = field.structName as string;
      const name =
        this.taken.has(structName) || this.reserved.has(structName) ? `${owner}${structName}` : structName;
      this.taken.add(name);
      const specFields = spec.fields ?? this.commonStructs.get(structName) ?? [];
      const body = this.interfaceBody(field.fields ?? [], specFields, scope, owner);
      this.declarations.push(`${docComment(`${structName} of ${owner}.`)}\nexport interface ${name} ${body}`);
      element = name;
    } else {
      element = TS_PRIMITIVE[field.type];
    }
    const nullable = field.nullableVersions !== undefined && field.type !== 'records';
    const type = field.array ? `${element.includes(' ') ? `(${element})` : element}[]` : element;
    return nullable ? `${type} | null` : type;
  }
}

/** One API: its name (without Request/Response), and both specs. */
interface ApiSpecs {
  readonly api: string;
  readonly request: SpecMessage;
  readonly response: SpecMessage;
}

function loadApis(specsDir: string): ApiSpecs[] {
  const messages = new Map<string, SpecMessage>();
  for (const file of readdirSync(specsDir).filter((name) => name.endsWith('.json'))) {
    const spec = parseSpecJson(readFileSync(join(specsDir, file), 'utf8')) as SpecMessage;
    messages.set(spec.name, spec);
  }
  const apis: ApiSpecs[] = [];
  for (const [name, request] of messages) {
    if (request.type !== 'request') continue;
    const api = name.replace(/Request$/, '');
    const response = messages.get(`${api}Response`);
    if (!response) throw new Error(`${name} has no ${api}Response spec`);
    apis.push({ api, request, response });
  }
  return apis.sort((a, b) => a.request.apiKey - b.request.apiKey);
}

function definitionConstName(api: string): string {
  return `${camelCase(api)}Definition`;
}

function renderApiFile({ api, request, response }: ApiSpecs): string {
  const reserved = new Set([request.name, response.name]);
  const requestTypes = new TypeRenderer(reserved, commonStructsOf(request)).render(
    toDefinition(request),
    request.fields,
  );
  const responseTypes = new TypeRenderer(
    new Set([...reserved, ...declaredNames(requestTypes)]),
    commonStructsOf(response),
  ).render(toDefinition(response), response.fields);
  const definition = { request: toDefinition(request), response: toDefinition(response) };
  return [
    `// Generated by scripts/generate-messages.ts from specs/kafka-messages/${request.name}.json and ${response.name}.json. Do not edit.`,
    `import type { ApiDefinition } from '../message-definition.js';`,
    `${docComment(`${api} (api key ${request.apiKey}): the request and response definitions the codec walks.`)}\nexport const ${definitionConstName(api)}: ApiDefinition = ${literal(definition)};`,
    requestTypes,
    responseTypes,
  ].join('\n\n');
}

function declaredNames(source: string): string[] {
  return [...source.matchAll(/export interface (\w+)/g)].map((match) => match[1] as string);
}

function renderIndex(apis: readonly ApiSpecs[]): string {
  const imports = apis.map(
    ({ api, request, response }) =>
      `import { ${definitionConstName(api)}, type ${request.name}, type ${response.name} } from './${kebabCase(api)}.js';`,
  );
  const entries = apis.map(({ api, request }) => `[${request.apiKey}, ${definitionConstName(api)}],`);
  const types = apis.map(
    ({ request, response }) => `${request.apiKey}: { request: ${request.name}; response: ${response.name} };`,
  );
  return [
    '// Generated by scripts/generate-messages.ts from specs/kafka-messages/*.json. Do not edit.',
    `import type { ApiDefinition } from '../message-definition.js';\n${imports.join('\n')}`,
    `${docComment('The definitions of every API this library encodes and decodes, by api key.')}\nexport const apiDefinitions: ReadonlyMap<number, ApiDefinition> = new Map([\n${entries.join('\n')}\n]);`,
    `${docComment('The request and response body types of every API, by api key.')}\nexport interface ApiMessages {\n${types.join('\n')}\n}`,
  ].join('\n\n');
}

/**
 * Formats TypeScript sources (and sorts their imports) with the workspace's biome and its config, in
 * one run over a temporary folder: the result is what `biome check --write` leaves in the repo.
 */
function format(sources: Map<string, string>): Map<string, string> {
  const folder = mkdtempSync(join(tmpdir(), 'streams-messages-'));
  try {
    for (const [name, source] of sources) writeFileSync(join(folder, name), source);
    const biome = join(WORKSPACE_DIR, 'node_modules', '.bin', 'biome');
    const config = `--config-path=${join(WORKSPACE_DIR, 'biome.json')}`;
    const result = spawnSync(biome, ['check', '--write', '--vcs-enabled=false', config, folder], {
      encoding: 'utf8',
    });
    if (result.status !== 0)
      throw new Error(`biome check of the generated files failed: ${result.stdout}${result.stderr}`);
    return new Map([...sources.keys()].map((name) => [name, readFileSync(join(folder, name), 'utf8')]));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The generated files, formatted: file name in `src/protocol/messages/` → content. */
export function generateMessageFiles(specsDir = SPECS_DIR): Map<string, string> {
  const apis = loadApis(specsDir);
  const sources = new Map<string, string>();
  for (const api of apis) sources.set(`${kebabCase(api.api)}.ts`, `${renderApiFile(api)}\n`);
  sources.set('index.ts', `${renderIndex(apis)}\n`);
  return format(sources);
}

function main(): void {
  const files = generateMessageFiles();
  rmSync(MESSAGES_DIR, { recursive: true, force: true });
  mkdirSync(MESSAGES_DIR, { recursive: true });
  for (const [name, source] of files) writeFileSync(join(MESSAGES_DIR, name), source);
  console.log(`wrote ${files.size} files to ${relative(process.cwd(), MESSAGES_DIR)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
