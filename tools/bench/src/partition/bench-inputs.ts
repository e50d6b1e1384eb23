// Large inputs for the partition benchmark, generated from the real sample files in
// @isthmus/fixtures by replication (never made-up data): records are repeated with new
// names or shifted positions until the file reaches the target size.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { samplePath } from '@isthmus/fixtures';

const run = promisify(execFile);

/** One benchmark input: a format, how to make a file of about `bytes` bytes, and its goal for the index pass. */
export interface BenchInput {
  /** File name, with the format's extension. */
  name: string;
  /** The format's name in @isthmus/partition. */
  format: string;
  /** Goal of index-pass throughput over a raw GET (0.5 for gzip-compressed formats, 0.9 otherwise). */
  indexGoal: number;
  /** Whether a stand-alone piece re-read holds the same records (not so for rasters: blocks change). */
  piecesKeepRecords: boolean;
  /** Writes the file into `dir` and returns its path. */
  make(dir: string, bytes: number): Promise<string>;
}

async function writeStreamed(
  path: string,
  gzip: boolean,
  produce: (write: (text: string) => Promise<void>) => Promise<void>,
) {
  const file = createWriteStream(path);
  const sink = gzip ? createGzip({ level: 6 }) : file;
  if (gzip) sink.pipe(file);
  const write = (text: string) =>
    new Promise<void>((resolve) => {
      if (sink.write(text, 'latin1')) resolve();
      else sink.once('drain', () => resolve());
    });
  await produce(write);
  await new Promise<void>((resolve, reject) => {
    file.on('finish', resolve).on('error', reject);
    sink.end();
  });
}

/** Writes `copy(0)`, `copy(1)`, … until `target` bytes are written. */
async function repeatUntil(
  write: (text: string) => Promise<void>,
  target: number,
  copy: (n: number) => string,
) {
  let written = 0;
  for (let n = 0; written < target; n++) {
    const text = copy(n);
    written += text.length;
    await write(text);
  }
}

/** FASTQ.gz: the ERR127302 reads, repeated with renamed read ids (gzip level 6, about 1:3). */
const fastqGz: BenchInput = {
  name: 'reads.fastq.gz',
  format: 'fastq',
  indexGoal: 0.5,
  piecesKeepRecords: true,
  async make(dir, bytes) {
    const reads = await readFile(samplePath('fastq/ERR127302_1_subset.fastq'), 'latin1');
    const path = join(dir, this.name);
    await writeStreamed(path, true, (write) =>
      repeatUntil(write, bytes * 3.2, (n) =>
        n === 0 ? reads : reads.replace(/^@ERR127302\./gm, `@ERR127302.c${n}.`),
      ),
    );
    return path;
  },
};

/** CSV: rows with quoted fields holding commas, quotes and line breaks. */
const csv: BenchInput = {
  name: 'table.csv',
  format: 'csv',
  indexGoal: 0.9,
  piecesKeepRecords: true,
  async make(dir, bytes) {
    const path = join(dir, this.name);
    const reads = (await readFile(samplePath('fastq/ERR127302_1_subset.fastq'), 'latin1')).split('\n');
    await writeStreamed(path, false, async (write) => {
      await write('id,name,sequence,note\n');
      await repeatUntil(write, bytes, (n) => {
        let block = '';
        for (let i = 0; i + 3 < reads.length; i += 4) {
          block += `${n}-${i / 4},"${reads[i]!.slice(1)}",${reads[i + 1]},"quality ""${reads[i + 3]!.slice(0, 8)}"",\nline two"\n`;
        }
        return block;
      });
    });
    return path;
  },
};

/** VCF.gz (BGZF): the 1000 Genomes records, repeated at shifted positions, compressed by bgzip. */
const vcfGz: BenchInput = {
  name: 'calls.vcf.gz',
  format: 'vcf',
  indexGoal: 0.5,
  piecesKeepRecords: true,
  async make(dir, bytes) {
    const text = await readFile(samplePath('vcf/1kg.vcf'), 'latin1');
    const headerEnd = text.lastIndexOf('\n#') + 1;
    const bodyStart = text.indexOf('\n', headerEnd) + 1;
    const header = text.slice(0, bodyStart);
    const records = text
      .slice(bodyStart)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
    const span = Math.max(...records.map((fields) => Number(fields[1]))) + 1;
    const plain = join(dir, 'calls.vcf');
    await writeStreamed(plain, false, async (write) => {
      await write(header);
      // VCF compresses about 9:1 with bgzip
      await repeatUntil(
        write,
        bytes * 9,
        (n) =>
          `${records
            .map((fields) => [fields[0], Number(fields[1]) + n * span, ...fields.slice(2)].join('\t'))
            .join('\n')}\n`,
      );
    });
    await run('bgzip', ['-f', '-@', '2', plain]);
    return join(dir, this.name);
  },
};

