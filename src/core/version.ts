/** The package version, read from package.json (a leaf: telemetry and the CLI both ask for it). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function version(): string {
  // src/core and src/cli (where the bundle's chunks live) are both two levels under the package.
  const pkg = fileURLToPath(new URL('../../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}
