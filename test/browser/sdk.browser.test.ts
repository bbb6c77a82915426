// The SDK in a real browser: Debian's Chromium (playwright-core) loads a page whose script is the
// SDK bundled by esbuild, connects to a real Worldline server (createServer, default transport),
// receives rows, and completes reducer calls — one that succeeds and one the reducer rejects.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer as createHttpServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';
import { createServer, type WorldlineServer } from '@worldline/engine/server/index.ts';
import { silentLogger } from '@worldline/engine';
import { connect, type Client } from '../../sdk/src/index.ts';
import arena from '../../sdk/src/test-support/arena.ts';
import type { BrowserReport } from './sdk-entry.ts';

const CHROMIUM = '/usr/bin/chromium';
let server: WorldlineServer<typeof arena>;
let wsUrl = '';
let http: Server;
let pageUrl = '';
let browser: Browser;
let dataDir = '';
let bot: Client<typeof arena>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  dataDir = await mkdtemp(join(tmpdir(), 'worldline-browser-'));
  server = createServer(arena, { tokenSecret: 'browser-test-secret-0123456789abcdef', dataDir, logger: silentLogger });
  const port = await server.listen(0, '127.0.0.1');
  wsUrl = `ws://127.0.0.1:${port}/ws`;

  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./sdk-entry.ts', import.meta.url))],
    bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]!.text;
  const html = '<!doctype html><meta charset="utf-8"><title>worldline sdk</title><script type="module" src="/app.js"></script>';
  http = createHttpServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((res) => http.listen(0, '127.0.0.1', res));
  pageUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;

  // A Node client already in the world, so the browser has rows to receive.
  bot = connect<typeof arena>({ url: wsUrl, WebSocket });
  await bot.ready;
  await bot.subscribe('avatar').ready;
  await bot.reducers.join({ name: 'node-bot' });

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await bot?.close();
  await new Promise<void>((res) => (http ? http.close(() => res()) : res()));
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('SDK in Chromium', () => {
  it('connects to a Worldline server, receives rows and completes reducer calls', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(pageUrl);
    await page.waitForFunction(() => typeof window.sdkCheck === 'function');
    const seenByBot = new Promise<string>((res) => bot.db.avatar.onInsert((r) => res(r.name)));
    const report: BrowserReport = await page.evaluate((url) => window.sdkCheck(url), wsUrl);

    expect(pageErrors).toEqual([]);
    expect(report.hasNodeBuiltins).toBe(false);
    expect(report.identity).toMatch(/^[0-9a-f]{64}$/);
    expect(report.identity).not.toBe(bot.identity);
    expect(report.tokenLength).toBeGreaterThan(0);
    expect(report.initialNames).toEqual(['node-bot']);
    expect(report.inserted).toEqual(['browser']);
    expect(report.mine).toEqual({ name: 'browser', x: 3, y: 4 });
    expect(report.movedColumns.sort()).toEqual(['x', 'y']);
    expect(report.failure).toEqual({ code: 'REDUCER_FAILED', message: 'join: already joined' });
    // The browser's row reached the other client too.
    expect(await seenByBot).toBe('browser');
    await page.close();
  });
});
