/**
 * What a source type brings to the config: its schema fragment, defaults, normalisation, which
 * selector its gates use and its gate-key rules. One module per type (this folder); the registry
 * (index.ts) lists them.
 */
import * as z from '../z.js';
import type { Path } from '../interpolate.js';
import type { RawGate } from '../gateSchema.js';
import { duration } from '../schemaParts.js';
import type { Threshold } from '../threshold.js';
import type { HttpProbeSpec } from './httpSpec.js';

export const S = 1000;
export type Add = (path: Path, message: string) => void;

/** What every normalised source has; each type's module extends it with its own fields and `type`. */
export interface SourceBase<T extends string = string> {
  type: T;
  id: string;
  interval: number; // ms
  timeout: number; // ms
  /** Default stale_after for gates on this source, ms. */
  staleAfter: number;
}
/** Source timestamps more than this ahead of the receive time are shown as a skew warning, ms (default 30s). */
export interface SourceClock {
  maxClockSkew?: number;
}
/** Redirects to another origin are followed only when true; configured headers never go there. */
export interface Redirects {
  followRedirects?: boolean;
}

/** Enough of a source to check references to it, even when its own entry has problems. */
export interface SourceRef {
  id: string;
  type: string;
}

export interface Selector {
  query?: string;
  metric?: string;
  key?: string;
}

/** What a type's gate rules see: the gate, its path, its source (full: undefined when broken). */
export interface GateCheck<C extends SourceBase = SourceBase> {
  g: RawGate;
  p: Path;
  src: SourceRef;
  full: C | undefined;
  err: Add;
  watchOnly: boolean;
}

/** `C`, what normalize returns, is the type's variant of SourceConfig (the registry derives the union). */
export interface SourceTypeDef<T extends string = string, R = any, C extends SourceBase<T> = any> {
  type: T;
  schema: z.ZodType<R>;
  defaults: { interval: number; timeout: number };
  normalize(id: string, raw: R, baseDir: string): C;
  /** Which of query / metric / key its gates (and verify/influence) read, checked. */
  selector(src: SourceRef, sel: Selector, p: Path, add: Add): Selector | undefined;
  /** Gate keys only this type takes: a gate on another type naming one is a problem. */
  gateKeys?: readonly (keyof RawGate)[];
  /** The problem for a gate of another type naming one of gateKeys. */
  foreignKey?(key: string, src: SourceRef): string;
  /** The type's own gate rules (required go, ...), after the common ones. */
  checkGate?(c: GateCheck<C>): void;
  /** What the type adds to a built gate (a default go, the probe spec). */
  gateExtras?(c: GateCheck<C>): { go?: Threshold; http?: HttpProbeSpec } | undefined;
}

// Fragments shared by the source schemas.
export const common = {
  interval: duration({ min: 100, minText: '100ms' }).optional(),
  timeout: duration({ min: 1, minText: '1ms' }).optional(),
  stale_after: duration({ min: 1, minText: '1ms' }).optional(),
};
/** Sources whose data carries the source's own clock (sample timestamps, file mtimes). */
export const sourceClock = { max_clock_skew: duration().optional() };
/** HTTP sources: redirects leave the configured origin only when asked to (SPEC §9.2). */
export const redirects = { follow_redirects: z.boolean().optional() };

export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** `${k} is not used by <type> source "<id>": <why>` for each selector key given. */
export function onlySelector(src: SourceRef, sel: Selector, p: Path, add: Add, allowed: keyof Selector | undefined, why: string): boolean {
  let ok = true;
  for (const k of ['query', 'metric', 'key'] as const) {
    if (sel[k] !== undefined && k !== allowed) (add([...p, k], `${k} is not used by ${src.type} source "${src.id}": ${why}`), (ok = false));
  }
  return ok;
}

export const onlyFor = (type: string) => (key: string, src: SourceRef) => `${key} is only for ${type} sources; "${src.id}" is ${src.type}`;
