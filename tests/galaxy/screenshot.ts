/**
 * `npx tsx tests/galaxy/screenshot.ts [TOOL_ID] [OUT.png]`: start the test Galaxy with a web client
 * and photograph one fairio tool form in headless Chromium (Debian's `chromium`), for docs/galaxy.md.
 *
 * The only built client on PyPI is galaxy-client 25.0.dev0: it renders against a Galaxy 25.1 server
 * (FAIRIO_GALAXY_VENV=.venv-galaxy-client, see requirements-galaxy-client.txt and docs/galaxy.md).
 * Its bundles are classic scripts, while newer pages load them as ES modules (`type="module"`,
 * where a bundle's top-level `this` is undefined), so a small proxy in front of Galaxy serves its
 * pages with classic script tags; everything else passes through unchanged.
 */
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../helpers/reference.js';
import { startGalaxy } from './galaxy-server.js';

const tool = process.argv[2] ?? 'fairio_threshold';
const out = path.resolve(process.argv[3] ?? path.join(projectRoot, 'docs', 'galaxy-tool-form.png'));
const server = await startGalaxy({ client: true });
const target = new URL(server.url);
const proxy = http.createServer((request, response) => {
  const upstream = http.request({ host: target.hostname, port: target.port, path: request.url, method: request.method, headers: { ...request.headers, host: target.host, 'accept-encoding': 'identity' } }, (reply) => {
    const html = (reply.headers['content-type'] ?? '').startsWith('text/html');
    if (!html) {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
      return;
    }
    const chunks: Buffer[] = [];
    reply.on('data', (c: Buffer) => chunks.push(c));
    reply.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8').replace(/<script type="module" /g, '<script ');
      const headers = { ...reply.headers, 'content-length': String(Buffer.byteLength(body)) };
      response.writeHead(reply.statusCode ?? 502, headers);
      response.end(body);
    });
  });
  request.pipe(upstream);
  upstream.on('error', () => response.destroy());
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const port = (proxy.address() as AddressInfo).port;
try {
  // Asynchronously: the proxy answers Chromium from this process's event loop.
  await promisify(execFile)(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1400,1100', '--virtual-time-budget=30000', `--screenshot=${out}`, `http://127.0.0.1:${port}/?tool_id=${tool}`],
    { timeout: 180_000 },
  );
  process.stdout.write(`wrote ${out}\n`);
} finally {
  proxy.close();
  await server.stop();
}
