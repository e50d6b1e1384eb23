import { Command } from 'commander';
import { faasCommand } from './faas/faas-command.js';
import type { CommandIo } from './io.js';
import { partitionCommand } from './partition/partition-command.js';
import { storageCommand } from './storage/storage-command.js';
import { brokerCommand } from './streams/broker-command.js';
import { streamsCommand } from './streams/streams-command.js';
import { vectorsCommand } from './vectors/vectors-command.js';

/** The `isthmus` program: one subcommand group per library. */
export function createProgram(io: CommandIo): Command {
  const program = new Command('isthmus')
    .description('Serverless data processing of AI data types on the HPC and cloud stacks.')
    .version('0.1.0')
    .addCommand(storageCommand(io))
    .addCommand(faasCommand(io))
    .addCommand(partitionCommand(io))
    .addCommand(vectorsCommand(io))
    .addCommand(streamsCommand(io))
    .addCommand(brokerCommand(io));
  forEachCommand(program, (command) =>
    command
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
      })
      .showHelpAfterError()
      .exitOverride(),
  );
  return program;
}

/** Applies `configure` to a command and all its subcommands (commander copies settings only at creation). */
function forEachCommand(command: Command, configure: (command: Command) => void): void {
  configure(command);
  for (const sub of command.commands) forEachCommand(sub, configure);
}
