import { FaasError } from '@isthmus/faas';
import { InvalidStrategyError, PartitionError } from '@isthmus/partition';
import { StorageError } from '@isthmus/storage';
import { StreamsError } from '@isthmus/streams';
import { VectorsError } from '@isthmus/vectors';
import { CommanderError } from 'commander';
import type { CommandIo } from './io.js';
import { createProgram } from './program.js';

/**
 * Runs the CLI on `args` (without node and script) and returns the exit code: 0 on success,
 * 1 when the work failed (a storage, faas, partition, vectors or streams error, printed with its code), 2 on a usage error
 * (a malformed `--by` strategy included: it is checked once the dataset's format is known).
 */
export async function runCli(args: string[], io: CommandIo): Promise<number> {
  try {
    await createProgram(io).parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof InvalidStrategyError) {
      io.stderr.write(`isthmus: ${error.message} [${error.code}]\n`);
      return 2;
    }
    if (
      error instanceof StorageError ||
      error instanceof FaasError ||
      error instanceof PartitionError ||
      error instanceof VectorsError ||
      error instanceof StreamsError
    ) {
      io.stderr.write(`isthmus: ${error.message} [${error.code}]\n`);
      return 1;
    }
    io.stderr.write(`isthmus: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
