/** An HTTP server that accepts requests and never answers: for timeout tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startSilentServer(): Promise<{ url: string; requests(): number; stop(): Promise<void> }> {
  let requests = 0;
  const server = createServer(() => {
    requests++; // never respond
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
