// Shared helpers for the black-box HTTP suite (node:test, no dependencies).
//
// A test file makes a throw-away project (createProject), starts the tollgate
// binary on it (project.start), talks to it with server.api() and manages
// tokens with the CLI (project.cli / project.token). Every file starts its own
// server in before() and stops it in after(); stop() asserts exit status 0.
//
// The binary is $TOLLGATE_BIN, or build/dev/tollgate under the repository root.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = process.env.TOLLGATE_BIN
  ? path.resolve(process.env.TOLLGATE_BIN)
  : path.join(REPO_ROOT, 'build', 'dev', 'tollgate');
export const FIXTURES_SRC = path.join(REPO_ROOT, 'tests', 'fixtures', 'src');

// With TOLLGATE_TEST_PG_URL set (make test does), every project this
// harness makes keeps its data in PostgreSQL, in a schema of its own
// (DATABASE_SCHEMA), dropped by cleanup(); otherwise in SQLite.
export const PG_URL = process.env.TOLLGATE_TEST_PG_URL || null;
export const BACKEND = PG_URL ? 'postgres' : 'sqlite';

// A running server sees a change made behind its back (by the CLI or by SQL)
// within its watcher's period (SQLite: 50 ms; PostgreSQL: at once by
// notification, 250 ms at worst). Helpers that make such changes wait this
// long before returning, so a test can use the server right after.
export const SETTLE_MS = PG_URL ? 300 : 150;

export const SALT = 'tollgate-http-suite-salt-Q2hhbmdlTWU=';
export const OTHER_SALT = 'a-completely-different-salt-c2FsdDI=';
export const ENCRYPTION_KEY = 'tollgate-http-suite-encryption-key=';
export const ADMIN_JWT_SECRET = 'tollgate-http-suite-admin-jwt-secret';

const HEALTH_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

// ---- small utilities -------------------------------------------------------

export const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const DOCUMENT_ID = /^[a-z][a-z0-9]{23}$/;
export const ACCESS_KEY = /^[0-9a-f]{256}$/;

export const DAY_MS = 24 * 60 * 60 * 1000;

let uniqueCounter = 0;
/** A name unique within this process: `${prefix}-<pid>-<n>`. */
export function uniq(prefix = 'x') {
  uniqueCounter += 1;
  return `${prefix}-${process.pid}-${uniqueCounter}`;
}

/** Poll `fn` (sync or async) until it returns a truthy value; bounded. */
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Wait (bounded) until the wall clock has moved past `ms` (epoch ms). */
export function waitPast(ms) {
  return waitFor(() => Date.now() > ms, { intervalMs: 1, what: `clock past ${ms}` });
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment for child processes: ours minus every tollgate setting, so
 * that a developer's shell cannot change what the project's .env says.
 */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      [
        'HOST', 'PORT', 'API_TOKEN_SALT', 'ENCRYPTION_KEY', 'ADMIN_JWT_SECRET', 'NODE_ENV',
        'LOG_LEVEL', 'CORS_ORIGIN', 'APP_KEYS', 'JWT_SECRET', 'TRANSFER_TOKEN_SALT',
      ].includes(k) ||
      k.startsWith('DATABASE_') ||
      (k.startsWith('TOLLGATE_') && k !== 'TOLLGATE_BIN')
    ) {
      delete env[k];
    }
  }
  return { ...env, ...extra };
}

export function assertBinaryExists() {
  if (!fs.existsSync(BIN)) {
    throw new Error(
      `tollgate binary not found at ${BIN}; build it (cmake --preset dev && cmake --build --preset dev) or set TOLLGATE_BIN`,
    );
  }
}

function tail(s, n = 4000) {
  return s.length > n ? `...${s.slice(-n)}` : s;
}

function shorten(s, n = 300) {
  return s.length > n ? `${s.slice(0, n)}...(${s.length} chars)` : s;
}

/**
 * Run the binary synchronously with a clean environment plus `env`. Returns
 * {status, signal, stdout, stderr, json}; json is stdout parsed, if it parses.
 * A process still running after `timeoutMs` is killed (status null).
 */
