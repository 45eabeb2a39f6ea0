/**
 * Node's built-in modules that a run should not pay for before it needs them, and `node:http`,
 * all loaded with `require`, not `import`.
 *
 * `require`, because on Node >= 22 an ESM import of `node:http` builds the module's ESM facade,
 * which reads every export, and its lazy `WebSocket` getter then loads Node's bundled undici
 * (~38 ms of CPU measured on Node 24, a quarter of a 10-gate `check`); `require` leaves it unread
 * (nodejs/node#57649, #59686, open). Node 20 has no such getter: the same either way.
 *
 * On first use, because each costs a start that does not need it (timed alone on Node 24, issue 23
 * in BENCHMARKS.md): `node:https` 5 ms more than `node:http` (its TLS and crypto modules; a
 * plain-http Prometheus never needs it), `node:crypto` 5 ms (a `check` without sign-offs hashes
 * nothing), `node:zlib` 2 ms (only a proxy that compresses unasked sends a compressed body).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

export const http = require('node:http') as typeof import('node:http');
export const https = onFirstUse<typeof import('node:https')>('node:https');
export const crypto = onFirstUse<typeof import('node:crypto')>('node:crypto');
export const zlib = onFirstUse<typeof import('node:zlib')>('node:zlib');
