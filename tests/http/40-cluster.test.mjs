// Several tollgate instances on one PostgreSQL database (issue: cluster
// behaviour). Two servers share a project's .env and schema; a change made
// through instance A must be seen by instance B within a second (token cache
// invalidated by LISTEN/NOTIFY, with a periodic check as the fallback).
// Runs only when the suite runs on PostgreSQL (TOLLGATE_TEST_PG_URL).

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ADMIN, AdminClient, SUPER_ADMIN, login, newUser, registerAdmin, roleId } from './lib/admin.mjs';
import {
  OTHER_SALT, PG_URL, createProject, databaseLines, expectStatus, expectUnauthorized, pgSchemaFor, psql,
  uniq, waitFor,
} from './lib/harness.mjs';

const SKIP = PG_URL ? false : 'runs on PostgreSQL only (TOLLGATE_TEST_PG_URL)';
const WITHIN_MS = 1000;

/** Poll `fn` until it returns true; fails after WITHIN_MS (+ request time). */
async function within(fn, what) {
  const started = Date.now();
  await waitFor(fn, { timeoutMs: WITHIN_MS, intervalMs: 20, what });
  return Date.now() - started;
}

const articles = (server, token) => server.get('/api/articles', { token });

describe('two instances on one PostgreSQL database', { skip: SKIP }, () => {
  let project;
  let a;
  let b;
  let adminA;

  before(async () => {
    project = await createProject();
    [a, b] = await Promise.all([project.start(), project.start()]);
    adminA = await registerAdmin(a);
  });

  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await project?.cleanup();
  });

  test('the default tokens and the roles exist once, not once per instance', () => {
    const schema = pgSchemaFor(project.dir);
    assert.equal(psql("SELECT COUNT(*) FROM strapi_api_tokens WHERE name IN ('Read Only', 'Full Access')", { schema }), '2');
    assert.equal(psql("SELECT COUNT(*) FROM admin_roles WHERE code = 'strapi-super-admin'", { schema }), '1');
    assert.equal(psql('SELECT COUNT(*) FROM tollgate_migrations', { schema }), '3');
  });

  test('a token created on A works on B; updated, regenerated and deleted, B follows within 1 s', async () => {
    const created = await adminA.post('/admin/api-tokens', { body: { name: uniq('c'), type: 'read-only' } });
    expectStatus(created, 201);
    const t = created.json.data;
    expectStatus(await articles(b, t.accessKey), 200);

    // custom without article.find: B must refuse within 1 s
    const upd = await adminA.put(`/admin/api-tokens/${t.id}`, {
      body: { type: 'custom', permissions: ['api::homepage.homepage.find'] },
    });
    expectStatus(upd, 200);
    await within(async () => (await articles(b, t.accessKey)).status === 403, 'B to refuse the narrowed token');
    expectStatus(await b.get('/api/homepage', { token: t.accessKey }), 404);

    const regen = await adminA.post(`/admin/api-tokens/${t.id}/regenerate`);
    expectStatus(regen, 201);
    const fresh = regen.json.data.accessKey;
    await within(async () => (await b.get('/api/homepage', { token: t.accessKey })).status === 401, 'B to refuse the old key');
    assert.equal((await b.get('/api/homepage', { token: fresh })).status, 404);

    expectStatus(await adminA.del(`/admin/api-tokens/${t.id}`), 200);
    await within(async () => (await b.get('/api/homepage', { token: fresh })).status === 401, 'B to refuse the deleted token');
    expectUnauthorized(await b.get('/api/homepage', { token: fresh }));
  });

  test('a token B has cached stops on B within 1 s when A deletes it', async () => {
    const t = (await adminA.post('/admin/api-tokens', { body: { name: uniq('d'), type: 'full-access' } })).json.data;
    for (let i = 0; i < 5; i += 1) expectStatus(await articles(b, t.accessKey), 200);
    expectStatus(await adminA.del(`/admin/api-tokens/${t.id}`), 200);
    const took = await within(async () => (await articles(b, t.accessKey)).status === 401, 'B to drop the cached token');
    assert.ok(took <= WITHIN_MS, `took ${took} ms`);
  });

  test('a deactivated administrator\'s session and admin tokens stop on every instance within 1 s', async () => {
    const sa = await roleId(adminA, SUPER_ADMIN);
    const u = await newUser(adminA, [sa]);
    const onB = new AdminClient(b, u.token);
    expectStatus(await onB.get('/admin/users/me'), 200);
    const tok = await u.post('/admin/admin-tokens', {
      body: { name: uniq('adm'), adminPermissions: [{ action: 'admin::users.read', subject: null }] },
    });
    expectStatus(tok, 201);
    const keyOnB = new AdminClient(b, tok.json.data.accessKey);
    expectStatus(await keyOnB.get('/admin/users'), 200);

    expectStatus(await adminA.put(`/admin/users/${u.user.id}`, { body: { isActive: false } }), 200);
    await within(async () => (await onB.get('/admin/users/me')).status === 401, 'B to end the session');
    await within(async () => (await keyOnB.get('/admin/users')).status === 401, 'B to refuse the admin token');
    // and a login on B is refused as on A
    const lg = await b.post('/admin/login', { body: { email: u.email, password: 'Editor12345' } });
    assert.equal(lg.status, 400);
  });

  test('lastUsedAt never moves backwards across instances', async () => {
    const schema = pgSchemaFor(project.dir);
    const t = (await adminA.post('/admin/api-tokens', { body: { name: uniq('u'), type: 'read-only' } })).json.data;
    expectStatus(await articles(a, t.accessKey), 200);
    const first = await waitFor(async () => {
      const v = psql(`SELECT last_used_at FROM strapi_api_tokens WHERE id = ${t.id}`, { schema });
      return v === '' ? null : Number(v);
    }, { what: 'lastUsedAt to be recorded' });
    // another instance recorded a later use (its clock ahead): B must not
    // overwrite it with its own, earlier, time
    const later = first + 2 * 3600 * 1000;
    psql(`UPDATE strapi_api_tokens SET last_used_at = ${later} WHERE id = ${t.id}`, { schema });
    expectStatus(await articles(b, t.accessKey), 200);
    expectStatus(await articles(a, t.accessKey), 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(Number(psql(`SELECT last_used_at FROM strapi_api_tokens WHERE id = ${t.id}`, { schema })), later);
    const shown = await adminA.get(`/admin/api-tokens/${t.id}`);
    assert.equal(Date.parse(shown.json.data.lastUsedAt), later);
  });

  test('a change made behind both servers\' backs (SQL) reaches both within 1 s', async () => {
    const schema = pgSchemaFor(project.dir);
    const t = (await adminA.post('/admin/api-tokens', { body: { name: uniq('s'), type: 'read-only' } })).json.data;
    expectStatus(await articles(a, t.accessKey), 200);
    expectStatus(await articles(b, t.accessKey), 200);
    psql(`UPDATE strapi_api_tokens SET expires_at = ${Date.now() - 1000} WHERE id = ${t.id}`, { schema });
    await within(async () => (await articles(a, t.accessKey)).status === 401, 'A to see the expiry');
    await within(async () => (await articles(b, t.accessKey)).status === 401, 'B to see the expiry');
  });

  test('list totals follow entries created and deleted on the other instance within 1 s', async () => {
    const t = (await adminA.post('/admin/api-tokens', { body: { name: uniq('w'), type: 'full-access' } })).json.data;
    const total = async (server) => (await articles(server, t.accessKey)).json.meta.pagination.total;
    const before = await total(b); // counted (and cached) on B
    const created = await a.post('/api/articles', { token: t.accessKey, body: { data: { title: 'on A' } } });
    expectStatus(created, 201);
    await within(async () => (await total(b)) === before + 1, 'B to count the new entry');
    expectStatus(await a.del(`/api/articles/${created.json.data.documentId}`, { token: t.accessKey }), 204);
    await within(async () => (await total(b)) === before, 'B to count the deletion');
    assert.equal(await total(a), before);
  });

  test('an entry B has answered (and cached) follows an update made on A within 1 s', async () => {
    const t = (await adminA.post('/admin/api-tokens', { body: { name: uniq('u'), type: 'full-access' } })).json.data;
    const created = await a.post('/api/articles', { token: t.accessKey, body: { data: { title: 'before' } } });
    expectStatus(created, 201);
    const one = `/api/articles/${created.json.data.documentId}`;
    await within(async () => (await b.get(one, { token: t.accessKey })).status === 200, 'B to see the entry');
    expectStatus(await b.get(one, { token: t.accessKey }), 200);
    expectStatus(await a.put(one, { token: t.accessKey, body: { data: { title: 'after' } } }), 200);
    await within(async () => (await b.get(one, { token: t.accessKey })).json?.data?.title === 'after', 'B to show the update');
  });

  test('both instances report the same salt fingerprint on /_health', async () => {
    const fa = (await a.get('/_health')).headers.get('x-tollgate-salt-fingerprint');
    const fb = (await b.get('/_health')).headers.get('x-tollgate-salt-fingerprint');
    assert.match(fa ?? '', /^[0-9a-f]{16}$/);
    assert.equal(fa, fb);
  });
});

