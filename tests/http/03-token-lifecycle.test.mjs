// What happens to a token over its life, as seen on /api (transcript §9-§11,
// §14; strapi-api-tokens.md §3-§6): regenerate, delete, type changes,
// expiry, lastUsedAt, salt changes, default tokens and viewable keys.
// Changes made with the CLI while the server runs apply on the next request.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ACCESS_KEY, ISO_DATETIME, OTHER_SALT, createProject, expectForbidden, expectStatus,
  expectUnauthorized, setup,
} from './lib/harness.mjs';

const A = (action) => `api::article.article.${action}`;
const HOUR_MS = 60 * 60 * 1000;

let ctx;
let articleId; // documentId of an existing article

before(async () => {
  ctx = await setup();
  const res = await ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title: 'lifecycle' } } });
  expectStatus(res, 201);
  articleId = res.json.data.documentId;
});

after(async () => {
  await ctx?.teardown();
});

const find = (key, headers) => ctx.server.get('/api/articles', { token: key, headers });
const create = (key) => ctx.server.post('/api/articles', { token: key, body: { data: { title: 'by lifecycle' } } });
const show = (id) => ctx.project.cli(['token', 'show', String(id)]);
const setExpiresAt = (id, ms) => ctx.project.sql(`UPDATE strapi_api_tokens SET expires_at = ${ms} WHERE id = ${id}`);
const setLastUsedAt = (id, ms) => ctx.project.sql(`UPDATE strapi_api_tokens SET last_used_at = ${ms} WHERE id = ${id}`);

describe('regenerate', () => {
  test('the old key is refused at once, the new key works, show returns the new key', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    expectStatus(await find(t.accessKey), 200);

    const r = ctx.project.cli(['token', 'regenerate', String(t.id)]);
    assert.deepEqual(Object.keys(r).sort(), ['accessKey', 'id', 'kind']);
    assert.equal(r.id, t.id);
    assert.equal(r.kind, 'content-api');
    assert.match(r.accessKey, ACCESS_KEY);
    assert.notEqual(r.accessKey, t.accessKey);

    expectUnauthorized(await find(t.accessKey));
    expectStatus(await find(r.accessKey), 200);
    assert.equal(show(t.id).accessKey, r.accessKey);
  });

  test('regenerate keeps type and permissions', async () => {
    const t = ctx.project.token({ type: 'custom', permissions: [A('create')] });
    const r = ctx.project.cli(['token', 'regenerate', String(t.id)]);
    expectForbidden(await find(r.accessKey));
    expectStatus(await create(r.accessKey), 201);
  });
});

describe('delete', () => {
  test('a deleted token is refused at once with 401', async () => {
    const t = ctx.project.token({ type: 'full-access' });
    expectStatus(await find(t.accessKey), 200);
    const deleted = ctx.project.cli(['token', 'delete', String(t.id)]);
    assert.equal(deleted.id, t.id);
    expectUnauthorized(await find(t.accessKey));
    expectUnauthorized(await create(t.accessKey));
  });
});

describe('update', () => {
  test('read-only -> custom: the new permissions apply on the next request', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    expectStatus(await find(t.accessKey), 200);
    expectForbidden(await create(t.accessKey));

    const u = ctx.project.cli(['token', 'update', String(t.id), '--type', 'custom', '--permission', A('create')]);
    assert.equal(u.type, 'custom');
    assert.deepEqual(u.permissions, [A('create')]);

    expectForbidden(await find(t.accessKey));
    expectStatus(await create(t.accessKey), 201);
  });

  test('custom permissions are replaced, not merged', async () => {
    const t = ctx.project.token({ type: 'custom', permissions: [A('create')] });
    expectStatus(await create(t.accessKey), 201);
    const u = ctx.project.cli(['token', 'update', String(t.id), '--permission', A('find')]);
    assert.deepEqual(u.permissions, [A('find')]);
    expectStatus(await find(t.accessKey), 200);
    expectForbidden(await create(t.accessKey));
  });

  test('custom -> full-access: everything is allowed on the next request', async () => {
    const t = ctx.project.token({ type: 'custom', permissions: [A('find')] });
    expectForbidden(await create(t.accessKey));
    const u = ctx.project.cli(['token', 'update', String(t.id), '--type', 'full-access']);
    assert.equal(u.type, 'full-access');
    expectStatus(await create(t.accessKey), 201);
  });

  test('full-access -> read-only: writes are refused on the next request', async () => {
    const t = ctx.project.token({ type: 'full-access' });
    expectStatus(await create(t.accessKey), 201);
    ctx.project.cli(['token', 'update', String(t.id), '--type', 'read-only']);
    expectForbidden(await create(t.accessKey));
    expectStatus(await find(t.accessKey), 200);
  });

  test('update does not change the key', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    ctx.project.cli(['token', 'update', String(t.id), '--name', `${t.name}-renamed`, '--description', 'renamed']);
    expectStatus(await find(t.accessKey), 200);
  });
});

