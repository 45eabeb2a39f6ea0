/** Derived view data, computed outside selectors so zustand selectors stay referentially stable. */
import type { GateConfig } from '../config/types.js';

/** Gates in display order: groups in order of first appearance, config order within a group. */
export function orderedGates(gates: readonly GateConfig[]): GateConfig[] {
  const groups = new Map<string, GateConfig[]>();
  for (const g of gates) groups.set(g.group, [...(groups.get(g.group) ?? []), g]);
  return [...groups.values()].flat();
}

export function filterGates(gates: readonly GateConfig[], filter: string): GateConfig[] {
  const f = filter.trim().toLowerCase();
  const ordered = orderedGates(gates);
  if (!f) return ordered;
  return ordered.filter((g) => `${g.id} ${g.title} ${g.group} ${g.source}`.toLowerCase().includes(f));
}

/** The window of `total` rows of height `height` that keeps `selected` visible. */
export function scrollWindow(total: number, height: number, selected: number): { start: number; end: number } {
  if (total <= height) return { start: 0, end: total };
  const half = Math.floor(height / 2);
  const start = Math.max(0, Math.min(total - height, selected - half));
  return { start, end: start + height };
}
