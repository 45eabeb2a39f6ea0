import { it } from 'vitest';
import { startSim, writeE2eConfig, entropyGate, killswitchTestedGate, startConsole, setScenario } from '../helpers/e2e.js';
it('scratch', async () => {
  const sim = await startSim();
  const ws = writeE2eConfig(sim, { gates: [entropyGate(), killswitchTestedGate()] });
  const t = startConsole(ws.configPath);
  try {
    await new Promise(r => setTimeout(r, 3000));
    console.log(t.capture());
    await setScenario(sim, 'entropy-collapse');
    await new Promise(r => setTimeout(r, 4000));
    console.log(t.capture());
    await setScenario(sim, 'page-alert');
    await new Promise(r => setTimeout(r, 3000));
    console.log(t.capture());
    t.send('K');
    await new Promise(r => setTimeout(r, 1000));
    console.log(t.capture());
    t.send('n');
    t.resize(80, 24);
    await new Promise(r => setTimeout(r, 1000));
    console.log(t.capture());
    t.send('?');
    await new Promise(r => setTimeout(r, 1000));
    console.log(t.capture());
    t.send('q');
    console.log(await t.exitCode(), t.alternateOn());
    console.log(t.capture());
  } finally { t.stop(); await sim.stop(); ws.cleanup(); }
}, 60000);
