/**
 * The peer the console is measured against: a bare Ink app (the same ink and React as the
 * console, production React) redrawing a 60-row grid once a second, every row's value changing,
 * written the way a first Ink app is: a Box per row, a Text per cell. No sources, store or keys.
 *     node bench/peers/ink-grid.mjs [rows] [--only-clock]
 * `--only-clock`: the rows keep their values and only the last line's tick changes, to see what a
 * frame costs Ink 6 when almost nothing changed (it rasterises the whole frame either way).
 */
process.env.NODE_ENV = 'production';
const React = (await import('react')).default;
const { render, Box, Text } = await import('ink');

const ROWS = Number(process.argv[2]) || 60;
const ONLY_CLOCK = process.argv.includes('--only-clock');
const h = React.createElement;

function Grid() {
  const [tick, setTick] = React.useState(0);
  React.useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const rows = [];
  for (let i = 0; i < ROWS; i++) {
    const v = ONLY_CLOCK ? (i * 7) % 50 : ((i * 7 + tick * 13) % 50) + Math.random();
    const status = v <= 40 ? 'PASS' : v <= 45 ? 'WARN' : 'FAIL';
    rows.push(
      h(Box, { key: i },
        h(Box, { width: 10 }, h(Text, null, `g${i}`)),
        h(Box, { width: 30 }, h(Text, null, `Gate ${i}`)),
        h(Box, { width: 12 }, h(Text, null, v.toFixed(2))),
        h(Text, { color: status === 'PASS' ? 'green' : status === 'WARN' ? 'yellow' : 'red' }, status)),
    );
  }
  return h(Box, { flexDirection: 'column' }, ...rows, h(Text, null, `grid ready · tick ${tick}`));
}

render(h(Grid));
