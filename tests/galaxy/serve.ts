/**
 * `npx tsx tests/galaxy/serve.ts`: start the test Galaxy with fairio's tools and keep it
 * running (Ctrl-C stops it), to try the tools in a browser or run galaxy-tool-test by hand.
 */
import { startGalaxy } from './galaxy-server.js';

const started = Date.now();
const server = await startGalaxy({ client: process.env.FAIRIO_GALAXY_CLIENT === '1' });
process.stdout.write(`Galaxy ${server.url} ready in ${((Date.now() - started) / 1000).toFixed(0)} s\nuser API key: ${server.userKey}\nadmin key: ${server.adminKey}\nlog: ${server.log}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
