/**
 * The private cache directory's rules (src/cli/privateCacheDir.ts), on every machine: a directory or
 * file of another user is not ours, whatever its mode. Through the binary, the same rule is
 * checked with a directory really owned by another user only where the suite runs as root (it
 * takes `chown`: cli-check-code-cache.test.ts); here the owner the code must see is named instead.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateDir, readOwnFile } from '../../src/cli/privateCacheDir.js';

const root = mkdtempSync(join(tmpdir(), 'wr-private-dir-'));
const me = process.getuid!();
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the private cache directory', () => {
  it('made 0700 and ours: private; owned by someone else (even closed to others), open to others, or a symlink: not', () => {
    const mine = join(root, 'mine');
    expect(privateDir(mine)).toBe(true);
    expect(privateDir(mine, me)).toBe(true);
    // The same directory as a process of another user sees it: a directory someone else made.
    expect(privateDir(mine, me + 1)).toBe(false);

    const open = join(root, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(privateDir(open)).toBe(false);

    const link = join(root, 'link');
    symlinkSync(mine, link);
    expect(privateDir(link)).toBe(false);
  });

  it("a file is read only if it is a regular file of the user's", () => {
    const file = join(root, 'mine', 'f');
    writeFileSync(file, 'x');
    expect(readOwnFile(file)?.toString()).toBe('x');
    expect(readOwnFile(file, me + 1)).toBeUndefined();
    symlinkSync(file, join(root, 'mine', 'l'));
    expect(readOwnFile(join(root, 'mine', 'l'))).toBeUndefined();
    expect(readOwnFile(join(root, 'mine', 'missing'))).toBeUndefined();
  });
});
