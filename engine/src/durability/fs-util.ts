// Small file-system helpers whose point is crash safety: a rename or a new file is only durable once
// the directory holding it has been fsynced too.

import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const writev = promisify(fs.writev);

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function ensureDirSync(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
}

/** Moves a file into another directory of the same file system, never overwriting: an existing name
 * gets a numeric suffix. Returns the new path. */
export function moveIntoDirSync(file: string, dir: string, durable: boolean): string {
  ensureDirSync(dir);
  const base = path.basename(file);
  let target = path.join(dir, base);
  for (let i = 1; fs.existsSync(target); i++) target = path.join(dir, `${base}.${i}`);
  fs.renameSync(file, target);
  if (durable) {
    fsyncDirSync(dir);
    fsyncDirSync(path.dirname(file));
  }
  return target;
}

/** Writes bytes to a new file in `dir` without overwriting anything; used to keep dropped data. */
export function keepBytesSync(dir: string, name: string, bytes: Uint8Array): string {
  ensureDirSync(dir);
  let target = path.join(dir, name);
  for (let i = 1; fs.existsSync(target); i++) target = path.join(dir, `${name}.${i}`);
  fs.writeFileSync(target, bytes);
  return target;
}

/** Writes all of `bufs` at `position`, continuing after partial writes; returns the byte count. */
export async function writeAll(fd: number, bufs: Buffer[], position: number): Promise<number> {
  let total = 0;
  for (const b of bufs) total += b.length;
  let done = 0;
  let rest = bufs;
  while (done < total) {
    const { bytesWritten: n } = await writev(fd, rest, position + done);
    done += n;
    if (done < total) {
      // Partial write: continue from the first unwritten byte.
      let skip = n;
      const next: Buffer[] = [];
      for (const b of rest) {
        if (skip >= b.length) skip -= b.length;
        else {
          next.push(skip > 0 ? b.subarray(skip) : b);
          skip = 0;
        }
      }
      rest = next;
    }
  }
  return total;
}
