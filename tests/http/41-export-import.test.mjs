// tollgate export / import: a whole project (entries, tokens with their
// hashes and encrypted keys, administrators, roles, admin tokens) moves
// between databases. With TOLLGATE_TEST_PG_URL the round trip is
// SQLite -> PostgreSQL -> SQLite; without it, SQLite -> SQLite -> SQLite.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ADMIN, login, registerAdmin } from './lib/admin.mjs';
import { PG_URL, createProject, databaseLines, expectStatus, uniq } from './lib/harness.mjs';

/** Point a project's .env at SQLite or at the suite's PostgreSQL. */
async function useBackend(project, backend) {
  const envFile = path.join(project.dir, '.env');
  const lines = (await fsp.readFile(envFile, 'utf8')).split('\n').filter((l) => l && !l.startsWith('DATABASE_'));
  if (backend === 'sqlite') lines.push('DATABASE_CLIENT=sqlite', 'DATABASE_FILENAME=.tmp/data.db');
  else lines.push(...databaseLines(project.dir));
  await fsp.writeFile(envFile, `${lines.join('\n')}\n`);
}

const MIDDLE = PG_URL ? 'postgres' : 'sqlite';
const projects = [];
let source;
let middle;
let last;
let tokens;
let adminKey;
let articlesBefore;
let productsBefore;
let draftsBefore;

