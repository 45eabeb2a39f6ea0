/** Headless Chromium (the Debian package) renders a page to a PNG, with nothing allowed out. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function screenshot(htmlPath: string, pngPath: string, size = { width: 1280, height: 2000 }): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'warroom-chromium-'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`,
    `--screenshot=${pngPath}`, `--window-size=${size.width},${size.height}`, pathToFileURL(htmlPath).href,
  ];
  try {
    await new Promise<void>((resolve, reject) =>
      execFile('chromium', args, { timeout: 90_000 }, (err, _out, stderr) => (err ? reject(new Error(`chromium failed: ${err.message}\n${stderr}`)) : resolve())),
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
