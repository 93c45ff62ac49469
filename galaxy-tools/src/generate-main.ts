/** `npm run generate -w galaxy-tools`: regenerate the committed tool XML in galaxy-tools/tools. */
import { TOOLS_DIR, writeSuite } from './generate.js';

const written = writeSuite(TOOLS_DIR);
process.stdout.write(`wrote ${written.length} files into ${TOOLS_DIR}\n`);
