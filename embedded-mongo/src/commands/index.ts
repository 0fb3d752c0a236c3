// The command table: every command by name, one file per family. Unknown commands answer
// CommandNotFound (59) and the connection stays open.
import type { CommandSpec } from './context.js';
import { aggregateCommands } from './aggregate.js';
import { catalogCommands } from './catalog.js';
import { explainCommands } from './explain.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { readCommands } from './read.js';
import { sessionCommands } from './sessions.js';
import { writeCommands } from './write.js';

export const commands: Record<string, CommandSpec> = {
  ...handshakeCommands,
  ...readCommands,
  ...writeCommands,
  ...aggregateCommands,
  ...indexCommands,
  ...catalogCommands,
  ...sessionCommands,
  ...explainCommands,
};

/** Lets another module add or replace a command (e.g. a test hook). */
export function registerCommand(name: string, spec: CommandSpec): void {
  commands[name] = spec;
}