describe('expiry', () => {
  test('an expired token gets 401 "Token expired" on find and on create', async () => {
    const t = ctx.project.token({ type: 'full-access', lifespan: '7d' });
    expectStatus(await find(t.accessKey), 200);
    setExpiresAt(t.id, Date.now() - 60_000);
    expectUnauthorized(await find(t.accessKey), 'Token expired');
    expectUnauthorized(await create(t.accessKey), 'Token expired');
  });

  test('expired with a lowercase bearer on findOne -> 401 "Token expired"', async () => {
    const t = ctx.project.token({ type: 'read-only', lifespan: '30d' });
    setExpiresAt(t.id, Date.now() - 60_000);
    const res = await ctx.server.get(`/api/articles/${articleId}`, { headers: { authorization: `bearer ${t.accessKey}` } });
    expectUnauthorized(res, 'Token expired');
  });

  test('expiry is checked before permissions: expired custom token on a forbidden action -> 401', async () => {
    const t = ctx.project.token({ type: 'custom', lifespan: '90d', permissions: [A('find')] });
    setExpiresAt(t.id, Date.now() - 60_000);
    expectUnauthorized(await create(t.accessKey), 'Token expired');
  });

  test('an unlimited token made to expire in the database expires too', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    setExpiresAt(t.id, Date.now() - 60_000);
    expectUnauthorized(await find(t.accessKey), 'Token expired');
  });

  test('a token that expires in the future still works', async () => {
    const t = ctx.project.token({ type: 'read-only', lifespan: '7d' });
    setExpiresAt(t.id, Date.now() + 60_000);
    expectStatus(await find(t.accessKey), 200);
  });

  test('show still lists an expired token, with its expiresAt in the past', async () => {
    const t = ctx.project.token({ type: 'read-only', lifespan: '7d' });
    const past = Date.now() - 60_000;
    setExpiresAt(t.id, past);
    const s = show(t.id);
    assert.equal(s.expiresAt, new Date(past).toISOString());
    assert.equal(s.lifespan, '604800000');
  });

  test('regenerate keeps an expired token expired', async () => {
    const t = ctx.project.token({ type: 'full-access', lifespan: '7d' });
    const past = Date.now() - 60_000;
    setExpiresAt(t.id, past);
    const r = ctx.project.cli(['token', 'regenerate', String(t.id)]);
    expectUnauthorized(await find(r.accessKey), 'Token expired');
    expectUnauthorized(await find(t.accessKey));
    assert.equal(show(t.id).expiresAt, new Date(past).toISOString());
  });
});

describe('lastUsedAt', () => {
  test('null before use; set on first use; updatedAt moves with it', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    assert.equal(show(t.id).lastUsedAt, null);

    const t0 = Date.now();
    expectStatus(await find(t.accessKey), 200);
    const t1 = Date.now();

    const s = show(t.id);
    assert.match(s.lastUsedAt, ISO_DATETIME);
    const used = Date.parse(s.lastUsedAt);
    assert.ok(used >= t0 - 5 && used <= t1 + 5, `lastUsedAt ${s.lastUsedAt} not within the request`);
    assert.equal(s.updatedAt, s.lastUsedAt);
  });

  test('a second use within the hour does not move it', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    expectStatus(await find(t.accessKey), 200);
    const first = show(t.id);
    expectStatus(await find(t.accessKey), 200);
    expectStatus(await find(t.accessKey), 200);
    const second = show(t.id);
    assert.equal(second.lastUsedAt, first.lastUsedAt);
    assert.equal(second.updatedAt, first.updatedAt);
  });

  test('59 minutes old: not moved', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    const recent = Date.now() - 59 * 60 * 1000;
    setLastUsedAt(t.id, recent);
    expectStatus(await find(t.accessKey), 200);
    assert.equal(show(t.id).lastUsedAt, new Date(recent).toISOString());
  });

  test('two hours old: moved to now', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    setLastUsedAt(t.id, Date.now() - 2 * HOUR_MS);
    const t0 = Date.now();
    expectStatus(await find(t.accessKey), 200);
    const used = Date.parse(show(t.id).lastUsedAt);
    assert.ok(used >= t0 - 5 && used <= Date.now() + 5, `lastUsedAt ${new Date(used).toISOString()} not moved to now`);
  });

  test('set even when the request is then forbidden (403)', async () => {
    const t = ctx.project.token({ type: 'custom', permissions: [A('create')] });
    expectForbidden(await find(t.accessKey));
    assert.match(show(t.id).lastUsedAt ?? '', ISO_DATETIME);
  });

  test('not set by an expired token', async () => {
    const t = ctx.project.token({ type: 'read-only', lifespan: '7d' });
    setExpiresAt(t.id, Date.now() - 60_000);
    expectUnauthorized(await find(t.accessKey), 'Token expired');
    assert.equal(show(t.id).lastUsedAt, null);
  });
});

