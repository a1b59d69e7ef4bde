// BullMQ against a server: a Queue, Workers and QueueEvents exercising added, delayed,
// prioritized and repeatable jobs, retries with backoff, progress, completion and failure events,
// removal, pause and resume, and a flow with children. Every job must be accounted for; the script exits 1 with the reason otherwise.
// Usage: node bullmq.mjs <port>
import { Queue, Worker, QueueEvents, FlowProducer } from 'bullmq';

const port = Number(process.argv[2]);
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const name = 'e2e' + process.pid;
const failures = [];
const check = (condition, what) => { if (!condition) failures.push(what); };
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(condition, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) { if (await condition()) return true; await sleep(50); }
  failures.push('timed out: ' + what);
  return false;
}

const queue = new Queue(name, { connection });
const events = new QueueEvents(name, { connection });
await events.waitUntilReady();
const seen = { completed: new Set(), failed: new Set(), progress: 0 };
events.on('completed', ({ jobId }) => seen.completed.add(jobId));
events.on('failed', ({ jobId }) => seen.failed.add(jobId));
events.on('progress', () => seen.progress++);

const order = [];
const worker = new Worker(name, async job => {
  order.push(job.name);
  if (job.name === 'flaky' && job.attemptsMade < 2) throw new Error('flaky fails');
  if (job.name === 'bad') throw new Error('always fails');
  await job.updateProgress(50);
  return { doubled: job.data.n * 2 };
}, { connection, concurrency: 10 });
worker.on('error', e => failures.push('worker error: ' + e.message));

const added = [];
for (let i = 0; i < 20; i++) added.push(await queue.add('plain', { n: i }));
added.push(await queue.add('delayed', { n: 100 }, { delay: 400 }));
added.push(await queue.add('prio', { n: 200 }, { priority: 3 }));
added.push(await queue.add('flaky', { n: 300 }, { attempts: 3, backoff: { type: 'fixed', delay: 100 } }));
const bad = await queue.add('bad', { n: 400 }, { attempts: 2, backoff: { type: 'exponential', delay: 50 } });
added.push(bad);
const removable = await queue.add('removable', { n: 1 }, { delay: 60000 });
await removable.remove();
check(await queue.getJob(removable.id) == null, 'a removed job is gone');
await queue.upsertJobScheduler('every-150ms', { every: 150 }, { name: 'repeat', data: { n: 7 } });
const flow = new FlowProducer({ connection });
const tree = await flow.add({ name: 'parent', queueName: name, data: { n: 1000 }, children: [
  { name: 'child', queueName: name, data: { n: 1 } }, { name: 'child', queueName: name, data: { n: 2 } }] });
const expectedTotal = added.length + 3 /* flow */;

await until(async () => {
  const c = await queue.getJobCounts('completed', 'failed');
  return c.completed + c.failed >= expectedTotal + 3 && order.filter(n => n === 'repeat').length >= 3;
}, 20000, 'every job completed or failed, and three repetitions');
await queue.removeJobScheduler('every-150ms');
await until(async () => (await queue.getJobCounts('active')).active === 0, 2000, 'the last repetition finishes');

const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused');
check(counts.failed === 1 && counts.completed >= expectedTotal, 'counts ' + JSON.stringify(counts));
check(counts.waiting + counts.active + counts.prioritized + counts['waiting-children'] === 0, 'nothing left behind ' + JSON.stringify(counts));
check((await bad.getState()) === 'failed', 'the bad job failed');
check((await queue.getJob(bad.id)).attemptsMade === 2, 'the bad job was tried twice');
const flaky = added.find(j => j.name === 'flaky');
check((await queue.getJob(flaky.id)).attemptsMade >= 2 && (await queue.getJob(flaky.id)).returnvalue.doubled === 600, 'flaky retried then completed');
const parent = await queue.getJob(tree.job.id);
check((await parent.getState()) === 'completed', 'the flow parent completed after its children');
check(Object.keys(await parent.getChildrenValues()).length === 2, 'the parent sees both children values');
check(order.indexOf('parent') > order.lastIndexOf('child'), 'children ran before the parent');
await until(async () => seen.completed.size >= expectedTotal && seen.failed.size === 1, 5000, 'completion and failure events');
check(seen.progress >= expectedTotal - 1, 'progress events: ' + seen.progress);

await queue.pause();
check(await queue.isPaused(), 'paused');
const whilePaused = await queue.add('after-pause', { n: 5 });
await sleep(300);
check((await whilePaused.getState()) !== 'completed', 'no job runs while paused');
await queue.resume();
await until(async () => (await whilePaused.getState()) === 'completed', 5000, 'the job added while paused runs after resume');

await worker.close();
await events.close();
await flow.close();
await queue.obliterate({ force: true });
await queue.close();
console.log(JSON.stringify({ counts, events: { completed: seen.completed.size, failed: seen.failed.size, progress: seen.progress }, failures }));
process.exit(failures.length === 0 ? 0 : 1);
