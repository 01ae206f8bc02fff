// Lists and pub/sub as an application uses them through ioredis: a pool of workers blocked in
// BRPOP shares a producer's jobs (each processed exactly once, in queue order), and one
// publisher fans out to several subscribers, one of them by pattern, every subscriber seeing
// every message in order until it unsubscribes.
//
// Usage: node lists_pubsub.js PORT
//        (prints "lists/pubsub ok"; exits non-zero at the first failed check)
'use strict';

const assert = require('node:assert/strict');
const { WAIT_MS, run, connect, closeAll, withTimeout, waitBlocked } = require('./common');

const WORKERS = ['w0', 'w1', 'w2', 'w3'];
const JOBS = 200;
const BATCH = 10; // jobs per LPUSH
const SENTINEL = 'stop';

async function brpopWorkerPool(port) {
  const r = connect(port);
  const queue = 'js:queue';
  const total = 'js:processed';
  await r.del(queue, total);

  async function work(name) {
    const c = connect(port, `js-${name}`);
    const done = [];
    for (;;) {
      const reply = await c.brpop(queue, WAIT_MS / 1000);
      assert.ok(reply, `${name}: BRPOP timed out`);
      const [key, job] = reply;
      assert.equal(key, queue);
      if (job === SENTINEL) return done;
      await c.incrby(total, job); // the work: a side effect the producer can check
      done.push(Number(job));
    }
  }

  const results = Promise.all(WORKERS.map((name) => work(name)));
  results.catch(() => {}); // reported below; not an unhandled rejection meanwhile
  // A worker that fails before blocking reports its own error rather than a timeout here.
  await Promise.race([waitBlocked(r, WORKERS.map((n) => `js-${n}`), 'brpop'), results]);

  for (let batch = 0; batch < JOBS; batch += BATCH) {
    const jobs = [];
    for (let i = batch; i < batch + BATCH; i++) jobs.push(String(i));
    const length = await r.lpush(queue, ...jobs);
    // The reply is the length right after the push; the blocked workers are served after
    // the command, one job each.
    if (batch === 0) assert.equal(length, BATCH);
  }
  // LPUSH + BRPOP is a FIFO: the sentinels come out after every job, one per worker.
  await r.lpush(queue, ...WORKERS.map(() => SENTINEL));
  const doneBy = await withTimeout(results, WAIT_MS, 'workers');

  const processed = doneBy.flat();
  assert.equal(processed.length, JOBS, `${processed.length} jobs processed, ${JOBS} pushed`);
  assert.deepEqual(new Set(processed), new Set([...Array(JOBS).keys()]));
  doneBy.forEach((done, i) => {
    assert.ok(done.length > 0, `${WORKERS[i]} was blocked when the first jobs came and got none`);
    assert.deepEqual(done, [...done].sort((a, b) => a - b),
                     `${WORKERS[i]} took jobs out of queue order`);
  });
  assert.equal(Number(await r.get(total)), (JOBS * (JOBS - 1)) / 2);
  assert.equal(await r.exists(queue), 0);
  console.log(`worker pool: ${doneBy.map((d) => d.length)}`);
}

// The messages one subscriber connection receives, in order, awaited one at a time.
class Inbox {
  constructor(connection) {
    this.queue = [];
    this.waiters = [];
    connection.on('message', (channel, data) => this.push({ type: 'message', channel, data }));
    connection.on('pmessage', (pattern, channel, data) =>
      this.push({ type: 'pmessage', pattern, channel, data }));
  }

  push(message) {
    const waiter = this.waiters.shift();
    if (waiter) waiter(message);
    else this.queue.push(message);
  }

  next() {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    return withTimeout(new Promise((resolve) => this.waiters.push(resolve)), WAIT_MS, 'message');
  }

  async take(n) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }
}

async function pubsubFanOut(port) {
  const r = connect(port);
  const news = 'js:news';
  const sports = 'js:sports';
  const pattern = 'js:n*';
  const reader = connect(port);   // news
  const fan = connect(port);      // news and sports
  const watcher = connect(port);  // everything matching js:n*
  const inbox = { reader: new Inbox(reader), fan: new Inbox(fan), watcher: new Inbox(watcher) };
  // The confirmations are the handshake: once they are back, the server has registered them.
  assert.equal(await reader.subscribe(news), 1);
  assert.equal(await fan.subscribe(news, sports), 2);
  assert.equal(await watcher.psubscribe(pattern), 1);
  assert.deepEqual(await r.pubsub('NUMSUB', news, sports), [news, 2, sports, 1]);
  assert.equal(await r.pubsub('NUMPAT'), 1);
  assert.deepEqual((await r.pubsub('CHANNELS', 'js:*')).sort(), [news, sports]);

  const want = { reader: [], fan: [], watcher: [] };
  for (let i = 0; i < 50; i++) {
    assert.equal(await r.publish(news, `n${i}`), 3); // two subscribers and one pattern
    want.reader.push({ type: 'message', channel: news, data: `n${i}` });
    want.fan.push({ type: 'message', channel: news, data: `n${i}` });
    want.watcher.push({ type: 'pmessage', pattern, channel: news, data: `n${i}` });
    if (i % 10 === 0) {
      assert.equal(await r.publish(sports, `s${i}`), 1); // the pattern does not match it
      want.fan.push({ type: 'message', channel: sports, data: `s${i}` });
    }
  }
  assert.equal(await r.publish('js:weather', 'nobody'), 0);
  for (const name of Object.keys(want)) {
    assert.deepEqual(await inbox[name].take(want[name].length), want[name], name);
  }

  // An unsubscribed channel stops arriving: the fan's next message is the sports marker.
  assert.equal(await fan.unsubscribe(news), 1);
  assert.deepEqual(await r.pubsub('NUMSUB', news), [news, 1]);
  assert.equal(await r.publish(news, 'after'), 2);
  assert.equal(await r.publish(sports, 'marker'), 1);
  assert.deepEqual(await inbox.fan.next(), { type: 'message', channel: sports, data: 'marker' });
  assert.deepEqual(await inbox.reader.next(), { type: 'message', channel: news, data: 'after' });
  assert.deepEqual(await inbox.watcher.next(),
                   { type: 'pmessage', pattern, channel: news, data: 'after' });

  assert.equal(await watcher.punsubscribe(pattern), 0);
  assert.equal(await r.pubsub('NUMPAT'), 0);
  assert.equal(await r.publish(news, 'last'), 1);
  assert.equal(await watcher.subscribe('js:marker'), 1);
  assert.equal(await r.publish('js:marker', 'marker'), 1);
  assert.deepEqual(await inbox.watcher.next(),
                   { type: 'message', channel: 'js:marker', data: 'marker' });
  assert.deepEqual(await inbox.reader.next(), { type: 'message', channel: news, data: 'last' });

  assert.equal(await reader.unsubscribe(), 0);
  assert.deepEqual(await r.pubsub('NUMSUB', news), [news, 0]);
  assert.deepEqual((await r.pubsub('CHANNELS', 'js:*')).sort(), ['js:marker', sports]);
}

run(async (port) => {
  try {
    await brpopWorkerPool(port);
    await pubsubFanOut(port);
  } finally {
    closeAll();
  }
}, 'lists/pubsub ok');
