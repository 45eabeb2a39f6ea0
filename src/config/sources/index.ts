/**
 * The source types config knows, in the order their names are listed to people. A new source
 * type: its module in this folder (schema, normalised type, rules), one line here, and its
 * adapter with one line in src/sources/registry.ts. SourceConfig is derived from this list.
 */
import * as z from '../z.js';
import { alertmanager } from './alertmanager.js';
import { command } from './command.js';
import { files } from './files.js';
import { http } from './http.js';
import { prometheus } from './prometheus.js';
import { scrape } from './scrape.js';
import type { SourceTypeDef } from './types.js';
import { websocket } from './websocket.js';

export const SOURCE_TYPE_DEFS = [prometheus, scrape, websocket, command, files, http, alertmanager] as const;

type Def = (typeof SOURCE_TYPE_DEFS)[number];
/** A configured source after normalisation: the union of what each type's normalize returns. */
export type SourceConfig = Def extends infer D ? (D extends SourceTypeDef<string, any, infer C> ? C : never) : never;
/** The types a source entry may name (polled or pushed). */
export type PolledType = Def['type'];
/** A gate's source type: a configured one, or `manual` (sign-off gates). */
export type SourceType = PolledType | 'manual';
/** The variant of one type, e.g. SourceOf<'http'>. */
export type SourceOf<T extends PolledType> = Extract<SourceConfig, { type: T }>;

export const SOURCE_TYPES = SOURCE_TYPE_DEFS.map((d) => d.type);
export type RawSource = z.output<(typeof SOURCE_TYPE_DEFS)[number]['schema']>;
export const sourceSchema = z.discriminatedUnion(
  'type',
  SOURCE_TYPE_DEFS.map((d) => d.schema) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>, ...z.ZodObject<{ type: z.ZodLiteral<string> }>[]],
) as unknown as z.ZodType<RawSource>;

const BY_TYPE = new Map<string, SourceTypeDef>(SOURCE_TYPE_DEFS.map((d) => [d.type, d as SourceTypeDef]));

export function sourceTypeDef(type: string): SourceTypeDef {
  return BY_TYPE.get(type)!;
}
