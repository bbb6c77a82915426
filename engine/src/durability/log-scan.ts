// Opening a log directory: checks segment headers, scans the newest segment record by record and cuts
// a torn or corrupt tail. Dropped bytes that may hold real records go to quarantine/, never away.

import fs from 'node:fs';
import path from 'node:path';
import type { DroppedData } from './log-api.ts';
import { describeFrameProblem } from './record-codec.ts';
import { SegmentCursor } from './segment-cursor.ts';
import { parseSegmentFileName } from './segment-format.ts';
import { fsyncDirSync, keepBytesSync, moveIntoDirSync } from './fs-util.ts';
import type { DurabilityLogger } from './types.ts';

export interface SegmentRef {
  firstTick: number;
  file: string;
}

export interface LogDirs {
  log: string;
  archive: string;
  quarantine: string;
}

export function logDirs(dataDir: string): LogDirs {
  return {
    log: path.join(dataDir, 'log'),
    archive: path.join(dataDir, 'archive'),
    quarantine: path.join(dataDir, 'quarantine'),
  };
}

export function listSegments(dir: string): SegmentRef[] {
  if (!fs.existsSync(dir)) return [];
  const out: SegmentRef[] = [];
  for (const name of fs.readdirSync(dir)) {
    const firstTick = parseSegmentFileName(name);
    if (firstTick !== undefined) out.push({ firstTick, file: path.join(dir, name) });
  }
  return out.sort((a, b) => a.firstTick - b.firstTick);
}

export interface ScanResult {
  segments: SegmentRef[];
  lastTick: number | undefined;
  /** Valid byte length of the newest segment. */
  currentSize: number;
  currentRecords: number;
  storedVersionHash: string | undefined;
  dropped: DroppedData[];
}

/** Repairs the log directory in place. With `cutAfter`, records after that tick are dropped too.
 * With `readOnly`, nothing on disk changes: the result only describes what a repair would drop. */
export function scanAndRepair(
  dirs: LogDirs,
  durable: boolean,
  logger: DurabilityLogger,
  cutAfter?: { tick: number | undefined; reason: string },
  readOnly = false,
): ScanResult {
  const dropped: DroppedData[] = [];
  let segs = listSegments(dirs.log);
  const quarantineFrom = (i: number, reason: string): void => {
    const gone = segs.slice(i);
    let bytes = 0;
    for (const s of gone) {
      bytes += fs.statSync(s.file).size;
      if (!readOnly) moveIntoDirSync(s.file, dirs.quarantine, durable);
    }
    segs = segs.slice(0, i);
    const d: DroppedData = { lastGoodTick: undefined, reason, bytes, keptAt: readOnly ? undefined : dirs.quarantine };
    dropped.push(d);
  };

  let storedVersionHash: string | undefined;
  for (let i = 0; i < segs.length; i++) {
    const c = new SegmentCursor(segs[i].file, Math.min(fs.statSync(segs[i].file).size, 65568));
    c.close();
    const why = c.headerError ?? (c.header!.firstTick !== segs[i].firstTick ? 'header names another first tick' : undefined);
    if (why !== undefined) {
      quarantineFrom(i, `segment ${path.basename(segs[i].file)} is unreadable (${why}); it and ${segs.length - i - 1} later segment(s) were moved to quarantine/`);
      break;
    }
    storedVersionHash = c.header!.versionHash;
  }
  if (cutAfter !== undefined) {
    const keepUpTo = cutAfter.tick ?? -Infinity;
    const i = segs.findIndex((s) => s.firstTick > keepUpTo);
    if (i >= 0) quarantineFrom(i, `${cutAfter.reason}; ${segs.length - i} segment(s) after tick ${cutAfter.tick} were moved to quarantine/`);
  }

  let lastTick: number | undefined;
  let currentSize = 0;
  let currentRecords = 0;
  const last = segs.at(-1);
  if (last !== undefined) {
    const c = new SegmentCursor(last.file);
    storedVersionHash = c.header!.versionHash;
    let expected = c.header!.firstTick;
    let end = c.headerSize;
    let reason: string | undefined;
    let worthKeeping = false;
    for (;;) {
      const step = c.next();
      if (step.kind === 'end') break;
      if (step.kind === 'bad') {
        reason = describeFrameProblem(step.reason);
        worthKeeping = step.reason !== 'incomplete';
        break;
      }
      if (step.tick !== expected) {
        reason = `record for tick ${step.tick} where tick ${expected} was expected`;
        worthKeeping = true;
        break;
      }
      if (cutAfter !== undefined && cutAfter.tick !== undefined && step.tick > cutAfter.tick) {
        reason = cutAfter.reason;
        worthKeeping = true;
        break;
      }
      expected++;
      currentRecords++;
      end = step.end;
    }
    const size = c.size;
    c.close();
    const hasEarlier = segs.length > 1 || listSegments(dirs.archive).length > 0;
    lastTick = currentRecords > 0 ? expected - 1 : hasEarlier ? c.header!.firstTick - 1 : undefined;
    if (end < size && readOnly) {
      dropped.push({ lastGoodTick: lastTick, reason: `${path.basename(last.file)} at byte ${end}: ${reason} (read-only: left in place)`, bytes: size - end });
    } else if (end < size) {
      const name = path.basename(last.file);
      let keptAt: string | undefined;
      if (worthKeeping) {
        const tail = Buffer.alloc(size - end);
        const fd = fs.openSync(last.file, 'r');
        fs.readSync(fd, tail, 0, tail.length, end);
        fs.closeSync(fd);
        keptAt = keepBytesSync(dirs.quarantine, `${name}.from-${end}`, tail);
      }
      const fd = fs.openSync(last.file, 'r+');
      fs.ftruncateSync(fd, end);
      if (durable) fs.fsyncSync(fd);
      fs.closeSync(fd);
      dropped.push({ lastGoodTick: lastTick, reason: `${name} at byte ${end}: ${reason}`, bytes: size - end, keptAt });
    }
    currentSize = end;
  }
  for (const d of dropped) {
    d.lastGoodTick = lastTick;
    logger.warn(
      `log: ${readOnly ? 'ignoring' : 'dropped'} ${d.bytes} byte(s): ${d.reason}; the log now ends at tick ${lastTick ?? '(none)'}` +
        (d.keptAt ? `; the dropped bytes are kept in ${d.keptAt}` : ''),
    );
  }
  if (durable && !readOnly && dropped.length > 0) fsyncDirSync(dirs.log);
  return { segments: segs, lastTick, currentSize, currentRecords, storedVersionHash, dropped };
}
