// The `worldline` command: one entry point for the tools. Only the CLI (and server entry points)
// read the environment or the process's arguments.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runStart, START_HELP } from './start.ts';
import { runReplayCli, REPLAY_HELP } from './replay.ts';

const HELP = `Usage: worldline <command> [options]

Commands:
  start <module.ts>          run a module's world: durable storage, WebSocket + HTTP
  replay <data-dir>          inspect a world's history: state at a tick or time, --verify the log
  loadtest                   drive a server with bots (see npm run loadtest -- --help)

Run 'worldline <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'start': return await runStart(rest);
      case 'replay': return await runReplayCli(rest);
      case 'loadtest': {
        // The harness lives in the loadtest workspace and runs as its own process (it forks bots).
        let cli: string;
        try { cli = fileURLToPath(import.meta.resolve('@worldline/loadtest/cli.ts')); } catch {
          console.error('the load tester ships in the repository (loadtest/): run npm run loadtest -- --help');
          return 2;
        }
        return spawnSync(process.execPath, ['--import', 'tsx', cli, ...rest], { stdio: 'inherit' }).status ?? 1;
      }
      case undefined: case '--help': case '-h': case 'help':
        console.log(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        console.error(`unknown command '${cmd}'\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    console.error(`worldline ${cmd}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

export { START_HELP, REPLAY_HELP };