async function exportTo(project, file) {
  const r = project.run(['export', file]);
  assert.equal(r.status, 0, `export failed: ${r.stderr}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function importFrom(project, file, extra = []) {
  return project.run(['import', file, ...extra]);
}

before(async () => {
  source = await createProject();
  middle = await createProject();
  last = await createProject();
  projects.push(source, middle, last);
  await useBackend(source, 'sqlite');
  await useBackend(middle, MIDDLE);
  await useBackend(last, 'sqlite');

  const server = await source.start();
  try {
    const admin = await registerAdmin(server);
    const full = (await admin.post('/admin/api-tokens', { body: { name: 'writer', type: 'full-access' } })).json.data;
    const custom = (await admin.post('/admin/api-tokens', {
      body: { name: 'custom', type: 'custom', permissions: ['api::article.article.find', 'api::post.post.find'] },
    })).json.data;
    const adm = await admin.post('/admin/admin-tokens', {
      body: { name: 'automation', adminPermissions: [{ action: 'admin::users.read', subject: null }] },
    });
    expectStatus(adm, 201);
    adminKey = adm.json.data.accessKey;
    tokens = { full: full.accessKey, custom: custom.accessKey };
    // every key used once here, so lastUsedAt is set before the export
    // (it changes at most hourly, so later use does not change the rows)
    expectStatus(await server.get('/admin/users', { token: adminKey }), 200);
    for (let i = 0; i < 5; i += 1) {
      const res = await server.post('/api/articles', {
        token: full.accessKey,
        body: { data: { title: `Article ${i} ✓ “quoted”`, body: `line\nbreak ${i}`, views: i * 7 } },
      });
      assert.ok(res.status === 201 || res.status === 200, `create article: ${res.status} ${res.text}`);
    }
    const prod = await server.post('/api/products', {
      token: full.accessKey,
      body: {
        data: {
          name: uniq('p'), sku: 'SKU-1', price: 12.5, amount: 3.25, stock: 3, active: true, bigValue: '9007199254740993',
          releaseDate: '2026-01-31', openingTime: '09:30:00.000', launchAt: '2026-02-01T10:00:00.000Z',
          meta: { nested: [1, 'two', { three: null }] }, category: null, contact: 'x@example.com',
        },
      },
    });
    assert.ok(prod.status < 300, `create product: ${prod.status} ${prod.text}`);
    const post = await server.post('/api/posts', { token: full.accessKey, body: { data: { title: 'a draft' } } });
    assert.ok(post.status < 300, `create post: ${post.status} ${post.text}`);
    articlesBefore = (await server.get('/api/articles?sort=id&pagination[pageSize]=100', { token: custom.accessKey })).text;
    productsBefore = (await server.get('/api/products?sort=id', { token: full.accessKey })).text;
    draftsBefore = (await server.get('/api/posts?status=draft&sort=id', { token: full.accessKey })).text;
  } finally {
    await server.stop();
  }
});

after(async () => {
  for (const p of projects) await p.cleanup();
});

describe(`export and import: sqlite -> ${MIDDLE} -> sqlite`, () => {
  let first;
  let second;

  test(`the ${MIDDLE} project serves the same data, tokens and administrators`, async () => {
    first = await exportTo(source, path.join(source.dir, 'export.json'));
    assert.equal(first.format, 'tollgate-export');
    assert.equal(first.backend, 'sqlite');
    assert.equal(fs.statSync(path.join(source.dir, 'export.json')).mode & 0o777, 0o600);
    const r = await importFrom(middle, path.join(source.dir, 'export.json'));
    assert.equal(r.status, 0, `import failed: ${r.stderr}`);

    const server = await middle.start();
    try {
      assert.equal((await server.get('/api/articles?sort=id&pagination[pageSize]=100', { token: tokens.custom })).text, articlesBefore);
      assert.equal((await server.get('/api/products?sort=id', { token: tokens.full })).text, productsBefore);
      assert.equal((await server.get('/api/posts?status=draft&sort=id', { token: tokens.full })).text, draftsBefore);
      // custom token keeps exactly its permissions
      assert.equal((await server.get('/api/products', { token: tokens.custom })).status, 403);
      // the admin token and the administrator's password moved too
      expectStatus(await server.get('/admin/users', { token: adminKey }), 200);
      const admin = await login(server, ADMIN.email, ADMIN.password);
      const list = await admin.get('/admin/api-tokens');
      assert.deepEqual(list.json.data.map((t) => t.name).sort(), ['Full Access', 'Read Only', 'custom', 'writer']);
      // a new entry gets a fresh id after the imported ones
      const created = await server.post('/api/articles', { token: tokens.full, body: { data: { title: 'after import' } } });
      assert.ok(created.status < 300, created.text);
      const ids = (await server.get('/api/articles?sort=id&pagination[pageSize]=100', { token: tokens.full })).json.data.map((a) => a.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(Math.max(...ids), ids[ids.length - 1]);
      expectStatus(await server.del(`/api/articles/${created.json.data.documentId}`, { token: tokens.full }), 204);
    } finally {
      await server.stop();
    }
  });

  test('exporting again and importing into SQLite gives back the same tables', async () => {
    second = await exportTo(middle, path.join(middle.dir, 'export.json'));
    assert.equal(second.backend, MIDDLE);
    const r = await importFrom(last, path.join(middle.dir, 'export.json'));
    assert.equal(r.status, 0, `import failed: ${r.stderr}`);
    const third = await exportTo(last, path.join(last.dir, 'export.json'));
    // the article created and deleted on the middle project left the same
    // rows behind; every table compares equal, row by row, value by value
    for (const doc of [second, third]) {
      assert.deepEqual(doc.tables.map((t) => t.name), first.tables.map((t) => t.name));
    }
    assert.deepEqual(third.tables, first.tables);
    assert.deepEqual(second.tables, first.tables);
    assert.ok(first.tables.find((t) => t.name === 'articles').rows.length === 5);
  });

  test('an import into a project that holds data is refused unless --force, and changes nothing', async () => {
    const file = path.join(source.dir, 'export.json');
    const r = await importFrom(last, file);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /already holds data .*--force/);
    const forced = await importFrom(last, file, ['--force']);
    assert.equal(forced.status, 0, forced.stderr);
  });

  test('a document that is not an export, or names unknown tables, is refused and nothing changes', async () => {
    const bad = path.join(last.dir, 'bad.json');
    await fsp.writeFile(bad, JSON.stringify({ hello: 'world' }));
    let r = await importFrom(last, bad, ['--force']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not a tollgate export/);

    const doc = JSON.parse(fs.readFileSync(path.join(source.dir, 'export.json'), 'utf8'));
    doc.tables.push({ name: 'no_such_table', columns: ['id'], rows: [[1]] });
    await fsp.writeFile(bad, JSON.stringify(doc));
    r = await importFrom(last, bad, ['--force']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no_such_table/);

    const broken = JSON.parse(fs.readFileSync(path.join(source.dir, 'export.json'), 'utf8'));
    broken.tables.find((t) => t.name === 'articles').rows.push([1, 'dup']);
    await fsp.writeFile(bad, JSON.stringify(broken));
    r = await importFrom(last, bad, ['--force']);
    assert.equal(r.status, 1);
    // still the data of the last good import
    const after = await exportTo(last, path.join(last.dir, 'after.json'));
    assert.deepEqual(after.tables, doc.tables.slice(0, -1));
  });

  test('export refuses to overwrite a file unless --force; migrate status shows every migration applied', async () => {
    const file = path.join(source.dir, 'export.json');
    let r = source.run(['export', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--force overwrites it/);
    r = source.run(['export', file, '--force']);
    assert.equal(r.status, 0, r.stderr);
    const st = source.cli(['migrate', 'status']);
    assert.equal(st.backend, 'sqlite');
    assert.equal(st.current, st.latest);
    assert.ok(st.migrations.every((m) => typeof m.appliedAt === 'string'));
  });
});
