/** Frames published to the simulator's feed as another console would (the sim relays them to every console). */
import WebSocket from 'ws';
import type { Simulator } from './e2e.js';

/** Publishes one frame to the simulator's feed as another console would, then closes. */
export async function publish(sim: Simulator, frame: Record<string, unknown>): Promise<void> {
  const sock = new WebSocket(`${sim.url.replace(/^http:/, 'ws:')}/status`);
  await new Promise<void>((res, rej) => {
    sock.once('open', () => res());
    sock.once('error', rej);
  });
  sock.send(JSON.stringify(frame));
  await new Promise((r) => setTimeout(r, 200));
  sock.close();
}
