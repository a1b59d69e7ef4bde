// One BullMQ run against the server on PORT: JOBS jobs added with Queue.addBulk in batches of
// BATCH, then processed by one Worker with concurrency CONCURRENCY whose processor returns at
// once. Prints one JSON line: jobs added per second, jobs completed per second (from the worker's
// start to the last completion), and how many completed and failed.
import { Queue, Worker } from 'bullmq';

const port = Number(process.env.PORT);
const jobs = Number(process.env.JOBS || 20000);
const batch = Number(process.env.BATCH || 500);
const concurrency = Number(process.env.CONCURRENCY || 10);
// KEEP_COMPLETED=1: completed jobs stay in the completed sorted set (BullMQ's default), which grows.
const removeOnComplete = process.env.KEEP_COMPLETED !== '1';
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const name = `bench-${process.pid}-${Date.now()}`;

const queue = new Queue(name, { connection });
await queue.waitUntilReady();

const addStart = process.hrtime.bigint();
for (let first = 0; first < jobs; first += batch) {
    const size = Math.min(batch, jobs - first);
    await queue.addBulk(Array.from({ length: size }, (_, i) => ({
        name: 'job',
        data: { n: first + i, payload: 'x'.repeat(100) },
        opts: { removeOnComplete, removeOnFail: 1000 },
    })));
}
const addSeconds = Number(process.hrtime.bigint() - addStart) / 1e9;

let completed = 0;
let failed = 0;
let done;
const allDone = new Promise(resolve => { done = resolve; });
const processStart = process.hrtime.bigint();
const worker = new Worker(name, async job => job.data.n, { connection, concurrency, autorun: false });
worker.on('completed', () => { if (++completed + failed === jobs) done(); });
worker.on('failed', () => { if (completed + ++failed === jobs) done(); });
worker.run();
await allDone;
const processSeconds = Number(process.hrtime.bigint() - processStart) / 1e9;

await worker.close();
await queue.obliterate({ force: true });
await queue.close();
console.log(JSON.stringify({
    added_per_second: Math.round(jobs / addSeconds),
    completed_per_second: Math.round(jobs / processSeconds),
    completed,
    failed,
}));
