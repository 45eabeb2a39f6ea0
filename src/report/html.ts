/**
 * Pure: the window model as one self-contained HTML page (inline CSS and SVG; no script, nothing
 * fetched). Every string from the ledger, history or config goes through `esc`.
 */
import { clock, timeAxis } from './axis.js';
import { esc, short } from './escape.js';
import { gateChart } from './gateChart.js';
import { iso, type WindowModel } from './model.js';
import { CSS, PATTERNS } from './style.js';
import { actsChart, influenceChart } from './timeCharts.js';

export function renderHtml(m: WindowModel): string {
  const title = `Post-deploy report: ${m.deployment} (${m.environment})`;
  const body: string[] = [`<h1>${esc(title)}</h1>`, `<p class="muted">${periodText(m)}${m.generatedAt !== undefined ? ` · generated ${esc(iso(m.generatedAt))}` : ''}</p>`];
  body.push(outcome(m));
  if (m.period) {
    const axis = timeAxis(m.period.start, m.period.end);
    body.push('<h2>Influence and acts</h2>', influenceChart(m, axis), actsChart(m.marks, axis));
    body.push('<h2>Gates</h2>', '<p class="muted">Shaded: green where the value passes, amber the warn band, red where it fails; solid line: the go threshold, dashed: warn. The ribbon under each chart says the status in words; vertical dashed lines are the decisions and the kill.</p>');
    if (m.gates.length === 0) body.push('<p class="muted">No gate history was recorded for this window (it is kept by consoles that write the ledger).</p>');
    const events = m.marks.filter((k) => k.kind === 'decision' || (k.kind === 'kill' && k.label.endsWith('verified'))).map((k) => ({ t: k.until ?? k.at, level: k.level }));
    for (const g of m.gates) body.push(gateChart(g, axis, events));
  }
  body.push('<h2>Every act</h2>', actsTable(m));
  body.push('<h2>Ledger verification and signers</h2>', ledgerSection(m));
  body.push('<h2>About this report</h2>', aboutSection(m));
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing may be fetched: a policy that forbids it, should anything slip in.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${CSS}</style></head>`,
    `<body>${PATTERNS}${body.join('\n')}</body></html>`,
    '',
  ].join('\n');
}

function periodText(m: WindowModel): string {
  if (!m.period) return 'no entries recorded';
  const mins = Math.round((m.period.end - m.period.start) / 60_000);
  return `${esc(iso(m.period.start))} to ${esc(iso(m.period.end))} (${mins < 120 ? `${mins} min` : `${(mins / 60).toFixed(1)} h`})`;
}

function outcome(m: WindowModel): string {
  const items = m.outcome.lines.map((l) => `<li>${esc(l)}</li>`).join('');
  return `<section class="card outcome"><div class="word ${m.outcome.level}">${esc(m.outcome.word)}</div><ul>${items || '<li>No decision was recorded.</li>'}<li>ledger: <span class="${m.integrity.ok ? 'ok' : 'failed'}">${m.integrity.ok ? 'verified' : 'FAILED verification'}</span></li></ul></section>`;
}

function actsTable(m: WindowModel): string {
  if (m.marks.length === 0) return '<p class="muted">No acts recorded.</p>';
  const rows = m.marks.map((k) => {
    const what = k.void ? `<s>${esc(k.label)}</s> <span class="badge info">${esc(k.void)}</span>` : `<span class="badge ${k.level}">${esc(levelWord(k.level))}</span> ${esc(k.label)}`;
    return `<tr><td class="t">${esc(clock(k.at, true))}</td><td>${esc(k.lane)}</td><td>${what}</td><td>${esc(k.actor)}</td><td>${short(k.detail ?? '', 200)}</td></tr>`;
  });
  return `<table><thead><tr><th>Time (UTC)</th><th>Kind</th><th>What</th><th>Who</th><th>Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function levelWord(level: string): string {
  return level === 'go' ? 'OK' : level === 'nogo' ? 'STOP' : level === 'warn' ? 'NOTE' : 'INFO';
}

function ledgerSection(m: WindowModel): string {
  const out = [`<p>Integrity: <span class="${m.integrity.ok ? 'ok' : 'failed'}">${m.integrity.ok ? 'OK' : 'FAILED'}</span> — ${esc(m.integrity.text)}</p>`];
  out.push(`<p class="muted">${esc(m.signers.note)}</p>`);
  if (m.signers.rows.length) {
    const rows = m.signers.rows.map((r) => `<tr><td>${esc(r.actor)}</td><td>${r.lines}</td><td>${r.signed}</td><td>${r.verified}${r.problem ? ` <span class="failed">${esc(r.problem)}</span>` : ''}</td></tr>`);
    out.push(`<table><thead><tr><th>Actor</th><th>Lines</th><th>Signed</th><th>Signatures verified</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  if (m.unverified.length) {
    const rows = m.unverified.map((u) => `<tr><td class="t">${esc(iso(u.at))}</td><td>${esc(u.role)}${u.gate ? ` on ${esc(u.gate)}` : ''}</td><td>${esc(u.actor)}</td><td>${esc(u.why)}</td></tr>`);
    out.push('<p><b>Sign-offs that do not count</b></p>', `<table><thead><tr><th>Time (UTC)</th><th>Role</th><th>Actor</th><th>Why not counted</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  return out.join('');
}

function aboutSection(m: WindowModel): string {
  const files = m.history.files.length ? m.history.files.map(esc).join(', ') : 'none found';
  const notes = m.history.notes.map((n) => `<li>${esc(n)}</li>`).join('');
  return `<p class="muted">Gate history: ${files}. It is what the console saw (a point per gate on change, one per 10 s on average); unlike the ledger it is not hash-chained or signed. Times are UTC.</p>${notes ? `<ul>${notes}</ul>` : ''}`;
}
