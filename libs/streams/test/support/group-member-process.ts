import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A kafkajs group member running in a child process (see `group-member-main.ts`). */
export interface GroupMemberProcess {
  /** Values it consumed, in order. */
  readonly values: string[];
  /** Partitions of each assignment it received, the latest last. */
  readonly assignments: Array<Record<string, number[]>>;
  /** Kills it with SIGKILL: no LeaveGroup, its session expires on the coordinator. */
  kill(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./group-member-main.ts', import.meta.url));

/** Starts a member of `group` consuming `topic` through `bootstrap`. */
export function spawnGroupMember(bootstrap: string, group: string, topic: string): GroupMemberProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, bootstrap, group, topic], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const values: string[] = [];
  const assignments: Array<Record<string, number[]>> = [];
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const event = JSON.parse(line) as { value?: string; assignment?: Record<string, number[]> };
      if (event.assignment) assignments.push(event.assignment);
      else if (event.value !== undefined) values.push(event.value);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    values,
    assignments,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
