/** A static file server on 127.0.0.1 (free port) for HTTP tests of the readers. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
  url: string;
  /** Paths requested so far (for asserting what was fetched). */
  requests: string[];
  close(): Promise<void>;
}

/** `cors`: let pages of other origins read the files (the viewer benchmark's pages run on other ports). */
export async function serveFolder(root: string, options: { cors?: boolean } = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    if (options.cors) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', '*');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
    }
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(urlPath);
    const file = path.join(root, path.normalize(urlPath));
    const type = path.extname(file) === '.html' ? { 'content-type': 'text/html' } : path.extname(file) === '.js' ? { 'content-type': 'text/javascript' } : {};
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const data = fs.readFileSync(file);
    const range = req.headers.range?.match(/bytes=(\d+)-(\d+)?/);
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : data.length - 1;
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${data.length}` }).end(data.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'content-length': data.length, ...type }).end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
