// The `worldline` command: one entry point for the tools. Only the CLI (and server entry points)
// read the environment or the process's arguments.
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
        const spec = '@worldline/loadtest/src/cli.ts';
        const mod = (await import(spec).catch(() => null)) as { main?: (a: string[]) => Promise<number> } | null;
        if (!mod?.main) { console.error('the load tester ships in the repository (loadtest/): run npm run loadtest -- --help'); return 2; }
        return await mod.main(rest);
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
