// Bundled on the fly by sdk.browser.test.ts and run in Chromium: connects the SDK to the server,
// reads rows, calls reducers and reports what it saw. The module's type is imported, never its code.
import { connect, ClientError } from '../../sdk/src/index.ts';
import type arena from '../../sdk/src/test-support/arena.ts';

export interface BrowserReport {
  identity: string | null;
  tokenLength: number;
  /** Avatars held right after the subscription was ready (the Node bot's row). */
  initialNames: string[];
  /** Names whose inserts the cache reported, in order. */
  inserted: string[];
  /** Own avatar after join + move. */
  mine: { name: string; x: number; y: number } | null;
  /** Columns the move's update named. */
  movedColumns: string[];
  failure: { code: string; message: string } | null;
  hasNodeBuiltins: boolean;
}

declare global {
  interface Window {
    sdkCheck(url: string): Promise<BrowserReport>;
  }
}

window.sdkCheck = async (url: string): Promise<BrowserReport> => {
  const client = connect<typeof arena>({ url });
  await client.ready;
  await client.subscribe('avatar').ready;
  const initialNames = [...client.db.avatar].map((r) => r.name);
  const inserted: string[] = [];
  let movedColumns: string[] = [];
  client.db.avatar.onInsert((r) => inserted.push(r.name));
  client.db.avatar.onUpdate((_old, r, changed) => {
    if (r.owner === client.identity) movedColumns = [...changed];
  });
  await client.reducers.join({ name: 'browser' });
  await client.reducers.move({ dx: 3, dy: 4 });
  const me = [...client.db.avatar].find((r) => r.owner === client.identity);
  let failure: BrowserReport['failure'] = null;
  try {
    await client.reducers.join({ name: 'twice' });
  } catch (e) {
    if (e instanceof ClientError) failure = { code: String(e.code), message: e.message };
  }
  const report: BrowserReport = {
    identity: client.identity,
    tokenLength: client.token?.length ?? 0,
    initialNames,
    inserted,
    mine: me ? { name: me.name, x: me.x, y: me.y } : null,
    movedColumns,
    failure,
    hasNodeBuiltins: typeof (globalThis as { process?: unknown }).process !== 'undefined',
  };
  await client.close();
  return report;
};
