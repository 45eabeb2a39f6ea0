/**
 * `sources:`: ids of every entry (even broken ones, so gates that use them do not also get
 * "unknown source"), a reference with its type where the type is known, and the normalized
 * ones that parsed. Each type's own rules are in ../sources/<type>.ts.
 */
import type { Path } from '../interpolate.js';
import { isMapping } from '../problemText.js';
import { ID, kindOf, SOURCE_TYPES, sourceSchema } from '../schema.js';
import { sourceTypeDef } from '../sources/index.js';
import type { Selector, SourceRef } from '../sources/types.js';
import type { SourceConfig } from '../types.js';
import type { BuildContext } from './context.js';

export interface Sources {
  ids: Set<string>;
  sources: Record<string, SourceConfig>;
  refs: Record<string, SourceRef>;
  /** `a, b, manual`: the names a gate may use. */
  list(): string;
  /** For verify/influence: the source exists and is not manual. */
  ref(sel: Selector & { source: string }, base: Path): SourceRef | undefined;
}

export function buildSources(ctx: BuildContext): Sources {
  const { add } = ctx;
  const ids = new Set<string>();
  const sources: Record<string, SourceConfig> = {};
  const refs: Record<string, SourceRef> = {};
  const raw = ctx.section('sources');
  if (raw !== undefined) {
    if (!isMapping(raw)) add(['sources'], `expected a mapping of source id to source, got ${kindOf(raw)}`);
    else {
      for (const [id, v] of Object.entries(raw)) {
        ids.add(id);
        const p: Path = ['sources', id];
        if (id === 'manual') {
          ctx.addKey(p, 'the source name "manual" is reserved for sign-off gates (source: manual); choose another name');
          continue;
        }
        if (!ID.test(id)) ctx.addKey(p, `source id "${id}" must start with a letter or digit and use only letters, digits, _ . -`);
        const t = isMapping(v) ? v.type : undefined;
        if ((SOURCE_TYPES as readonly unknown[]).includes(t)) refs[id] = { id, type: t as SourceRef['type'] };
        const s = ctx.parseAt(sourceSchema, v, p);
        if (s) sources[id] = sourceTypeDef(s.type).normalize(id, s, ctx.where.baseDir);
      }
    }
  }
  return {
    ids,
    sources,
    refs,
    list: () => [...ids].filter((s) => s !== 'manual').concat('manual').join(', '),
    ref: (sel, base) => {
      if (sel.source === 'manual') {
        add([...base, 'source'], 'a manual source has no value to read here; name a configured source');
        return undefined;
      }
      if (!ids.has(sel.source)) {
        add([...base, 'source'], `unknown source "${sel.source}" (configured: ${[...ids].join(', ') || 'none'})`);
        return undefined;
      }
      return refs[sel.source];
    },
  };
}

/** Which of query / metric / key the source's type reads, checked (../sources/<type>.ts). */
export function checkSelector(src: SourceRef, sel: Selector, p: Path, add: (path: Path, m: string) => void): Selector | undefined {
  return sourceTypeDef(src.type).selector(src, sel, p, add);
}