describe('first boot and salt changes (own project)', () => {
  let project;
  let server;

  before(async () => {
    project = await createProject();
    server = await project.start();
  });

  after(async () => {
    try {
      await server?.stop();
    } finally {
      await server?.kill();
      await project?.cleanup();
    }
  });

  test('first boot creates exactly the two default tokens', () => {
    const list = project.cli(['token', 'list']);
    assert.deepEqual(list.map((t) => [t.id, t.name]), [[2, 'Full Access'], [1, 'Read Only']]);
    const [full, ro] = list;
    assert.deepEqual(
      { ...ro, createdAt: undefined, updatedAt: undefined },
      {
        id: 1,
        kind: 'content-api',
        name: 'Read Only',
        description: 'A default API token with read-only permissions, only used for accessing resources',
        lastUsedAt: null,
        type: 'read-only',
        lifespan: null,
        expiresAt: null,
        createdAt: undefined,
        updatedAt: undefined,
        permissions: [],
      },
    );
    assert.deepEqual(
      { ...full, createdAt: undefined, updatedAt: undefined },
      {
        id: 2,
        kind: 'content-api',
        name: 'Full Access',
        description: 'A default API token with full access permissions, used for accessing or modifying resources',
        lastUsedAt: null,
        type: 'full-access',
        lifespan: null,
        expiresAt: null,
        createdAt: undefined,
        updatedAt: undefined,
        permissions: [],
      },
    );
    for (const t of list) {
      assert.match(t.createdAt, ISO_DATETIME);
      assert.equal(t.updatedAt, t.createdAt);
      assert.ok(!('accessKey' in t), 'list must not contain accessKey');
    }
  });

  test('the default keys are viewable with show and work as their types say', async () => {
    const ro = project.cli(['token', 'show', '1']);
    const full = project.cli(['token', 'show', '2']);
    assert.match(ro.accessKey, ACCESS_KEY);
    assert.match(full.accessKey, ACCESS_KEY);
    expectStatus(await server.get('/api/articles', { token: ro.accessKey }), 200);
    expectForbidden(await server.post('/api/articles', { token: ro.accessKey, body: { data: { title: 'x' } } }));
    expectStatus(await server.post('/api/articles', { token: full.accessKey, body: { data: { title: 'x' } } }), 201);
  });

  test('a different API_TOKEN_SALT invalidates every token; the original salt restores them', async () => {
    const mine = project.token({ type: 'read-only' });
    const ro = project.cli(['token', 'show', '1']).accessKey;
    expectStatus(await server.get('/api/articles', { token: mine.accessKey }), 200);

    await server.stop();
    server = await project.start({ env: { API_TOKEN_SALT: OTHER_SALT } });
    expectUnauthorized(await server.get('/api/articles', { token: mine.accessKey }));
    expectUnauthorized(await server.get('/api/articles', { token: ro }));

    await server.stop();
    server = await project.start();
    expectStatus(await server.get('/api/articles', { token: mine.accessKey }), 200);
    expectStatus(await server.get('/api/articles', { token: ro }), 200);
  });

  test('restarting does not create the default tokens again', () => {
    const list = project.cli(['token', 'list']);
    assert.equal(list.filter((t) => t.name === 'Read Only').length, 1);
    assert.equal(list.filter((t) => t.name === 'Full Access').length, 1);
  });
});

describe('keys are not viewable without ENCRYPTION_KEY (own project)', () => {
  let project;
  let server;

  before(async () => {
    project = await createProject({ encryptionKey: null });
    server = await project.start();
  });

  after(async () => {
    try {
      await server?.stop();
    } finally {
      await server?.kill();
      await project?.cleanup();
    }
  });

  test('create returns the key once; show has no accessKey field; the key works', async () => {
    const t = project.token({ type: 'read-only' });
    assert.match(t.accessKey, ACCESS_KEY);
    const s = project.cli(['token', 'show', String(t.id)]);
    assert.ok(!('accessKey' in s), `show must not have accessKey: ${JSON.stringify(s)}`);
    assert.equal(s.name, t.name);
    expectStatus(await server.get('/api/articles', { token: t.accessKey }), 200);
  });

  test('regenerate returns the new key once; show still has no accessKey', async () => {
    const t = project.token({ type: 'read-only' });
    const r = project.cli(['token', 'regenerate', String(t.id)]);
    assert.match(r.accessKey, ACCESS_KEY);
    assert.ok(!('accessKey' in project.cli(['token', 'show', String(t.id)])));
    expectStatus(await server.get('/api/articles', { token: r.accessKey }), 200);
  });

  test('the default tokens are not viewable either', () => {
    const s = project.cli(['token', 'show', '1']);
    assert.equal(s.name, 'Read Only');
    assert.ok(!('accessKey' in s));
  });
});
