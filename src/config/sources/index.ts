/**
 * The source types config knows, in the order their names are listed to people. A new source
 * type: its module in this folder, one line here, its variant of SourceConfig (config/types.ts)
 * and its adapter in src/sources/ (createSource).
 */
import { z } from 'zod';
import { alertmanager } from './alertmanager.js';
import { command } from './command.js';
import { files } from './files.js';
import { http } from './http.js';
import { prometheus } from './prometheus.js';
import { scrape } from './scrape.js';
import type { PolledType, SourceTypeDef } from './types.js';
import { websocket } from './websocket.js';

export const SOURCE_TYPE_DEFS = [prometheus, scrape, websocket, command, files, http, alertmanager] as const;

export const SOURCE_TYPES = SOURCE_TYPE_DEFS.map((d) => d.type);
export type RawSource = z.output<(typeof SOURCE_TYPE_DEFS)[number]['schema']>;
export const sourceSchema = z.discriminatedUnion(
  'type',
  SOURCE_TYPE_DEFS.map((d) => d.schema) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...z.ZodObject<{ type: z.ZodLiteral<string> }>[]],
) as unknown as z.ZodType<RawSource>;

const BY_TYPE = new Map<string, SourceTypeDef>(SOURCE_TYPE_DEFS.map((d) => [d.type, d as SourceTypeDef]));

export function sourceTypeDef(type: PolledType): SourceTypeDef {
  return BY_TYPE.get(type)!;
}
