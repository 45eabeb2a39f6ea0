/** The report's inline CSS and SVG patterns: nothing is fetched, and it prints in colour on A4. */

export const CSS = `
:root { --go: #1a7f37; --warn: #9a6700; --nogo: #cf222e; --unknown: #57606a; --waived: #8250df; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); margin: 0 auto; padding: 20px 28px; max-width: 1200px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted, .id { color: var(--muted); font-weight: normal; } .id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.card { margin: 10px 0; padding: 8px 10px; border: 1px solid var(--line); border-radius: 6px; break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0; } figcaption { margin-bottom: 2px; } svg { width: 100%; height: auto; display: block; }
.outcome { display: flex; gap: 18px; align-items: center; }
.outcome .word { font-size: 30px; font-weight: 700; padding: 6px 16px; border-radius: 6px; color: #fff; white-space: nowrap; }
.outcome ul { margin: 0; padding-left: 18px; }
.word.go, .badge.go { background: var(--go); } .word.warn, .badge.warn { background: var(--warn); } .word.nogo, .badge.nogo { background: var(--nogo); }
.word.none, .badge.unknown { background: var(--unknown); } .badge.waived { background: var(--waived); } .badge.info { background: var(--unknown); }
.badge { color: #fff; border-radius: 3px; padding: 0 5px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.ok { color: var(--go); font-weight: 600; } .failed { color: var(--nogo); font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f6f8fa; } tr { break-inside: avoid; } td.t { white-space: nowrap; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
s { color: var(--muted); }
.periods { margin: 2px 0 0; font-size: 12px; }
.grid { stroke: #eaeef2; stroke-width: 1; } .tick, .lane { font-size: 11px; fill: var(--muted); }
.zone-go { fill: #dafbe1; } .zone-warn { fill: #fff1c2; } .zone-nogo { fill: #ffebe9; }
.go-line { stroke: var(--ink); stroke-width: 1.5; } .warn-line { stroke: var(--warn); stroke-width: 1.2; stroke-dasharray: 6 4; }
.limit-label { font-size: 10.5px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.step { stroke-width: 2.2; fill: none; } .step.go { stroke: var(--go); } .step.warn { stroke: var(--warn); } .step.nogo { stroke: var(--nogo); } .step.unknown { stroke: var(--unknown); } .step.waived { stroke: var(--waived); }
.ribbon.go { fill: var(--go); } .ribbon.warn { fill: url(#p-warn); } .ribbon.nogo { fill: url(#p-nogo); } .ribbon.unknown { fill: url(#p-unknown); } .ribbon.waived { fill: var(--waived); }
.ribbon-word { font-size: 11px; font-weight: 700; fill: #fff; paint-order: stroke; stroke: rgba(0,0,0,.35); stroke-width: 2px; }
.note { font-size: 12px; fill: var(--muted); }
.stage { stroke: #8c959f; stroke-dasharray: 4 4; } .stage-label { font-size: 11px; fill: var(--muted); }
.influence { fill: none; stroke: #0969da; stroke-width: 2.5; }
.event { stroke-width: 1.2; stroke-dasharray: 3 3; } .event.go { stroke: var(--go); } .event.nogo { stroke: var(--nogo); } .event.warn { stroke: var(--warn); } .event.info { stroke: var(--unknown); }
.event-label, .mark-label { font-size: 10.5px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.checkpoint-due { fill: #fff; stroke: var(--ink); stroke-width: 1.5; } .checkpoint-ack { fill: var(--ink); }
.mark.go { fill: var(--go); } .mark.warn { fill: var(--warn); } .mark.nogo { fill: var(--nogo); } .mark.info { fill: var(--unknown); } .mark.void { fill: #fff; stroke: var(--muted); stroke-dasharray: 2 2; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { padding: 0; max-width: none; font-size: 12px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
}
`;

/** Patterns behind the ribbons: WARN, NO-GO and ? differ in texture too, not only in colour. */
export const PATTERNS = `<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<pattern id="p-nogo" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#cf222e"/><rect width="3" height="8" fill="#a40e26"/></pattern>
<pattern id="p-warn" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#9a6700"/><circle cx="3" cy="3" r="1.2" fill="#7d4e00"/></pattern>
<pattern id="p-unknown" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#57606a"/><path d="M0 4h8" stroke="#424a53" stroke-width="2"/></pattern>
</defs></svg>`;
