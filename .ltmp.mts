import { loadConfigFile, formatProblems } from './src/config/load.ts';
const f = 'config/warroom.example.yaml';
const r = await loadConfigFile(f, { PROM_TOKEN: 'p-secret', CONTROL_TOKEN: 'c-secret' });
console.log(JSON.stringify(r, null, 1).slice(0, 6000));
const r2 = await loadConfigFile(f, {});
if (!r2.ok) console.log(formatProblems(r2.problems, f));
