// The second server of the freshness benchmark, in its own process: builds its index on the
// database given, says "ready" once it listens, then for each line "COUNTRY DATE" on stdin waits
// (without asking the database) until its index blocks IMET there, and answers the monotonic
// clock (process.hrtime, shared by the processes of one machine) at that moment, in ns.
import { createInterface } from 'node:readline';
import type { IsoDate } from '../src/core/dates.js';
import { decide } from '../src/core/eligibility/engine.js';
import { contextOver } from '../src/services/context.js';
import {
  currentSnapshot,
  eligibilitySnapshot,
  indexStats,
} from '../src/services/eligibility/eligibility.service.js';
import { openStore } from '../src/store/database.js';

const store = await openStore({ kind: 'postgres', url: process.argv[2]! });
const ctx = contextOver(store);
await eligibilitySnapshot(ctx);
while (indexStats(store).listening !== true) await new Promise((r) => setTimeout(r, 5));
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [country, on] = line.split(' ') as [string, IsoDate];
  for (;;) {
    const snapshot = currentSnapshot(ctx);
    if (
      snapshot !== undefined &&
      !decide(snapshot.index, { country, program: 'IMET', on }).eligible
    )
      break;
    await new Promise((r) => setImmediate(r));
  }
  process.stdout.write(`${process.hrtime.bigint()}\n`);
}
await store.close();
