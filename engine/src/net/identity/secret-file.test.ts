// The token secret: configured, or generated once into the data directory (mode 0600) and reused.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenAuthority } from './create-authority.ts';
import { loadOrCreateSecret, SECRET_FILE_NAME } from './secret-file.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'worldline-secret-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadOrCreateSecret', () => {
  it('generates 32 bytes into a 0600 file once and reuses them', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const a = loadOrCreateSecret({ dataDir: dir });
    expect(a.length).toBe(32);
    const file = join(dir, SECRET_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(a.toString('hex'));
    expect(loadOrCreateSecret({ dataDir: dir })).toEqual(a);
  });

  it('keeps tokens valid across restarts that share the data dir', () => {
    const dir = tempDir();
    const { identity, token } = createTokenAuthority({ dataDir: dir }).issue();
    expect(createTokenAuthority({ dataDir: dir }).verify(token).identity).toBe(identity);
    expect(createTokenAuthority({ dataDir: tempDir() }).check(token)).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('prefers a configured secret (hex or text) over the file', () => {
    const dir = tempDir();
    const hex = 'ab'.repeat(32);
    expect(loadOrCreateSecret({ secret: hex, dataDir: dir })).toEqual(Buffer.from(hex, 'hex'));
    expect(loadOrCreateSecret({ secret: 'a long enough passphrase' })).toEqual(Buffer.from('a long enough passphrase'));
    expect(() => loadOrCreateSecret({ secret: 'short' })).toThrow(expect.objectContaining({ code: 'SECRET_INVALID' }));
  });

  it('tightens a file readable by others and refuses a corrupt one', () => {
    const dir = tempDir();
    const file = join(dir, SECRET_FILE_NAME);
    writeFileSync(file, 'cd'.repeat(32));
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    const key = loadOrCreateSecret({ dataDir: dir, logger: { info() {}, warn: (m) => warnings.push(m), error() {} } });
    expect(key).toEqual(Buffer.from('cd'.repeat(32), 'hex'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    writeFileSync(file, 'not hex at all');
    expect(() => loadOrCreateSecret({ dataDir: dir })).toThrow(/delete it to generate a new one/);
  });

  it('needs a secret or a data dir', () => {
    expect(() => loadOrCreateSecret({})).toThrow(expect.objectContaining({ code: 'SECRET_INVALID' }));
  });
});