/** BAM: the ce#1000 alignments, repeated with renamed reads, converted by samtools. */
const bam: BenchInput = {
  name: 'alignments.bam',
  format: 'bam',
  indexGoal: 0.5,
  piecesKeepRecords: true,
  async make(dir, bytes) {
    const text = await readFile(samplePath('sam/ce#1000.sam'), 'latin1');
    const lines = text.split('\n').filter(Boolean);
    const header = `${lines.filter((line) => line.startsWith('@')).join('\n')}\n`;
    const body = lines.filter((line) => !line.startsWith('@'));
    const sam = join(dir, 'alignments.sam');
    await writeStreamed(sam, false, async (write) => {
      await write(header);
      // SAM compresses about 3.5:1 into BAM
      await repeatUntil(write, bytes * 3.5, (n) => `${body.map((line) => `c${n}.${line}`).join('\n')}\n`);
    });
    const path = join(dir, this.name);
    await run('samtools', ['view', '-@', '2', '-b', '-o', path, sam]);
    return path;
  },
};

/** LAS: the Autzen points repeated (header counts patched), uncompressed point records. */
const las: BenchInput = {
  name: 'points.las',
  format: 'las',
  indexGoal: 0.9,
  piecesKeepRecords: true,
  async make(dir, bytes) {
    const source = await readFile(samplePath('las/autzen_trim.las'));
    const pointsAt = source.readUInt32LE(96);
    const points = source.subarray(pointsAt);
    const copies = Math.max(1, Math.round(bytes / points.length));
    const header = Buffer.from(source.subarray(0, pointsAt));
    header.writeUInt32LE(source.readUInt32LE(107) * copies, 107);
    for (let r = 0; r < 5; r++) header.writeUInt32LE(source.readUInt32LE(111 + 4 * r) * copies, 111 + 4 * r);
    const path = join(dir, this.name);
    await writeStreamed(path, false, async (write) => {
      await write(header.toString('latin1'));
      for (let n = 0; n < copies; n++) await write(points.toString('latin1'));
    });
    return path;
  },
};

/** COG: RGB.byte.tif upsampled by GDAL into a deflate-compressed 256×256-tiled COG. */
const cog: BenchInput = {
  name: 'image.cog.tif',
  format: 'geotiff',
  indexGoal: 0.9,
  piecesKeepRecords: false,
  async make(dir, bytes) {
    const source = samplePath('geotiff/RGB.byte.tif');
    // the deflated COG holds about 0.6 bytes per pixel of the source
    const scale = Math.max(1, Math.sqrt(bytes / (await stat(source)).size / 0.6));
    const path = join(dir, this.name);
    const percent = `${Math.round(scale * 100)}%`;
    await run('gdal_translate', [
      '-q',
      '-of',
      'COG',
      '-co',
      'COMPRESS=DEFLATE',
      '-co',
      'BLOCKSIZE=256',
      '-outsize',
      percent,
      percent,
      source,
      path,
    ]);
    return path;
  },
};

/** Every input of the benchmark. */
export const BENCH_INPUTS: readonly BenchInput[] = [fastqGz, bam, vcfGz, csv, las, cog];

/** Makes an input unless a file of it of about the right size is already in `dir` (a cache across runs). */
export async function ensureInput(input: BenchInput, dir: string, bytes: number): Promise<string> {
  const marker = join(dir, `${input.name}.target`);
  const path = join(dir, input.name);
  const cached = await readFile(marker, 'utf8').catch(() => undefined);
  if (cached === String(bytes) && (await stat(path).catch(() => undefined))) return path;
  await input.make(dir, bytes);
  await writeFile(marker, String(bytes));
  return path;
}