export function runTollgate(args, { env = {}, cwd, timeoutMs = 15_000 } = {}) {
  assertBinaryExists();
  const r = spawnSync(BIN, args, {
    cwd,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  let json;
  try {
    json = r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, json };
}

/** Parse a .env file's KEY=VALUE lines (comments, blank lines and quotes handled simply). */
export function readDotenv(file) {
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]] = v;
  }
  return out;
}

// Safety net for an interrupted run (Ctrl-C, a dead pipe): whatever after()
// did not get to is killed and removed when this process exits.
const liveServers = new Set();
const liveDirs = new Set();
process.on('exit', () => {
  for (const proc of liveServers) {
    try { proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
  for (const dir of liveDirs) {
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
});

// ---- projects ----------------------------------------------------------------

/**
 * Make a temporary project: the fixture content types under src/, and a .env
 * with a fixed salt. Options:
 *   salt: API_TOKEN_SALT in .env (null: leave it out)
 *   encryptionKey: ENCRYPTION_KEY in .env (null: leave it out)
 *   dotenv: false to write no .env at all
 *   fixtures: false to copy no content types
 */
export async function createProject({
  salt = SALT,
  encryptionKey = ENCRYPTION_KEY,
  dotenv = true,
  fixtures = true,
} = {}) {
  assertBinaryExists();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tollgate-http-'));
  liveDirs.add(dir);
  if (fixtures) await fsp.cp(FIXTURES_SRC, path.join(dir, 'src'), { recursive: true });
  if (dotenv) {
    const lines = ['HOST=127.0.0.1', 'PORT=1337'];
    if (salt !== null) lines.push(`API_TOKEN_SALT=${salt}`);
    if (encryptionKey !== null) lines.push(`ENCRYPTION_KEY=${encryptionKey}`);
    lines.push(`ADMIN_JWT_SECRET=${ADMIN_JWT_SECRET}`);
    lines.push(...databaseLines(dir));
    lines.push('NODE_ENV=development');
    await fsp.writeFile(path.join(dir, '.env'), `${lines.join('\n')}\n`);
  }
  return new Project(dir);
}

/** The schema a project directory's data lives in on PostgreSQL. */
export function pgSchemaFor(dir) {
  return `t_${path.basename(dir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`;
}

/** The DATABASE_* lines of a project's .env for the backend under test. */
export function databaseLines(dir, { schema } = {}) {
  if (!PG_URL) return ['DATABASE_CLIENT=sqlite', 'DATABASE_FILENAME=.tmp/data.db'];
  return ['DATABASE_CLIENT=postgres', `DATABASE_URL=${PG_URL}`, `DATABASE_SCHEMA=${schema ?? pgSchemaFor(dir)}`];
}

/** Run psql on the test cluster; returns stdout (unaligned, no headers). */
export function psql(statement, { schema } = {}) {
  const sql = schema ? `SET search_path TO "${schema}"; ${statement}` : statement;
  const r = spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', PG_URL, '-c', sql], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `psql failed on ${statement}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Block this thread for `ms` (the suite's synchronous helpers need it). */
function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class Project {
  constructor(dir) {
    this.dir = dir;
    this.dbPath = path.join(dir, '.tmp', 'data.db');
  }

  /**
   * Run the binary with `args` in the project directory; no assertion. A
   * command that may change what a running server has cached (token
   * update/regenerate/delete, admin, import) waits SETTLE_MS after.
   */
  run(args, { env = {}, cwd = this.dir, timeoutMs } = {}) {
    const r = runTollgate(args, { env, cwd, timeoutMs });
    const [cmd, sub] = args;
    if ((cmd === 'token' && ['update', 'regenerate', 'delete'].includes(sub)) || cmd === 'admin' || cmd === 'import') {
      sleepSync(SETTLE_MS);
    }
    return r;
  }

  /** `tollgate <args> --json`, expecting exit 0; returns the parsed stdout. */
  cli(args, opts) {
    const r = this.run([...args, '--json'], opts);
    assert.equal(
      r.status,
      0,
      `tollgate ${args.join(' ')} --json exited ${r.status}\nstdout: ${tail(r.stdout)}\nstderr: ${tail(r.stderr)}`,
    );
    assert.notEqual(r.json, undefined, `stdout is not JSON: ${tail(r.stdout)}`);
    return r.json;
  }

  /** `tollgate <args> --json`, expecting exit 1 and an error envelope on stdout. */
  cliError(args, opts) {
    const r = this.run([...args, '--json'], opts);
    assert.equal(
      r.status,
      1,
      `tollgate ${args.join(' ')} --json: expected exit 1, got ${r.status}\nstdout: ${tail(r.stdout)}\nstderr: ${tail(r.stderr)}`,
    );
    assert.notEqual(r.json, undefined, `stdout is not JSON: ${tail(r.stdout)}`);
    return r.json;
  }

  /**
   * Create a content-API token with the CLI; returns the token object (with
   * accessKey). `permissions` is a list of action UIDs.
   */
  token({ name = uniq('tok'), type, description, lifespan, permissions = [] } = {}) {
    const args = ['token', 'create', '--name', name];
    if (description !== undefined) args.push('--description', description);
    if (type !== undefined) args.push('--type', type);
    if (lifespan !== undefined) args.push('--lifespan', lifespan);
    for (const p of permissions) args.push('--permission', p);
    const t = this.cli(args);
    assert.match(t.accessKey ?? '', ACCESS_KEY, `token create returned no accessKey: ${JSON.stringify(t)}`);
    return t;
  }

  /**
   * Run one SQL statement on the project's database (sqlite3, or psql in
   * the project's schema). A change made behind the server's back reaches
   * a PostgreSQL-backed server by notification (within its fallback poll
   * period at worst), so a write waits that long before returning.
   */
  sql(statement) {
    if (PG_URL) {
      const out = psql(statement, { schema: pgSchemaFor(this.dir) });
      if (!/^\s*select/i.test(statement)) sleepSync(SETTLE_MS);
      return out;
    }
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', this.dbPath, statement], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (r.error) throw r.error;
    assert.equal(r.status, 0, `sqlite3 failed on ${statement}: ${r.stderr}`);
    if (!/^\s*select/i.test(statement)) sleepSync(SETTLE_MS);
    return r.stdout.trim();
  }

  /** Start `tollgate serve` here; resolves once /_health answers 204. */
  start(opts) {
    return Server.start(this, opts);
  }

  async cleanup() {
    if (PG_URL) psql(`DROP SCHEMA IF EXISTS "${pgSchemaFor(this.dir)}" CASCADE`);
    await fsp.rm(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }
}

// ---- the server ------------------------------------------------------------------

export class Server {
  constructor(project, proc, port) {
    this.project = project;
    this.proc = proc;
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.stdout = '';
    this.stderr = '';
    liveServers.add(proc);
    this.exit = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        liveServers.delete(proc);
        resolve({ code, signal });
      });
    });
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { this.stdout = tail(this.stdout + d, 64 * 1024); });
    proc.stderr.on('data', (d) => { this.stderr = tail(this.stderr + d, 64 * 1024); });
  }

  /**
   * Spawn `tollgate serve` in the project with PORT, HOST=127.0.0.1 and
   * LOG_LEVEL=warn, plus `env`. Retries on a fresh port if the process dies
   * before it is healthy (another process may have taken the port).
   */
  static async start(project, { env = {}, args = [] } = {}) {
    let lastError;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const port = await freePort();
      const proc = spawn(BIN, ['serve', ...args], {
        cwd: project.dir,
        env: cleanEnv({ HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const server = new Server(project, proc, port);
      let exited = null;
      server.exit.then((r) => { exited = r; });
      let spawnFailed = false;
      const spawnError = new Promise((_, reject) => proc.on('error', (err) => {
        spawnFailed = true;
        reject(new Error(`cannot run ${BIN}: ${err.message}`));
      }));
      try {
        await Promise.race([spawnError, server.waitHealthy(() => exited)]);
        return server;
      } catch (err) {
        if (spawnFailed) throw err;
        if (!exited) {
          proc.kill('SIGKILL');
          await server.exit;
        }
        lastError = err;
        if (!exited) break; // hung rather than died: retrying will not help
      }
    }
    throw lastError;
  }

  async waitHealthy(exitedFn) {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      const exited = exitedFn();
      if (exited) {
        throw new Error(
          `tollgate serve exited (code ${exited.code}, signal ${exited.signal}) before /_health answered\nstderr:\n${tail(this.stderr)}`,
        );
      }
      try {
        const res = await fetch(`${this.baseUrl}/_health`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 204) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`tollgate serve not healthy after ${HEALTH_TIMEOUT_MS} ms\nstderr:\n${tail(this.stderr)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * One request. Options:
   *   token: sent as "Authorization: Bearer <token>"
   *   body: JSON-encoded with Content-Type application/json
   *   rawBody: sent as is (string, Buffer or stream); set Content-Type via headers
   *   headers: extra headers (override the above)
   *   timeoutMs: give up (and fail) after this long; default 15 s
   * Returns {status, headers, text, json}; json is the parsed body when the
   * response says it is JSON.
   */
  async api(method, urlPath, { token, body, rawBody, headers = {}, duplex, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    const h = {};
    if (token !== undefined) h.authorization = `Bearer ${token}`;
    let payload;
    if (rawBody !== undefined) {
      payload = rawBody;
    } else if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = v;
    const init = { method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) };
    if (duplex) init.duplex = duplex;
    let res;
    try {
      res = await fetch(this.baseUrl + urlPath, init);
    } catch (err) {
      throw new Error(`${method} ${shorten(urlPath)} failed: ${err.message}\nserver stderr:\n${tail(this.stderr)}`, { cause: err });
    }
    const text = await res.text();
    let json;
    if (text !== '' && /json/i.test(res.headers.get('content-type') ?? '')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { method, path: urlPath, status: res.status, headers: res.headers, text, json };
  }

  get(urlPath, opts) { return this.api('GET', urlPath, opts); }
  post(urlPath, opts) { return this.api('POST', urlPath, opts); }
  put(urlPath, opts) { return this.api('PUT', urlPath, opts); }
  del(urlPath, opts) { return this.api('DELETE', urlPath, opts); }

  /** SIGTERM, wait for exit, assert it exited 0. */
  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
      const r = await this.exit;
      assert.fail(`tollgate serve had already exited (code ${r.code}, signal ${r.signal})\nstderr:\n${tail(this.stderr)}`);
    }
    this.proc.kill('SIGTERM');
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); });
    const r = await Promise.race([this.exit, timeout]);
    clearTimeout(timer);
    if (r === null) {
      this.proc.kill('SIGKILL');
      await this.exit;
      assert.fail(`tollgate serve did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\nstderr:\n${tail(this.stderr)}`);
    }
    assert.deepEqual(r, { code: 0, signal: null }, `tollgate serve exit after SIGTERM\nstderr:\n${tail(this.stderr)}`);
  }

  /** Kill without assertions (cleanup after a failure). */
  async kill() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGKILL');
      await this.exit;
    }
  }
}

/**
 * The usual set-up of a test file: a fixture project, a running server and a
 * full-access token. `teardown()` stops the server (asserting exit 0) and
 * removes the project.
 */
export async function setup({ project: projectOpts, server: serverOpts } = {}) {
  const project = await createProject(projectOpts);
  let server;
  try {
    server = await project.start(serverOpts);
  } catch (err) {
    await project.cleanup();
    throw err;
  }
  let full;
  try {
    full = project.token({ name: uniq('full'), type: 'full-access' });
  } catch (err) {
    await server.kill();
    await project.cleanup();
    throw err;
  }
  return {
    project,
    server,
    full: full.accessKey,
    async teardown() {
      try {
        await server.stop();
      } finally {
        await server.kill();
        await project.cleanup();
      }
    },
  };
}

// ---- assertions ------------------------------------------------------------------

function describeRes(res) {
  return `${res.method} ${shorten(res.path)} -> ${res.status}\n${tail(res.text, 2000)}`;
}

/** Assert the status code, with the response body in the failure message. */
export function expectStatus(res, status) {
  assert.equal(res.status, status, describeRes(res));
}

/** Use as `details` to require that the error has no details key at all. */
export const NO_DETAILS = Symbol('no details key');
/** Use as `details` to accept any details object. */
export const ANY_DETAILS = Symbol('any details');

/**
 * Assert a Strapi error envelope:
 * {"data":null,"error":{"status","name","message","details"}}.
 * `message` may be a RegExp; `details` defaults to {}.
 */
export function expectError(res, status, name, message, details = {}) {
  expectStatus(res, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, describeRes(res));
  assert.ok(res.json && typeof res.json === 'object', `error body is not JSON: ${describeRes(res)}`);
  assert.deepEqual(Object.keys(res.json), ['data', 'error'], describeRes(res));
  assert.equal(res.json.data, null, describeRes(res));
  const err = res.json.error;
  assert.equal(err.status, status, describeRes(res));
  assert.equal(err.name, name, describeRes(res));
  if (message instanceof RegExp) assert.match(err.message, message, describeRes(res));
  else assert.equal(err.message, message, describeRes(res));
  if (details === NO_DETAILS) {
    assert.ok(!('details' in err), `expected no details key: ${describeRes(res)}`);
  } else if (details === ANY_DETAILS) {
    assert.ok(err.details && typeof err.details === 'object', `details is not an object: ${describeRes(res)}`);
  } else {
    assert.deepEqual(err.details, details, describeRes(res));
  }
  return err;
}

export const expectForbidden = (res) => expectError(res, 403, 'ForbiddenError', 'Forbidden');
export const expectUnauthorized = (res, message = 'Missing or invalid credentials') =>
  expectError(res, 401, 'UnauthorizedError', message);
export const expectNotFound = (res) => expectError(res, 404, 'NotFoundError', 'Not Found');

/**
 * Assert a single-attribute ValidationError as produced by Strapi's yup layer:
 * message = the error's text, details.errors = [{path:[attr], message, name, value}].
 * Pass value = undefined (omit) for errors that carry no value.
 */
export function expectFieldError(res, attr, message, ...value) {
  const entry = { path: [attr], message, name: 'ValidationError' };
  if (value.length > 0) entry.value = value[0];
  return expectError(res, 400, 'ValidationError', message, { errors: [entry] });
}

/** The CLI's error envelope for `--json`. */
export function expectCliError(json, status, name, message, details = {}) {
  assert.deepEqual(json, { data: null, error: { status, name, message, details } });
}

/** Names of the entries of a list response, in response order. */
export function names(res) {
  return res.json.data.map((e) => e.name);
}

/** Names of the entries of a list response, ordered by id. */
export function namesById(res) {
  return [...res.json.data].sort((a, b) => a.id - b.id).map((e) => e.name);
}

// ---- the product data set of strapi-content-api.md §5 ----------------------------

/**
 * The five products of the spec's filter examples, in creation (id) order,
 * with extra attributes for sort and type-specific filters.
 */
export const FRUIT = [
  {
    name: 'Apple', stock: 10, description: 'Red fruit', category: 'beta', price: 1.5, bigValue: '100',
    active: true, releaseDate: '2024-01-10', launchAt: '2024-01-20T10:00:00.000Z', meta: { color: 'red' },
  },
  {
    name: 'banana', stock: 20, description: 'yellow FRUIT', category: 'alpha', price: 0.5, bigValue: '200',
    active: false, releaseDate: '2024-02-10', launchAt: '2024-02-20T10:00:00.000Z', meta: { color: 'yellow' },
  },
  {
    name: 'Cherry', stock: 30, description: null, category: 'gamma', price: 3, bigValue: '300',
    active: true, releaseDate: '2024-03-10', launchAt: '2024-03-20T10:00:00.000Z', meta: ['red', 'small'],
  },
  {
    name: 'date', stock: null, description: 'Dried fruit', category: 'alpha', price: 2, bigValue: null,
    active: false, releaseDate: null, launchAt: null, meta: null,
  },
  {
    name: 'Elderberry', stock: 0, description: 'Berry 100%', category: 'beta', price: 4, bigValue: '50',
    active: true, releaseDate: '2023-12-31', launchAt: '2023-12-31T23:00:00.000Z', meta: { color: 'purple' },
  },
];

/** Create the FRUIT products (with a secretNote each); returns the created entries. */
export async function seedFruit(server, token) {
  const out = [];
  for (const f of FRUIT) {
    const res = await server.post('/api/products', { token, body: { data: { ...f, secretNote: `secret of ${f.name}` } } });
    expectStatus(res, 201);
    out.push(res.json.data);
  }
  return out;
}
