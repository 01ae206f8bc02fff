// Streams as an application uses them through ioredis: three competing consumers in one group
// share a producer's entries (each processed exactly once), a crashed consumer's
// unacknowledged entries are taken over with XAUTOCLAIM, and blocked readers (XREAD and
// XREADGROUP with BLOCK) are woken by an XADD from another connection.
//
// Usage: node streams.js PORT    (prints "streams ok"; exits non-zero at the first failed check)
'use strict';

const assert = require('node:assert/strict');
const {
  WAIT_MS, run, connect, closeAll, sleep, withTimeout, waitBlocked, Semaphore, entryObject,
  pairs,
} = require('./common');

const JOBS = 300;
const BATCH = 50; // XADDs per pipeline
const CONSUMERS = ['c0', 'c1', 'c2'];
const STOP = 'stop';

function compareIds(a, b) {
  const [ams, aseq] = a.split('-').map(BigInt);
  const [bms, bseq] = b.split('-').map(BigInt);
  if (ams !== bms) return ams < bms ? -1 : 1;
  return aseq < bseq ? -1 : aseq > bseq ? 1 : 0;
}

async function competingConsumers(port) {
  const r = connect(port);
  const key = 'js:jobs';
  const group = 'workers';
  await r.del(key);
  assert.equal(await r.xgroup('CREATE', key, group, '$', 'MKSTREAM'), 'OK');
  const stopped = new Semaphore();

  async function consume(name) {
    const c = connect(port, `js-${name}`);
    const seen = [];
    for (;;) {
      const reply = await c.xreadgroup('GROUP', group, name, 'COUNT', 10, 'BLOCK', WAIT_MS,
                                       'STREAMS', key, '>');
      assert.ok(reply, `${name}: XREADGROUP timed out`);
      assert.equal(reply.length, 1);
      assert.equal(reply[0][0], key);
      for (const [id, fields] of reply[0][1].map(entryObject)) {
        assert.equal(await c.xack(key, group, id), 1, id);
        if (fields.kind === STOP) {
          stopped.release();
          return seen;
        }
        seen.push([id, fields]);
      }
    }
  }

  const consumers = CONSUMERS.map((name) => consume(name));
  // A consumer that fails early must not leave an unhandled rejection behind.
  const results = Promise.all(consumers);
  results.catch(() => {});
  // A consumer that fails before blocking reports its own error rather than a timeout here.
  await Promise.race([waitBlocked(r, CONSUMERS.map((n) => `js-${n}`), 'xreadgroup'), results]);

  const produced = new Map(); // entry ID -> job number
  for (let batch = 0; batch < JOBS; batch += BATCH) {
    const p = r.pipeline();
    const numbers = [];
    for (let i = batch; i < Math.min(batch + BATCH, JOBS); i++) {
      numbers.push(String(i));
      p.xadd(key, '*', 'kind', 'job', 'n', String(i));
    }
    const replies = await p.exec();
    replies.forEach(([err, id], i) => {
      assert.ifError(err);
      produced.set(id, numbers[i]);
    });
  }
  assert.equal(produced.size, JOBS);
  // One stop entry at a time, each taken by exactly one consumer: the next goes out only once
  // a consumer has left, so no consumer can take two and leave another waiting.
  let lastId;
  for (let i = 0; i < CONSUMERS.length; i++) {
    lastId = await r.xadd(key, '*', 'kind', STOP);
    await Promise.race([stopped.acquire(WAIT_MS, 'a consumer taking the stop entry'), results]);
  }
  const seenBy = await withTimeout(results, WAIT_MS, 'consumers');

  const delivered = seenBy.flat().map(([id]) => id);
  assert.equal(delivered.length, JOBS, `${delivered.length} deliveries for ${JOBS} jobs`);
  assert.deepEqual(new Set(delivered), new Set(produced.keys()));
  seenBy.forEach((seen, i) => {
    const ids = seen.map(([id]) => id);
    assert.deepEqual(ids, [...ids].sort(compareIds), `${CONSUMERS[i]} got entries out of order`);
    for (const [id, fields] of seen) assert.deepEqual(fields, { kind: 'job', n: produced.get(id) });
  });

  assert.deepEqual(await r.xpending(key, group), [0, null, null, null]);
  const groups = (await r.xinfo('GROUPS', key)).map(pairs);
  assert.deepEqual(groups, [{
    name: group, consumers: 3, pending: 0, 'last-delivered-id': lastId,
    'entries-read': JOBS + CONSUMERS.length, lag: 0,
  }]);
  const consumerInfo = (await r.xinfo('CONSUMERS', key, group)).map(pairs);
  assert.deepEqual(consumerInfo.map((c) => c.name).sort(), CONSUMERS);
  for (const c of consumerInfo) assert.equal(c.pending, 0, c.name);
  console.log(`competing consumers: ${seenBy.map((s) => s.length)}`);
}

