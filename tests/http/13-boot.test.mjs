// Project creation and first boot: `tollgate new`, a generated .env when
// there is none, and the refusal to start on an existing database without
// API_TOKEN_SALT (strapi-api-tokens.md §3: no salt is generated at runtime
// for an existing database; changing it would invalidate every token).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ACCESS_KEY, Project, createProject, expectStatus, freePort, readDotenv, runTollgate,
} from './lib/harness.mjs';

function findSchemas(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === 'schema.json') out.push(entry);
  }
  return out;
}

describe('tollgate new', () => {
  let parent;

  before(async () => {
    parent = await fsp.mkdtemp(path.join(os.tmpdir(), 'tollgate-new-'));
  });

  after(async () => {
    await fsp.rm(parent, { recursive: true, force: true });
  });

  test('creates .env with every setting and an example content type', () => {
    const dir = path.join(parent, 'one');
    const r = runTollgate(['new', dir], { cwd: parent });
    assert.equal(r.status, 0, r.stderr);
    const env = readDotenv(path.join(dir, '.env'));
    for (const k of ['HOST', 'PORT', 'API_TOKEN_SALT', 'ENCRYPTION_KEY', 'ADMIN_JWT_SECRET']) {
      assert.ok(env[k], `${k} is missing or empty in .env`);
    }
    assert.equal(env.DATABASE_CLIENT, 'sqlite');
    assert.equal(env.DATABASE_FILENAME, '.tmp/data.db');
    assert.equal(env.NODE_ENV, 'development');
    const schemas = findSchemas(path.join(dir, 'src', 'api'));
    assert.ok(schemas.length >= 1, 'no src/api/**/schema.json');
  });

  test('every project gets its own secrets', () => {
    const a = path.join(parent, 'a');
    const b = path.join(parent, 'b');
    assert.equal(runTollgate(['new', a], { cwd: parent }).status, 0);
    assert.equal(runTollgate(['new', b], { cwd: parent }).status, 0);
    const ea = readDotenv(path.join(a, '.env'));
    const eb = readDotenv(path.join(b, '.env'));
    for (const k of ['API_TOKEN_SALT', 'ENCRYPTION_KEY', 'ADMIN_JWT_SECRET']) assert.notEqual(ea[k], eb[k], k);
  });

  test('the new project serves, with the two default tokens', async () => {
    const dir = path.join(parent, 'served');
    assert.equal(runTollgate(['new', dir], { cwd: parent }).status, 0);
    const project = new Project(dir);
    const server = await project.start();
    try {
      const list = project.cli(['token', 'list']);
      assert.deepEqual(list.map((t) => t.name), ['Full Access', 'Read Only']);
      const key = project.cli(['token', 'show', '2']).accessKey;
      assert.match(key, ACCESS_KEY);
      expectStatus(await server.get('/api/nothing-here', { token: key }), 404);
    } finally {
      await server.stop();
    }
  });
});

describe('first boot without .env, then without a salt', () => {
  let project;

  before(async () => {
    project = await createProject({ dotenv: false });
  });

  after(async () => {
    await project?.cleanup();
  });

  let key;
  let salt;

  test('serve with no .env and no database writes a .env with a salt and starts', async () => {
    assert.ok(!fs.existsSync(path.join(project.dir, '.env')));
    const server = await project.start();
    try {
      const env = readDotenv(path.join(project.dir, '.env'));
      salt = env.API_TOKEN_SALT;
      assert.ok(salt && salt.length >= 16, `generated API_TOKEN_SALT too short: ${salt}`);
      key = project.token({ type: 'read-only' }).accessKey;
      expectStatus(await server.get('/api/articles', { token: key }), 200);
    } finally {
      await server.stop();
    }
  });

  test('the generated salt is kept: tokens still work after a restart', async () => {
    const server = await project.start();
    try {
      assert.equal(readDotenv(path.join(project.dir, '.env')).API_TOKEN_SALT, salt);
      expectStatus(await server.get('/api/articles', { token: key }), 200);
    } finally {
      await server.stop();
    }
  });

  test('an existing database and no API_TOKEN_SALT anywhere: exit 1, stderr names API_TOKEN_SALT', async () => {
    const envFile = path.join(project.dir, '.env');
    const kept = fs.readFileSync(envFile, 'utf8').split('\n').filter((l) => !/^\s*(export\s+)?API_TOKEN_SALT\s*=/.test(l));
    fs.writeFileSync(envFile, kept.join('\n'));
    const port = await freePort();
    const r = runTollgate(['serve'], {
      cwd: project.dir, env: { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' }, timeoutMs: 10_000,
    });
    assert.equal(r.status, 1, `expected exit 1 (signal ${r.signal})\nstderr: ${r.stderr}`);
    assert.match(r.stderr, /API_TOKEN_SALT/);
    assert.ok(!readDotenv(envFile).API_TOKEN_SALT, 'serve must not invent a new salt for an existing database');
  });

  test('the salt from the environment alone is enough', async () => {
    const server = await project.start({ env: { API_TOKEN_SALT: salt } });
    try {
      expectStatus(await server.get('/api/articles', { token: key }), 200);
    } finally {
      await server.stop();
    }
  });
});
