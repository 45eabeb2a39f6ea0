/**
 * The schema fragment of `compare:` and `trend:` on a gate (their normalisation: judgment.ts).
 * A leaf, so the gate schema does not import the config types through the judgment builder.
 */
import * as z from '../z.js';
import { duration, kindOf, percentIn } from '../schemaParts.js';

/** `10%` (compare) or `2%/h` (trend) → a fraction; range and unit are checked in build with the path. */
function percentText(perHour: boolean) {
  return z.unknown().transform((v, ctx): number => {
    const m = typeof v === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*%\s*(\/\s*h)?\s*$/.exec(v) : null;
    const example = perHour ? '"2%/h"' : '"10%"';
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `expected a percentage like ${example}, got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}` });
      return z.NEVER;
    }
    if (perHour && !m[2]) {
      ctx.addIssue({ code: 'custom', message: `a trend tolerance is per hour: write it like ${example}` });
      return z.NEVER;
    }
    if (!perHour && m[2]) {
      ctx.addIssue({ code: 'custom', message: `a compare tolerance is relative to the baseline's median, not per hour: write it like ${example}` });
      return z.NEVER;
    }
    const pct = Number(m[1]);
    if (!(pct >= 0 && pct <= 1000)) {
      ctx.addIssue({ code: 'custom', message: `must be from 0% to 1000%${perHour ? ' per hour' : ''}, got ${m[1]}%` });
      return z.NEVER;
    }
    return pct / 100;
  });
}

const confidence = percentIn(50, 99.9, 'a confidence', '95%').transform((pct) => pct / 100);

const selector = z.string().min(1, 'must not be empty');
const common = {
  window: duration({ min: 1000, minText: '1s' }),
  step: duration({ min: 1000, minText: '1s' }).optional(),
  bad: z.enum(['increase', 'decrease', 'either']).optional(),
  confidence: confidence.optional(),
  min_samples: z.number().int('must be a whole number').min(3, 'must be 3 or more').max(100000, 'must be at most 100000').optional(),
};

export const compareSchema = z.strictObject({ canary: selector, baseline: selector, tolerance: percentText(false), ...common });
export const trendSchema = z.strictObject({ query: selector.optional(), metric: selector.optional(), key: selector.optional(), tolerance: percentText(true), ...common });
export type RawCompare = z.output<typeof compareSchema>;
export type RawTrend = z.output<typeof trendSchema>;
