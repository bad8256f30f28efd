/**
 * Child process of xlsx-stream.test.ts: reads one workbook into a fresh in-memory store and prints the rows read and
 * the peak JS heap sampled while reading (a separate process, so nothing else in the heap counts).
 */
import { Store } from '../../src/store/db.js';
import { readXlsx } from '../../src/ingest/xlsx.js';

const file = process.argv[2];
const store = await Store.open(':memory:', { migrate: false });
let peak = process.memoryUsage().heapUsed;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
const before = process.memoryUsage().heapUsed;
await readXlsx(store, file);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().heapUsed);
const rows = await store.value<number>('SELECT count(*) FROM ingest_src');
store.close();
process.stdout.write(
  JSON.stringify({
    rows,
    beforeMB: before / 2 ** 20,
    peakMB: peak / 2 ** 20,
    rssMB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
