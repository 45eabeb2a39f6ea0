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
export const https = require('node:https') as typeof import('node:https');
