// What the ioredis programs share: the port from the command line, a watchdog that ends a
// stuck run, connections that never retry, the CLIENT LIST handshake that tells when other
// connections are parked in a blocking command, and small promise helpers.
'use strict';

const Redis = require('ioredis');

const WAIT_MS = 5000;   // the longest any single wait or blocking command may take
const RUN_MS = 30000;   // the whole program, so a hang fails instead of stalling the test run

function portFromArgv() {
  if (process.argv.length !== 3) {
    console.error(`usage: node ${process.argv[1]} PORT`);
    process.exit(2);
  }
  return Number(process.argv[2]);
}

// Runs main(port), prints `okLine` on success, exits non-zero on a failure or a hang.
function run(main, okLine) {
  const port = portFromArgv();
  setTimeout(() => {
    console.error(`${process.argv[1]}: still running after ${RUN_MS} ms`);
    process.exit(3);
  }, RUN_MS).unref();
  main(port).then(
    () => {
      console.log(okLine);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    });
}

const connections = [];

// A connection that fails fast instead of reconnecting: a test wants the first error.
function connect(port, name) {
  const options = {
    host: '127.0.0.1',
    port,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    lazyConnect: false,
  };
  if (name) options.connectionName = name;
  const r = new Redis(options);
  r.on('error', (err) => console.error(`connection ${name || ''}: ${err.message}`));
  connections.push(r);
  return r;
}

function closeAll() {
  for (const r of connections) r.disconnect();
  connections.length = 0;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Resolves with the promise's value, or rejects once `ms` have passed.
function withTimeout(promise, ms, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function parseClientList(text) {
  return text.trim().split('\n').map((line) => {
    const fields = {};
    for (const pair of line.trim().split(' ')) {
      const at = pair.indexOf('=');
      fields[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return fields;
  });
}

// Waits until every connection named in `names` is blocked in `command`.
async function waitBlocked(r, names, command) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const clients = parseClientList(await r.client('LIST'));
    const blocked = new Set(clients.filter((c) => c.flags.includes('b') && c.cmd === command)
      .map((c) => c.name));
    const missing = names.filter((n) => !blocked.has(n));
    if (missing.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`not blocked in ${command} after ${WAIT_MS} ms: ${missing}\n` +
                      JSON.stringify(clients));
    }
    await sleep(5);
  }
}

// A counting semaphore for handshakes between the async tasks of one program.
class Semaphore {
  constructor() {
    this.count = 0;
    this.waiters = [];
  }

  release() {
    const waiter = this.waiters.shift();
    if (waiter) waiter();
    else this.count += 1;
  }

  acquire(ms, what) {
    if (this.count > 0) {
      this.count -= 1;
      return Promise.resolve();
    }
    return withTimeout(new Promise((resolve) => this.waiters.push(resolve)), ms, what);
  }
}

// Stream entries arrive as [id, [field, value, ...]]; tests compare them as [id, {field: value}].
function entryObject([id, flat]) {
  const fields = {};
  for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
  return [id, fields];
}

// A flat [key, value, ...] reply (XINFO) as an object.
function pairs(flat) {
  const out = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

module.exports = {
  WAIT_MS, run, connect, closeAll, sleep, withTimeout, waitBlocked, Semaphore, entryObject,
  pairs,
};
