// One live process per data directory: <dataDir>/LOCK holds the owner's pid. A lock left by a
// process that no longer exists (a crash, kill -9) is taken over.

import fs from 'node:fs';
import path from 'node:path';
import { DurabilityError } from './errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DirLock {
  const file = path.join(dataDir, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(fs.readFileSync(file, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && alive(owner))
      throw new DurabilityError(
        'LOCKED',
        `${dataDir} is in use by process ${owner}${owner === process.pid ? ' (this one: close the other durable world first)' : ''}; ` +
          `one process at a time may open a data directory (delete ${file} only if that process is not a worldline server)`,
      );
    fs.rmSync(file, { force: true }); // stale: its owner is gone
  }
  throw new DurabilityError('LOCKED', `could not take the lock ${file}`);
}
