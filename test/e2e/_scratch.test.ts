import { it } from 'vitest';
import { startSim, writeE2eConfig, entropyGate, killswitchTestedGate, startConsole, setScenario } from '../helpers/e2e.js';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
it('scratch', async () => {
  const sim = await startSim();
  const ws = writeE2eConfig(sim, { gates: [entropyGate(), killswitchTestedGate()] });
  const t = startConsole(ws.configPath);
  try {
    await t.waitFor(/ GO +influence/);
    t.send('K'); await t.waitFor(/y or Enter to confirm/); await sleep(300); t.send('y');
    await sleep(2500); console.log(t.capture());
    console.log(JSON.stringify(sim.state().requests));
    t.send('i'); await sleep(500); console.log(t.capture());
    t.type('10'); t.send('Enter'); await sleep(500); console.log(t.capture());
    t.send('y'); await sleep(2500); console.log(t.capture());
    t.send('d'); await sleep(500); console.log(t.capture());
    t.send('g'); await sleep(500); console.log(t.capture());
    t.type('looks good'); t.send('Enter'); await sleep(500); console.log(t.capture());
    t.send('y'); await sleep(1500); console.log(t.capture());
    console.log(ws.auditFiles(), JSON.stringify(ws.ledger()).slice(0,3000));
  } finally { t.stop(); await sim.stop(); ws.cleanup(); }
}, 60000);
