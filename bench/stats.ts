/** Medians and the Markdown table. */
export interface Row {
  metric: string;
  unit: string;
  samples: number[];
  budget: string;
  /** How to print a value (default: 3 significant-ish digits). */
  digits?: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

export function tableLines(rows: Row[]): string[] {
  const out = ['| metric | median | min–max | budget | runs |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const d = r.digits ?? 1;
    const med = `${fmt(median(r.samples), d)} ${r.unit}`;
    const range = r.samples.length ? `${fmt(Math.min(...r.samples), d)}–${fmt(Math.max(...r.samples), d)}` : 'n/a';
    out.push(`| ${r.metric} | ${med} | ${range} | ${r.budget} | ${r.samples.length} |`);
  }
  return out;
}
