/**
 * Where a `check` spends its CPU, phase by phase, on the unbundled build (npm run build first):
 *     node [--no-opt] bench/check-phases.mjs CONFIG.yaml
 * Prints wall and CPU (process.cpuUsage) of the imports, the config load, the sign-off read, the
 * sources' read plus evaluation, and the formatting; then the same again, warm.
 */
const root = new URL('../dist/src/', import.meta.url);
let c0 = process.cpuUsage();
let t0 = performance.now();
const lap = (label) => {
  const c = process.cpuUsage(c0);
  process.stdout.write(`${label.padEnd(10)} ${(performance.now() - t0).toFixed(1).padStart(7)} ms wall ${((c.user + c.system) / 1000).toFixed(1).padStart(7)} ms CPU\n`);
  c0 = process.cpuUsage();
  t0 = performance.now();
};
const io = await import(new URL('cli/io.js', root));
const { runCheck } = await import(new URL('commands/check.js', root));
const { readAuthority } = await import(new URL('audit/readAuthority.js', root));
const { formatText, formatJson } = await import(new URL('commands/checkFormat.js', root));
const { systemClock } = await import(new URL('core/clock.js', root));
lap('imports');
for (const round of ['cold', 'warm']) {
  process.stdout.write(`-- ${round}\n`);
  const cfg = await io.loadConfigOrFail(process.argv[2], io.processIo());
  lap('config');
  const a = await readAuthority(cfg, Date.now());
  lap('sign-offs');
  const r = await runCheck(cfg, { clock: systemClock, signoffs: a.signoffs, waivers: a.waivers });
  lap('runCheck');
  formatJson(r);
  formatText(r);
  lap('format');
}