async function crashedConsumerIsTakenOver(port) {
  const r = connect(port);
  const key = 'js:orders';
  const group = 'billing';
  await r.del(key);
  assert.equal(await r.xgroup('CREATE', key, group, '0', 'MKSTREAM'), 'OK');
  const ids = [];
  for (let i = 0; i < 10; i++) ids.push(await r.xadd(key, '*', 'order', String(i)));

  const crasher = connect(port, 'js-crasher');
  const taken = await crasher.xreadgroup('GROUP', group, 'crasher', 'COUNT', 4, 'STREAMS', key,
                                         '>');
  assert.deepEqual(taken[0][1].map(([id]) => id), ids.slice(0, 4));
  crasher.disconnect(); // gone without acknowledging anything

  const healthy = connect(port, 'js-healthy');
  const rest = await healthy.xreadgroup('GROUP', group, 'healthy', 'COUNT', 100, 'STREAMS', key,
                                        '>');
  assert.deepEqual(rest[0][1].map(([id]) => id), ids.slice(4));
  assert.equal(await healthy.xack(key, group, ...ids.slice(4)), 6);

  assert.deepEqual(await r.xpending(key, group), [4, ids[0], ids[3], [['crasher', '4']]]);
  const owners = async () => (await r.xpending(key, group, '-', '+', 10))
    .map(([id, consumer, , deliveries]) => [id, consumer, deliveries]);
  assert.deepEqual(await owners(), ids.slice(0, 4).map((id) => [id, 'crasher', 1]));

  // Entries idle for less than a minute are left where they are.
  assert.deepEqual(await r.xautoclaim(key, group, 'rescuer', 60000, '0-0'), ['0-0', [], []]);

  // The producer cancels one pending order; XAUTOCLAIM reports it and drops it from the PEL.
  assert.equal(await r.xdel(key, ids[1]), 1);
  await sleep(150); // the entries must have been idle for 100 ms: time has to pass

  const rescuer = connect(port, 'js-rescuer');
  // COUNT bounds the entries examined, the deleted one included: this page claims one.
  let page = await rescuer.xautoclaim(key, group, 'rescuer', 100, '0-0', 'COUNT', 2);
  assert.deepEqual(page, [ids[2], [[ids[0], ['order', '0']]], [ids[1]]]);
  page = await rescuer.xautoclaim(key, group, 'rescuer', 100, page[0], 'COUNT', 2);
  assert.deepEqual(page, ['0-0', [[ids[2], ['order', '2']], [ids[3], ['order', '3']]], []]);

  assert.deepEqual(await owners(), [ids[0], ids[2], ids[3]].map((id) => [id, 'rescuer', 2]));
  assert.equal(await rescuer.xack(key, group, ids[0], ids[2], ids[3]), 3);
  assert.equal((await r.xpending(key, group))[0], 0);
  const pending = (await r.xinfo('CONSUMERS', key, group)).map(pairs)
    .map((c) => [c.name, c.pending]);
  assert.deepEqual(pending, [['crasher', 0], ['healthy', 0], ['rescuer', 0]]);
}

async function blockedReadersAreWoken(port) {
  const r = connect(port);
  const key = 'js:events';
  await r.del(key);

  // A reader with nothing to read gets a nil reply once its timeout passes.
  const start = Date.now();
  assert.equal(await r.xread('BLOCK', 100, 'STREAMS', key, '$'), null);
  assert.ok(Date.now() - start >= 90);

  const reader = connect(port, 'js-reader').xread('BLOCK', WAIT_MS, 'STREAMS', key, '$');
  await Promise.race([waitBlocked(r, ['js-reader'], 'xread'), reader]);
  let id = await r.xadd(key, '*', 'kind', 'woken');
  assert.deepEqual(await withTimeout(reader, WAIT_MS, 'XREAD'), [[key, [[id, ['kind', 'woken']]]]]);

  assert.equal(await r.xgroup('CREATE', key, 'audit', '$'), 'OK');
  const auditor = connect(port, 'js-auditor');
  const waiter = auditor.xreadgroup('GROUP', 'audit', 'auditor', 'COUNT', 1, 'BLOCK', WAIT_MS,
                                    'STREAMS', key, '>');
  await Promise.race([waitBlocked(r, ['js-auditor'], 'xreadgroup'), waiter]);
  id = await r.xadd(key, '*', 'kind', 'audited');
  assert.deepEqual(await withTimeout(waiter, WAIT_MS, 'XREADGROUP'),
                   [[key, [[id, ['kind', 'audited']]]]]);
  assert.deepEqual(await r.xpending(key, 'audit'), [1, id, id, [['auditor', '1']]]);
  assert.equal(await auditor.xack(key, 'audit', id), 1);
}

run(async (port) => {
  try {
    await competingConsumers(port);
    await crashedConsumerIsTakenOver(port);
    await blockedReadersAreWoken(port);
  } finally {
    closeAll();
  }
}, 'streams ok');