describe('instances starting together on an empty database', { skip: SKIP }, () => {
  test('migrate once and create the default tokens once', async () => {
    const project = await createProject();
    const servers = await Promise.all([project.start(), project.start(), project.start()]);
    try {
      const schema = pgSchemaFor(project.dir);
      assert.equal(psql('SELECT COUNT(*) FROM strapi_api_tokens', { schema }), '2');
      assert.equal(psql('SELECT COUNT(*) FROM tollgate_migrations', { schema }), '3');
      assert.equal(psql('SELECT COUNT(*) FROM admin_roles', { schema }), '3');
    } finally {
      await Promise.allSettled(servers.map((s) => s.stop()));
      await project.cleanup();
    }
  });
});

describe('an instance whose salt differs', { skip: SKIP }, () => {
  test('logs that the change invalidates the existing tokens and shows another fingerprint', async () => {
    const first = await createProject();
    const a = await first.start();
    const other = await createProject({ salt: OTHER_SALT });
    // the second project's .env points at the first one's schema
    const envFile = path.join(other.dir, '.env');
    const lines = (await fsp.readFile(envFile, 'utf8')).split('\n').filter((l) => l && !l.startsWith('DATABASE_'));
    lines.push(...databaseLines(first.dir));
    await fsp.writeFile(envFile, `${lines.join('\n')}\n`);
    let b;
    try {
      b = await other.start();
      assert.match(b.stderr, /API_TOKEN_SALT differs .* the 2 existing token\(s\) no longer authenticate/);
      const fa = (await a.get('/_health')).headers.get('x-tollgate-salt-fingerprint');
      const fb = (await b.get('/_health')).headers.get('x-tollgate-salt-fingerprint');
      assert.match(fa, /^[0-9a-f]{16}$/);
      assert.match(fb, /^[0-9a-f]{16}$/);
      assert.notEqual(fa, fb);
      // the salt itself is never recorded: only its fingerprint
      const meta = psql('SELECT key || \'=\' || value FROM tollgate_meta', { schema: pgSchemaFor(first.dir) });
      assert.ok(!meta.includes(OTHER_SALT));
      assert.match(meta, /api_token_salt_fingerprint=[0-9a-f]{64}/);
    } finally {
      await Promise.allSettled([a.stop(), b?.stop()]);
      await other.cleanup();
      await first.cleanup();
    }
  });
});

describe('login on either instance', { skip: SKIP }, () => {
  test('a session made on A is valid on B (sessions live in the database)', async () => {
    const project = await createProject();
    const [a, b] = await Promise.all([project.start(), project.start()]);
    try {
      const adminA = await registerAdmin(a);
      const onB = new AdminClient(b, adminA.token);
      expectStatus(await onB.get('/admin/users/me'), 200);
      const again = await login(b, ADMIN.email, ADMIN.password);
      expectStatus(await again.get('/admin/users/me'), 200);
      expectStatus(await adminA.post('/admin/logout'), 200);
      await within(async () => (await onB.get('/admin/users/me')).status === 401, 'B to end the logged-out session');
    } finally {
      await Promise.allSettled([a.stop(), b.stop()]);
      await project.cleanup();
    }
  });
});
