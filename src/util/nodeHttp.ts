/**
 * `node:http` and `node:https` loaded with `require`, not `import`. On Node >= 22 an ESM import of
 * `node:http` builds the module's ESM facade, which reads every export, and its lazy `WebSocket`
 * getter then loads Node's bundled undici (~38 ms of CPU measured on Node 24, a quarter of a
 * 10-gate `check`); `require` leaves it unread (nodejs/node#57649, #59686, open). Node 20 has no
 * such getter: the same either way.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const http = require('node:http') as typeof import('node:http');

// Loaded on the first https URL: with its TLS and crypto modules it cost 5 ms more than
// `node:http` alone on Node 24, a `check` against a plain-http Prometheus never needs it.
let httpsModule: typeof import('node:https') | undefined;
export function https(): typeof import('node:https') {
  return (httpsModule ??= require('node:https') as typeof import('node:https'));
}

// Only a proxy that compresses unasked sends a compressed body (we never ask): load zlib then.
let zlibModule: typeof import('node:zlib') | undefined;
export function zlib(): typeof import('node:zlib') {
  return (zlibModule ??= require('node:zlib') as typeof import('node:zlib'));
}
