// Starts the server under test as a child process (so its CPU and RSS can be read from /proc),
// waits until its health endpoint answers, and stops it at the end.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Params, ServerSpec } from '../scenario/scenario.ts';

export class ServerStartError extends Error {
  readonly code = 'LOADTEST_SERVER_START';
}

export interface StartedServer {
  pid: number;
  port: number;
  url: string;
  httpUrl: string;
  /** Last lines the server printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** An ephemeral port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Replaces {port} and {name} placeholders; an unknown placeholder is an error, not an empty string. */
export function substitute(text: string, values: Readonly<Record<string, string | number | boolean>>): string {
  return text.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_, k: string) => {
    if (!(k in values)) throw new ServerStartError(`server command uses {${k}} but no param "${k}" is set: add --param ${k}=...`);
    return String(values[k]);
  });
}

export async function startServer(spec: ServerSpec, params: Params, cwd: string): Promise<StartedServer> {
  const port = await freePort();
  const values = { ...params, port };
  const [cmd, ...args] = spec.command.map((c) => substitute(c, values));
  if (!cmd) throw new ServerStartError('server command is empty');
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const [k, v] of Object.entries(spec.env ?? {})) env[k] = substitute(v, values);
  const child: ChildProcess = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exited = `exited with ${sig ?? code}`;
      resolve();
    }),
  );
  const httpUrl = `http://127.0.0.1:${port}`;
  const healthPath = spec.healthPath ?? '/health';
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };
  for (;;) {
    if (exited) throw new ServerStartError(`server ${exited} before it was ready:\n${tail.join('\n')}`);
    try {
      const res = await fetch(httpUrl + healthPath, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new ServerStartError(`server did not answer ${healthPath} within ${spec.readyTimeoutMs ?? 60_000} ms:\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid!, port, url: `ws://127.0.0.1:${port}${spec.wsPath ?? ''}`, httpUrl, output: () => tail.join('\n'), stop };
}
