/** AlertBook: exact counters past the cap, "+N more", resolve and severity changes, bounded memory. */
import { describe, expect, it } from 'vitest';
import { AlertBook } from '../../src/feed/alertBook.js';
import type { AlertMsg } from '../../src/feed/protocol.js';

let seq = 0;
const alert = (id: string, state = 'firing', severity = 'page', summary = `summary ${id}`): AlertMsg => ({ type: 'alert', seq: ++seq, ts: 't', id, severity, state, summary });

describe('AlertBook', () => {
  it('10k distinct page alerts: exact page count, 1000 kept, +9000 more', () => {
    const b = new AlertBook(1000);
    for (let i = 0; i < 10_000; i++) b.ingest(alert(`a-${i}`));
    expect(b.counts()).toEqual({ firing: 10_000, page: 10_000, kept: 1000, more: 9000, untracked: 0 });
    expect(b.kept()).toHaveLength(1000);
    expect(b.pageTexts(3)).toEqual(['summary a-0', 'summary a-1', 'summary a-2']);
  });

  it('resolving alerts beyond the cap (never kept) still brings the count back to exactly 0', () => {
    const b = new AlertBook(10);
    for (let i = 0; i < 50; i++) b.ingest(alert(`a-${i}`));
    for (let i = 49; i >= 0; i--) b.ingest(alert(`a-${i}`, 'resolved'));
    expect(b.counts()).toEqual({ firing: 0, page: 0, kept: 0, more: 0, untracked: 0 });
    expect(b.pageTexts(3)).toEqual([]);
  });

  it('a repeated firing alert counts once; an unknown id resolved is ignored; a freed slot is reused', () => {
    const b = new AlertBook(2);
    b.ingest(alert('x'));
    b.ingest(alert('x', 'firing', 'page', 'updated'));
    b.ingest(alert('nope', 'resolved'));
    expect(b.counts()).toMatchObject({ firing: 1, page: 1, kept: 1 });
    expect(b.pageTexts(5)).toEqual(['updated']);
    b.ingest(alert('y'));
    b.ingest(alert('z'));
    expect(b.counts()).toMatchObject({ firing: 3, kept: 2, more: 1 });
    b.ingest(alert('x', 'resolved'));
    b.ingest(alert('w'));
    expect(b.counts()).toMatchObject({ firing: 3, kept: 2, more: 1 });
    expect(b.kept().map((a) => a.id)).toEqual(['y', 'w']);
  });

  it('counts only page severity for the gate, and follows a severity change', () => {
    const b = new AlertBook(100);
    b.ingest(alert('w', 'firing', 'warning'));
    b.ingest(alert('p'));
    expect(b.counts()).toMatchObject({ firing: 2, page: 1 });
    b.ingest(alert('w', 'firing', 'page'));
    expect(b.counts()).toMatchObject({ firing: 2, page: 2 });
    expect(b.pageTexts(5)).toEqual(['summary p', 'summary w']);
    b.ingest(alert('p', 'firing', 'info'));
    expect(b.counts()).toMatchObject({ firing: 2, page: 1 });
    expect(b.pageTexts(5)).toEqual(['summary w']);
  });

  it('an unknown state keeps the alert firing (fail closed)', () => {
    const b = new AlertBook(10);
    b.ingest(alert('a', 'pending'));
    expect(b.counts().page).toBe(1);
  });

  it('past maxTracked ids, new alerts are counted for good: the gate can never reach 0 on alerts it lost', () => {
    const b = new AlertBook(2, 5);
    for (let i = 0; i < 8; i++) b.ingest(alert(`a-${i}`));
    expect(b.counts()).toEqual({ firing: 8, page: 8, kept: 2, more: 6, untracked: 3 });
    for (let i = 0; i < 8; i++) b.ingest(alert(`a-${i}`, 'resolved'));
    expect(b.counts()).toMatchObject({ firing: 3, page: 3, untracked: 3 });
  });

  it('long ids are told apart by their hash and shown cut', () => {
    const b = new AlertBook(10);
    const long = (c: string) => 'x'.repeat(500) + c;
    b.ingest(alert(long('1'), 'firing', 'page', ''));
    b.ingest(alert(long('2'), 'firing', 'page', ''));
    expect(b.counts().page).toBe(2);
    expect(b.kept()[0]!.id.length).toBeLessThanOrEqual(128);
    b.ingest(alert(long('1'), 'resolved'));
    expect(b.counts().page).toBe(1);
  });
});
