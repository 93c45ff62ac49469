/**
 * A separate process that records `count` runs into the crate of `folder`,
 * each with its own output file, as fast as it can (for the concurrency test).
 * Both processes start recording when FOLDER/.go appears.
 * Usage: record-many.ts FOLDER TAG COUNT
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordRun } from '../record.js';

const [folder, tag, count] = process.argv.slice(2);
// Start together: say we are ready, wait for the go.
fs.writeFileSync(path.join(folder, `.ready-${tag}`), '');
while (!fs.existsSync(path.join(folder, '.go'))) await new Promise((resolve) => setTimeout(resolve, 5));
for (let i = 0; i < Number(count); i++) {
  const output = path.join(folder, `${tag}-${i}.txt`);
  fs.writeFileSync(output, `output ${i} of process ${tag}\n`);
  await recordRun({ name: `${tag} run ${i}`, tool: 'test', inputs: [], outputs: [output], startTime: new Date(), parameters: [{ name: 'i', value: i }] }, { preview: i % 5 === 0 });
}
