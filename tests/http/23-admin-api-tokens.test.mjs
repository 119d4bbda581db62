// Content-API token management through the Admin API (/admin/api-tokens*):
// the transcript's §2-§6, §10, §11 and §14 replayed with exact envelopes,
// strapi-api-tokens.md §2 and §8 (Strapi's admin-api-token-crud tests), and
// tollgate's deliberate differences: PUT accepts `lifespan` (renewal), a
// custom -> full-access switch drops every permission, DELETE does not
// remove admin tokens, and names are unique across both kinds on create and
// on update. Plus the permission matrix of admin::api-tokens.*.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
  GET_TOKEN_KEYS, LIFESPAN_MESSAGE, TOKEN_KEYS, TYPE_MESSAGE,
  adminSetup, createAdminToken, createApiToken, expectPolicyFailed, newUser, perm, roleId,
  userWithPermissions, A, H,
} from './lib/admin.mjs';
import {
  ACCESS_KEY, DAY_MS, ENCRYPTION_KEY, ISO_DATETIME, NO_DETAILS, SALT, expectError, expectFieldError, expectForbidden,
  expectStatus, expectUnauthorized, uniq,
} from './lib/harness.mjs';

let ctx;
let admin;

before(async () => {
  ctx = await adminSetup();
  admin = ctx.admin;
});

after(async () => {
  await ctx?.teardown();
});

const READ_ONLY_DESC = 'A default API token with read-only permissions, only used for accessing resources';
const FULL_ACCESS_DESC = 'A default API token with full access permissions, used for accessing or modifying resources';

const create = (body) => admin.post('/admin/api-tokens', { body });
const get = (id) => admin.get(`/admin/api-tokens/${id}`);
const update = (id, body) => admin.put(`/admin/api-tokens/${id}`, { body });
const remove = (id) => admin.del(`/admin/api-tokens/${id}`);
const regenerate = (id) => admin.post(`/admin/api-tokens/${id}/regenerate`);
const list = async () => {
  const res = await admin.get('/admin/api-tokens');
  expectStatus(res, 200);
  return res.json.data;
};

const findArticles = (key) => ctx.server.get('/api/articles', { token: key });
const createArticle = (key) => ctx.server.post('/api/articles', { token: key, body: { data: { title: 'by token' } } });
const setExpiresAt = (id, ms) => ctx.project.sql(`UPDATE strapi_api_tokens SET expires_at = ${ms} WHERE id = ${id}`);

function assertNear(iso, expectedMs, slackMs, what) {
  assert.match(iso, ISO_DATETIME, what);
  const d = Date.parse(iso) - expectedMs;
  assert.ok(Math.abs(d) <= slackMs, `${what}: ${iso} is ${d} ms away from ${new Date(expectedMs).toISOString()}`);
}

const withoutKey = ({ accessKey, ...rest }) => rest;
const sortPerms = (t) => ({ ...t, permissions: [...t.permissions].sort() });

/** The 201 body of a create, checked against the request. */
function assertCreated(res, { name, description = '', type = 'read-only', lifespan = null, permissions = [] }, t0) {
  expectStatus(res, 201);
  assert.deepEqual(Object.keys(res.json), ['data']);
  const t = res.json.data;
  assert.deepEqual(Object.keys(t), [...TOKEN_KEYS, 'accessKey']);
  assert.equal(typeof t.id, 'number');
  assert.equal(t.kind, 'content-api');
  assert.equal(t.name, name);
  assert.equal(t.description, description);
  assert.equal(t.lastUsedAt, null);
  assert.equal(t.type, type);
  assert.equal(t.lifespan, lifespan === null ? null : String(lifespan));
  assertNear(t.createdAt, t0, 10_000, 'createdAt');
  assert.equal(t.updatedAt, t.createdAt);
  if (lifespan === null) assert.equal(t.expiresAt, null);
  else assertNear(t.expiresAt, Date.parse(t.createdAt) + lifespan, 1000, 'expiresAt');
  assert.deepEqual([...t.permissions].sort(), [...permissions].sort());
  assert.match(t.accessKey, ACCESS_KEY);
  return t;
}

// ---- §2 -----------------------------------------------------------------------------------

describe('§2 default tokens and the permission catalogue', () => {
  test('list on a fresh project: the two default tokens (and the CLI one), sorted by name, no accessKey', async () => {
    const data = await list();
    const names = data.map((t) => t.name);
    assert.deepEqual(names, [...names].sort(), 'not sorted by name (code point order)');
    for (const t of data) assert.deepEqual(Object.keys(t), TOKEN_KEYS);
    const strip = ({ createdAt, updatedAt, ...rest }) => rest;
    assert.deepEqual(strip(data.find((t) => t.name === 'Full Access')), {
      id: 2, kind: 'content-api', name: 'Full Access', description: FULL_ACCESS_DESC, lastUsedAt: null,
      type: 'full-access', lifespan: null, expiresAt: null, permissions: [],
    });
    assert.deepEqual(strip(data.find((t) => t.name === 'Read Only')), {
      id: 1, kind: 'content-api', name: 'Read Only', description: READ_ONLY_DESC, lastUsedAt: null,
      type: 'read-only', lifespan: null, expiresAt: null, permissions: [],
    });
  });

  test('GET /admin/api-tokens/2 ("Full Access"): GET key order, with the decrypted accessKey, which works', async () => {
    const res = await get(2);
    expectStatus(res, 200);
    const t = res.json.data;
    assert.deepEqual(Object.keys(t), [...GET_TOKEN_KEYS, 'accessKey']);
    assert.equal(t.name, 'Full Access');
    assert.equal(t.type, 'full-access');
    assert.match(t.createdAt, ISO_DATETIME);
    assert.match(t.accessKey, ACCESS_KEY);
    expectStatus(await createArticle(t.accessKey), 201);
  });

  test('GET /admin/api-tokens/1 ("Read Only"): its key reads but cannot write', async () => {
    const res = await get(1);
    expectStatus(res, 200);
    assert.equal(res.json.data.name, 'Read Only');
    assert.equal(res.json.data.description, READ_ONLY_DESC);
    expectStatus(await findArticles(res.json.data.accessKey), 200);
    expectForbidden(await createArticle(res.json.data.accessKey));
  });

  test('GET /admin/content-api/permissions -> exactly the project\'s content types and actions', async () => {
    const res = await admin.get('/admin/content-api/permissions');
    expectStatus(res, 200);
    const ct = ['find', 'findOne', 'create', 'update', 'delete'];
    assert.deepEqual(res.json, {
      data: {
        'api::article': { controllers: { article: ct } },
        'api::homepage': { controllers: { homepage: ['find', 'update', 'delete'] } },
        'api::post': { controllers: { post: ct } },
        'api::product': { controllers: { product: ct } },
      },
    });
  });

  test('GET /admin/content-api/routes -> {data:{"api::article":[routes with the /api prefix], ...}}', async () => {
    const res = await admin.get('/admin/content-api/routes');
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json.data).sort(), ['api::article', 'api::homepage', 'api::post', 'api::product']);
    const routes = res.json.data['api::article'];
    assert.ok(Array.isArray(routes));
    const has = (method, path) => routes.some((r) => r.method === method && r.path === path);
    assert.ok(has('GET', '/api/articles'), JSON.stringify(routes));
    assert.ok(has('GET', '/api/articles/:id'), JSON.stringify(routes));
    assert.ok(has('POST', '/api/articles'), JSON.stringify(routes));
    assert.ok(has('PUT', '/api/articles/:id'), JSON.stringify(routes));
    assert.ok(has('DELETE', '/api/articles/:id'), JSON.stringify(routes));
    const home = res.json.data['api::homepage'];
    assert.ok(home.some((r) => r.method === 'GET' && r.path === '/api/homepage'), JSON.stringify(home));
    assert.ok(!home.some((r) => r.method === 'POST'), 'a single type has no POST route');
  });
});

// ---- §3 -----------------------------------------------------------------------------------

describe('§3 create', () => {
  test('read-only, unlimited (lifespan null) -> 201, exact shape', async () => {
    const t0 = Date.now();
    const body = { name: uniq('ro'), description: 'read only', type: 'read-only', lifespan: null };
    assertCreated(await create(body), body, t0);
  });

  test('full-access, 7 days', async () => {
    const t0 = Date.now();
    const body = { name: uniq('fa'), description: 'full', type: 'full-access', lifespan: 604800000 };
    const t = assertCreated(await create(body), body, t0);
    assertNear(t.expiresAt, t0 + 7 * DAY_MS, 10_000, 'expiresAt');
  });

  test('custom (find+findOne), 30 days', async () => {
    const t0 = Date.now();
    const body = { name: uniq('cu'), type: 'custom', lifespan: 2592000000, permissions: [A('find'), A('findOne')] };
    const t = assertCreated(await create(body), body, t0);
    expectStatus(await findArticles(t.accessKey), 200);
    expectForbidden(await createArticle(t.accessKey));
  });

  test('custom (create only), 90 days, no description -> description ""', async () => {
    const t0 = Date.now();
    const body = { name: uniq('cu2'), type: 'custom', lifespan: 7776000000, permissions: [A('create')] };
    const t = assertCreated(await create(body), body, t0);
    expectForbidden(await findArticles(t.accessKey));
    expectStatus(await createArticle(t.accessKey), 201);
  });

  test('without type -> 201 read-only (5.54: type is optional)', async () => {
    const t0 = Date.now();
    const name = uniq('notype');
    assertCreated(await create({ name }), { name }, t0);
  });

  test('name and description padded with spaces -> trimmed', async () => {
    const t0 = Date.now();
    const name = uniq('padded');
    assertCreated(await create({ name: `  ${name}  `, type: 'read-only', description: '  d  ' }), { name, description: 'd' }, t0);
  });

  test('full-access with permissions [] -> 201, permissions []', async () => {
    const t0 = Date.now();
    const body = { name: uniq('fa0'), type: 'full-access', permissions: [] };
    assertCreated(await create(body), body, t0);
  });

  test('custom with duplicate actions -> they are de-duplicated', async () => {
    const res = await create({ name: uniq('dup'), type: 'custom', permissions: [A('find'), A('find'), H('find')] });
    expectStatus(res, 201);
    assert.deepEqual([...res.json.data.permissions].sort(), [A('find'), H('find')]);
  });

  test('admin-only and read-only keys in the body are ignored (kind, expiresAt, adminUserOwner, adminPermissions)', async () => {
    const res = await create({
      name: uniq('ign'), type: 'read-only', kind: 'admin', expiresAt: '2030-01-01T00:00:00.000Z',
      adminUserOwner: admin.user.id, adminPermissions: [perm('admin::users.read')], lastUsedAt: '2030-01-01T00:00:00.000Z',
    });
    expectStatus(res, 201);
    assert.deepEqual(Object.keys(res.json.data), [...TOKEN_KEYS, 'accessKey']);
    assert.equal(res.json.data.kind, 'content-api');
    assert.equal(res.json.data.expiresAt, null);
    assert.equal(res.json.data.lastUsedAt, null);
    // it is a content-API token: refused on /admin, accepted on /api
    expectUnauthorized(await admin.as(res.json.data.accessKey).get('/admin/users/me'));
    expectStatus(await findArticles(res.json.data.accessKey), 200);
  });
});

// ---- §4 -----------------------------------------------------------------------------------

const NAME_ERRORS = (value) => ({
  errors: [
    { path: ['name'], message: 'name must be at least 1 characters', name: 'ValidationError', value },
    { path: ['name'], message: 'name is a required field', name: 'ValidationError', value },
  ],
});

describe('§4 validation errors on create (exact envelopes)', () => {
  let existing;

  before(async () => {
    existing = await createApiToken(admin, { name: uniq('exists') });
  });

  test('missing name -> "2 errors occurred"', async () => {
    expectError(await create({ type: 'read-only' }), 400, 'ValidationError', '2 errors occurred', NAME_ERRORS(''));
  });

  test('empty name -> "2 errors occurred"', async () => {
    expectError(await create({ name: '', type: 'read-only' }), 400, 'ValidationError', '2 errors occurred', NAME_ERRORS(''));
  });

  test('blank name (spaces only) -> trimmed, then "2 errors occurred"', async () => {
    expectError(await create({ name: '   ', type: 'read-only' }), 400, 'ValidationError', '2 errors occurred', NAME_ERRORS(''));
  });

  test('null name -> "2 errors occurred"', async () => {
    expectError(await create({ name: null, type: 'read-only' }), 400, 'ValidationError', '2 errors occurred', NAME_ERRORS(''));
  });

  test('invalid type "admin" -> the type oneOf error', async () => {
    expectFieldError(await create({ name: uniq('bad1'), type: 'admin' }), 'type', TYPE_MESSAGE, 'admin');
  });

  test('invalid type "invalid-type" (Strapi test 2)', async () => {
    expectFieldError(await create({ name: uniq('bad1b'), type: 'invalid-type' }), 'type', TYPE_MESSAGE, 'invalid-type');
  });

  for (const lifespan of [12345, 0, -1, 5, 604800001]) {
    test(`lifespan ${lifespan} -> exactly one error, the oneOf message`, async () => {
      expectFieldError(await create({ name: uniq('bad2'), type: 'read-only', lifespan }), 'lifespan', LIFESPAN_MESSAGE, lifespan);
    });
  }

  test('lifespan as a string -> 2 errors: the type error and the oneOf error', async () => {
    const res = await create({ name: uniq('bad3'), type: 'read-only', lifespan: '604800000' });
    expectError(res, 400, 'ValidationError', '2 errors occurred', {
      errors: [
        {
          path: ['lifespan'], message: 'lifespan must be a `number` type, but the final value was: `"604800000"`.',
          name: 'ValidationError', value: '604800000',
        },
        { path: ['lifespan'], message: LIFESPAN_MESSAGE, name: 'ValidationError', value: '604800000' },
      ],
    });
  });

  test('an unknown field is ignored -> 201', async () => {
    const t0 = Date.now();
    const name = uniq('bad5');
    assertCreated(await create({ name, type: 'read-only', foo: 1 }), { name }, t0);
  });

  test('custom without permissions -> "Missing permissions attribute for custom token", details {}', async () => {
    expectError(await create({ name: uniq('bad6'), type: 'custom' }), 400, 'ValidationError',
      'Missing permissions attribute for custom token');
  });

  test('custom with permissions null -> "Missing permissions attribute for custom token"', async () => {
    expectError(await create({ name: uniq('bad6n'), type: 'custom', permissions: null }), 400, 'ValidationError',
      'Missing permissions attribute for custom token');
  });

  test('custom with an unknown action -> "Unknown permissions provided: ..."', async () => {
    expectError(await create({ name: uniq('bad7'), type: 'custom', permissions: ['api::nope.nope.find'] }), 400,
      'ValidationError', 'Unknown permissions provided: api::nope.nope.find');
  });

  test('several unknown actions are listed in the order given; known ones are not', async () => {
    const res = await create({ name: uniq('bad7b'), type: 'custom', permissions: ['action-C', A('find'), 'action-A'] });
    expectError(res, 400, 'ValidationError', 'Unknown permissions provided: action-C, action-A');
  });

  test('a plugin action that tollgate does not have -> unknown', async () => {
    const res = await create({ name: uniq('bad7c'), type: 'custom', permissions: ['plugin::users-permissions.user.me'] });
    expectError(res, 400, 'ValidationError', 'Unknown permissions provided: plugin::users-permissions.user.me');
  });

  test('read-only with permissions -> "Non-custom tokens should not reference permissions"', async () => {
    expectError(await create({ name: uniq('bad8'), type: 'read-only', permissions: [A('find')] }), 400, 'ValidationError',
      'Non-custom tokens should not reference permissions');
  });

  test('read-only with an unknown permission -> also "Non-custom tokens ..." (Strapi test 8)', async () => {
    expectError(await create({ name: uniq('bad8b'), type: 'read-only', permissions: ['admin::thing.action'] }), 400,
      'ValidationError', 'Non-custom tokens should not reference permissions');
  });

  test('custom with [] -> 201, a token that grants nothing', async () => {
    const t0 = Date.now();
    const body = { name: uniq('emptyperm'), type: 'custom', permissions: [] };
    const t = assertCreated(await create(body), body, t0);
    expectForbidden(await findArticles(t.accessKey));
  });

  test('duplicate name -> 400 ApplicationError "Name already taken"', async () => {
    expectError(await create({ name: existing.name, type: 'read-only' }), 400, 'ApplicationError', 'Name already taken');
  });

  test('duplicate name after trim -> "Name already taken"', async () => {
    expectError(await create({ name: ` ${existing.name} `, type: 'read-only' }), 400, 'ApplicationError', 'Name already taken');
  });

  test('a default token\'s name -> "Name already taken"', async () => {
    expectError(await create({ name: 'Read Only' }), 400, 'ApplicationError', 'Name already taken');
  });

  test('the name of an admin token -> "Name already taken" (create checks both kinds)', async () => {
    const at = await createAdminToken(admin);
    expectError(await create({ name: at.name, type: 'read-only' }), 400, 'ApplicationError', 'Name already taken');
  });

  test('a name differing only by case -> 201', async () => {
    const t0 = Date.now();
    const name = existing.name.toUpperCase();
    assertCreated(await create({ name, type: 'read-only' }), { name }, t0);
  });

  test('malformed JSON -> 400 SyntaxError "Unexpected end of JSON input", no details', async () => {
    const res = await admin.post('/admin/api-tokens', { rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
    expectError(res, 400, 'SyntaxError', 'Unexpected end of JSON input', NO_DETAILS);
  });

  test('description not a string (5) -> coerced to "5"', async () => {
    const t0 = Date.now();
    const name = uniq('bad9');
    assertCreated(await create({ name, type: 'read-only', description: 5 }), { name, description: '5' }, t0);
  });

  test('permissions not an array -> the array type error', async () => {
    const msg = 'permissions must be a `array` type, but the final value was: `"api::article.article.find"`.';
    expectFieldError(await create({ name: uniq('bad10'), type: 'custom', permissions: A('find') }), 'permissions', msg, A('find'));
  });

  test('a non-string permission -> "permissions[0] must be a `string` type ..." on path ["permissions","0"]', async () => {
    const msg = 'permissions[0] must be a `string` type, but the final value was: `1`.';
    const res = await create({ name: uniq('bad11'), type: 'custom', permissions: [1] });
    expectError(res, 400, 'ValidationError', msg, {
      errors: [{ path: ['permissions', '0'], message: msg, name: 'ValidationError', value: 1 }],
    });
  });

  test('nothing was created by the refused requests', async () => {
    const names = (await list()).map((t) => t.name);
    assert.ok(!names.some((n) => n.startsWith('bad') && !/^bad(5|9)-/.test(n)), `refused tokens were created: ${names}`);
  });
});

// ---- §5 -----------------------------------------------------------------------------------

describe('§5 read', () => {
  const made = [];

  before(async () => {
    for (const body of [
      { name: uniq('L-custom'), type: 'custom', permissions: [A('find'), A('findOne'), H('find')] },
      { name: uniq('L-full'), type: 'full-access' },
      { name: uniq('L-ro'), type: 'read-only', description: 'ro' },
      { name: uniq('L-7d'), type: 'read-only', lifespan: 604800000 },
      { name: uniq('L-default') },
    ]) {
      made.push(await createApiToken(admin, body));
    }
  });

  test('list: each created token equals its create response without accessKey (Strapi test 15)', async () => {
    const data = await list();
    for (const t of made) {
      const item = data.find((x) => x.id === t.id);
      assert.ok(item, `token ${t.name} not listed`);
      assert.deepEqual(sortPerms(item), sortPerms(withoutKey(t)));
    }
  });

  test('list: sorted by name in code point order, kind content-api only, never an accessKey', async () => {
    await createAdminToken(admin, { name: uniq('AAA-admin-token') });
    const data = await list();
    const names = data.map((t) => t.name);
    assert.deepEqual(names, [...names].sort());
    for (const t of data) {
      assert.equal(t.kind, 'content-api');
      assert.ok(!('accessKey' in t));
      assert.ok(!names.some((n) => n.startsWith('AAA-admin-token')), 'an admin token is listed');
    }
  });

  test('get a custom token -> GET key order, with permissions and the same accessKey as at creation', async () => {
    const t = made[0];
    const res = await get(t.id);
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json.data), [...GET_TOKEN_KEYS, 'accessKey']);
    const { accessKey, ...rest } = res.json.data;
    assert.equal(accessKey, t.accessKey);
    assert.deepEqual(sortPerms(rest), sortPerms(withoutKey(t)));
  });

  test('get a read-only token (Strapi test 18)', async () => {
    const t = made[2];
    const res = await get(t.id);
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, { ...Object.fromEntries(GET_TOKEN_KEYS.map((k) => [k, t[k]])), accessKey: t.accessKey });
  });

  test('get an unknown id -> 404 NotFoundError "API Token not found"', async () => {
    expectError(await get(999999), 404, 'NotFoundError', 'API Token not found');
  });

  test('get a non-numeric id -> 404 "API Token not found"', async () => {
    expectError(await get('abc'), 404, 'NotFoundError', 'API Token not found');
  });

  test('get an admin token\'s id -> 404 "API Token not found"', async () => {
    const at = await createAdminToken(admin);
    expectError(await get(at.id), 404, 'NotFoundError', 'API Token not found');
  });
});

describe('§3-§4 of the reference: what is stored (Strapi test 28)', () => {
  test('access_key is HMAC-SHA512(API_TOKEN_SALT, key); encrypted_key decrypts to the key returned by create and GET', async () => {
    const t = await createApiToken(admin, { type: 'full-access' });
    const row = ctx.project.sql(`SELECT access_key || '|' || encrypted_key FROM strapi_api_tokens WHERE id = ${t.id}`);
    const [hash, enc] = row.split('|');
    assert.equal(hash, crypto.createHmac('sha512', SALT).update(t.accessKey).digest('hex'));
    const m = /^v1:([0-9a-f]{32}):([0-9a-f]+):([0-9a-f]{32})$/.exec(enc);
    assert.ok(m, `encrypted_key format: ${enc}`);
    const key = crypto.createHash('sha256').update(ENCRYPTION_KEY, 'utf8').digest();
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(m[1], 'hex'));
    d.setAuthTag(Buffer.from(m[3], 'hex'));
    const plain = Buffer.concat([d.update(Buffer.from(m[2], 'hex')), d.final()]).toString('utf8');
    assert.equal(plain, t.accessKey);
    assert.equal((await get(t.id)).json.data.accessKey, plain);
  });
});

// ---- §6 -----------------------------------------------------------------------------------

describe('§6 update', () => {
  test('name + description -> 200, list shape (no accessKey), type unchanged, key unchanged', async () => {
    const t = await createApiToken(admin, { description: 'before' });
    const name = uniq('renamed');
    const res = await update(t.id, { name, description: 'renamed' });
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json.data), TOKEN_KEYS);
    const u = res.json.data;
    assert.deepEqual({ ...u, updatedAt: null }, { ...withoutKey(t), name, description: 'renamed', updatedAt: null });
    assert.ok(Date.parse(u.updatedAt) >= Date.parse(t.updatedAt));
    expectStatus(await findArticles(t.accessKey), 200);
  });

  test('read-only -> custom with permissions', async () => {
    const t = await createApiToken(admin);
    const res = await update(t.id, { type: 'custom', permissions: [A('create'), A('update')] });
    expectStatus(res, 200);
    assert.equal(res.json.data.type, 'custom');
    assert.deepEqual([...res.json.data.permissions].sort(), [A('create'), A('update')]);
    expectForbidden(await findArticles(t.accessKey));
    expectStatus(await createArticle(t.accessKey), 201);
  });

  test('custom -> full-access drops ALL permissions (Strapi\'s one-row bug is not copied)', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('create'), A('update'), A('delete')] });
    const res = await update(t.id, { type: 'full-access' });
    expectStatus(res, 200);
    assert.equal(res.json.data.type, 'full-access');
    assert.deepEqual(res.json.data.permissions, []);
    assert.deepEqual((await get(t.id)).json.data.permissions, []);
    assert.deepEqual((await list()).find((x) => x.id === t.id).permissions, []);
  });

  test('custom -> read-only drops all permissions too', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('find'), A('create')] });
    const res = await update(t.id, { type: 'read-only' });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data.permissions, []);
    expectForbidden(await createArticle(t.accessKey));
  });

  test('back to custom with permissions -> exactly the new set', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('find')] });
    await update(t.id, { type: 'full-access' });
    const res = await update(t.id, { type: 'custom', permissions: [A('create')] });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data.permissions, [A('create')]);
  });

  test('updating a custom token\'s permissions replaces the set and applies at once on /api', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('find')] });
    expectStatus(await findArticles(t.accessKey), 200);
    const res = await update(t.id, { permissions: [A('create'), A('create')] });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data.permissions, [A('create')]);
    expectForbidden(await findArticles(t.accessKey));
    expectStatus(await createArticle(t.accessKey), 201);
  });

  test('switching to custom without permissions -> 400 "Missing permissions attribute for custom token"', async () => {
    const t = await createApiToken(admin);
    expectError(await update(t.id, { type: 'custom' }), 400, 'ValidationError', 'Missing permissions attribute for custom token');
  });

  test('custom token: unknown permissions on update -> "Unknown permissions provided: ..."', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('find')] });
    expectError(await update(t.id, { permissions: ['api::nope.nope.find'] }), 400, 'ValidationError',
      'Unknown permissions provided: api::nope.nope.find');
    assert.deepEqual((await get(t.id)).json.data.permissions, [A('find')]);
  });

  test('read-only with permissions -> "Non-custom tokens should not reference permissions"', async () => {
    const t = await createApiToken(admin);
    expectError(await update(t.id, { permissions: [A('find')] }), 400, 'ValidationError',
      'Non-custom tokens should not reference permissions');
  });

  test('type read-only together with permissions -> "Non-custom tokens ..."', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('find')] });
    expectError(await update(t.id, { type: 'read-only', permissions: [A('find')] }), 400, 'ValidationError',
      'Non-custom tokens should not reference permissions');
  });

  test('invalid type -> the type oneOf error (Strapi test 23)', async () => {
    const t = await createApiToken(admin);
    expectFieldError(await update(t.id, { type: 'invalid-type' }), 'type', TYPE_MESSAGE, 'invalid-type');
  });

  test('description only -> other fields unchanged (Strapi test 22)', async () => {
    const t = await createApiToken(admin, { type: 'full-access', description: 'a' });
    const res = await update(t.id, { description: 'b' });
    expectStatus(res, 200);
    assert.deepEqual({ ...res.json.data, updatedAt: null }, { ...withoutKey(t), description: 'b', updatedAt: null });
  });

  test('name only -> description unchanged (Strapi test 25)', async () => {
    const t = await createApiToken(admin, { description: 'keep me' });
    const res = await update(t.id, { name: uniq('only-name') });
    expectStatus(res, 200);
    assert.equal(res.json.data.description, 'keep me');
  });

  test('a padded name is trimmed', async () => {
    const t = await createApiToken(admin);
    const name = uniq('trim');
    const res = await update(t.id, { name: `  ${name} ` });
    expectStatus(res, 200);
    assert.equal(res.json.data.name, name);
  });

  test('duplicate name -> 400 ApplicationError "Name already taken"; its own name is fine', async () => {
    const a = await createApiToken(admin);
    const b = await createApiToken(admin);
    expectError(await update(b.id, { name: a.name }), 400, 'ApplicationError', 'Name already taken');
    expectStatus(await update(b.id, { name: b.name }), 200);
  });

  test('an admin token\'s name -> "Name already taken" (tollgate checks both kinds on update too)', async () => {
    const at = await createAdminToken(admin);
    const t = await createApiToken(admin);
    expectError(await update(t.id, { name: at.name }), 400, 'ApplicationError', 'Name already taken');
  });

  test('empty name -> the min(1) error only', async () => {
    const t = await createApiToken(admin);
    expectFieldError(await update(t.id, { name: '' }), 'name', 'name must be at least 1 characters', '');
  });

  test('blank name -> trimmed to "", the min(1) error', async () => {
    const t = await createApiToken(admin);
    expectFieldError(await update(t.id, { name: '   ' }), 'name', 'name must be at least 1 characters', '');
  });

  test('null name -> "" -> the min(1) error', async () => {
    const t = await createApiToken(admin);
    expectFieldError(await update(t.id, { name: null }), 'name', 'name must be at least 1 characters', '');
  });

  test('description null -> "" (Strapi test 24)', async () => {
    const t = await createApiToken(admin, { description: 'something' });
    const res = await update(t.id, { description: null });
    expectStatus(res, 200);
    assert.equal(res.json.data.description, '');
  });

  test('unknown id -> 404 "API Token not found"', async () => {
    expectError(await update(999999, { description: 'x' }), 404, 'NotFoundError', 'API Token not found');
  });

  test('an admin token\'s id -> 404 "API Token not found"', async () => {
    const at = await createAdminToken(admin);
    expectError(await update(at.id, { description: 'x' }), 404, 'NotFoundError', 'API Token not found');
  });

  test('empty body -> 200, nothing changes', async () => {
    const t = await createApiToken(admin, { description: 'same' });
    const res = await update(t.id, {});
    expectStatus(res, 200);
    assert.deepEqual({ ...res.json.data, updatedAt: null }, { ...withoutKey(t), updatedAt: null });
  });

  for (const [body, keys] of [
    [{ expiresAt: '2030-01-01T00:00:00.000Z' }, 'expiresAt'],
    [{ kind: 'admin' }, 'kind'],
    [{ accessKey: 'x' }, 'accessKey'],
    [{ foo: 1, bar: 2 }, 'foo, bar'],
  ]) {
    test(`other keys are refused: ${JSON.stringify(body)} -> "this field has unspecified keys: ${keys}"`, async () => {
      const t = await createApiToken(admin);
      const message = `this field has unspecified keys: ${keys}`;
      expectError(await update(t.id, body), 400, 'ValidationError', message, {
        errors: [{ path: [], message, name: 'ValidationError', value: body }],
      });
    });
  }
});

describe('§6 update of lifespan (tollgate: renews the token from now)', () => {
  test('lifespan 30 days -> lifespan "2592000000", expiresAt = now + 30 days', async () => {
    const t = await createApiToken(admin, { type: 'full-access', lifespan: 604800000 });
    const t0 = Date.now();
    const res = await update(t.id, { lifespan: 2592000000 });
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json.data), TOKEN_KEYS);
    assert.equal(res.json.data.lifespan, '2592000000');
    assertNear(res.json.data.expiresAt, t0 + 30 * DAY_MS, 10_000, 'expiresAt');
    assert.equal(res.json.data.createdAt, t.createdAt);
    const got = (await get(t.id)).json.data;
    assert.equal(got.lifespan, '2592000000');
    assert.equal(got.expiresAt, res.json.data.expiresAt);
  });

  test('lifespan null -> unlimited: lifespan null, expiresAt null', async () => {
    const t = await createApiToken(admin, { lifespan: 7776000000 });
    const res = await update(t.id, { lifespan: null });
    expectStatus(res, 200);
    assert.equal(res.json.data.lifespan, null);
    assert.equal(res.json.data.expiresAt, null);
  });

  test('an unlimited token given 7 days -> expiresAt = now + 7 days', async () => {
    const t = await createApiToken(admin);
    const t0 = Date.now();
    const res = await update(t.id, { lifespan: 604800000, description: 'renewed' });
    expectStatus(res, 200);
    assert.equal(res.json.data.lifespan, '604800000');
    assert.equal(res.json.data.description, 'renewed');
    assertNear(res.json.data.expiresAt, t0 + 7 * DAY_MS, 10_000, 'expiresAt');
  });

  test('an expired token renewed with a lifespan works again on /api', async () => {
    const t = await createApiToken(admin, { type: 'read-only', lifespan: 604800000 });
    setExpiresAt(t.id, Date.now() - 60_000);
    expectUnauthorized(await findArticles(t.accessKey), 'Token expired');
    expectStatus(await update(t.id, { lifespan: 604800000 }), 200);
    expectStatus(await findArticles(t.accessKey), 200);
  });

  for (const lifespan of [12345, 0, -1]) {
    test(`invalid lifespan ${lifespan} -> the oneOf error, nothing changes`, async () => {
      const t = await createApiToken(admin, { lifespan: 604800000 });
      expectFieldError(await update(t.id, { lifespan }), 'lifespan', LIFESPAN_MESSAGE, lifespan);
      assert.equal((await get(t.id)).json.data.expiresAt, t.expiresAt);
    });
  }

  test('lifespan as a string -> 2 errors, as on create', async () => {
    const t = await createApiToken(admin);
    const res = await update(t.id, { lifespan: '604800000' });
    expectError(res, 400, 'ValidationError', '2 errors occurred', {
      errors: [
        {
          path: ['lifespan'], message: 'lifespan must be a `number` type, but the final value was: `"604800000"`.',
          name: 'ValidationError', value: '604800000',
        },
        { path: ['lifespan'], message: LIFESPAN_MESSAGE, name: 'ValidationError', value: '604800000' },
      ],
    });
  });
});

// ---- §9 ------------------------------------------------------------------------------------

describe('§9 lastUsedAt', () => {
  test('null until used; set (with updatedAt) by a use, even a forbidden one; not bumped again within the hour', async () => {
    const t = await createApiToken(admin, { type: 'read-only' });
    assert.equal((await get(t.id)).json.data.lastUsedAt, null);
    expectForbidden(await createArticle(t.accessKey));
    const first = (await get(t.id)).json.data;
    assert.match(first.lastUsedAt, ISO_DATETIME);
    assert.equal(first.updatedAt, first.lastUsedAt);
    expectStatus(await findArticles(t.accessKey), 200);
    const second = (await get(t.id)).json.data;
    assert.equal(second.lastUsedAt, first.lastUsedAt);
    assert.equal(second.updatedAt, first.updatedAt);
  });
});

// ---- §10 -----------------------------------------------------------------------------------

describe('§10 regenerate', () => {
  test('201 {data:{id, accessKey, kind}}; old key dead at once, new key works, GET shows the new key', async () => {
    const t = await createApiToken(admin, { type: 'read-only' });
    expectStatus(await findArticles(t.accessKey), 200);
    const res = await regenerate(t.id);
    expectStatus(res, 201);
    assert.deepEqual(Object.keys(res.json), ['data']);
    assert.deepEqual(Object.keys(res.json.data), ['id', 'accessKey', 'kind']);
    assert.equal(res.json.data.id, t.id);
    assert.equal(res.json.data.kind, 'content-api');
    assert.match(res.json.data.accessKey, ACCESS_KEY);
    assert.notEqual(res.json.data.accessKey, t.accessKey);
    expectUnauthorized(await findArticles(t.accessKey));
    expectStatus(await findArticles(res.json.data.accessKey), 200);
    const got = await get(t.id);
    assert.equal(got.json.data.accessKey, res.json.data.accessKey);
    assert.equal(got.json.data.type, 'read-only');
  });

  test('type, permissions, lifespan and expiresAt are kept', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('create')], lifespan: 2592000000 });
    const res = await regenerate(t.id);
    expectStatus(res, 201);
    const got = (await get(t.id)).json.data;
    assert.deepEqual(got.permissions, [A('create')]);
    assert.equal(got.lifespan, '2592000000');
    assert.equal(got.expiresAt, t.expiresAt);
    expectForbidden(await findArticles(res.json.data.accessKey));
    expectStatus(await createArticle(res.json.data.accessKey), 201);
  });

  test('unknown id -> 404 "API Token not found"', async () => {
    expectError(await regenerate(999999), 404, 'NotFoundError', 'API Token not found');
  });

  test('an admin token\'s id -> 404; the admin token keeps its key', async () => {
    const at = await createAdminToken(admin, { adminPermissions: [perm('admin::api-tokens.read')] });
    expectError(await regenerate(at.id), 404, 'NotFoundError', 'API Token not found');
    expectStatus(await admin.as(at.accessKey).get('/admin/api-tokens'), 200);
  });
});

// ---- §11 -----------------------------------------------------------------------------------

describe('§11 expiry', () => {
  let t;

  before(async () => {
    t = await createApiToken(admin, { type: 'full-access', lifespan: 604800000 });
    expectStatus(await findArticles(t.accessKey), 200);
    setExpiresAt(t.id, Date.now() - 60_000);
  });

  test('expired token on find and on create -> 401 "Token expired"', async () => {
    expectUnauthorized(await findArticles(t.accessKey), 'Token expired');
    expectUnauthorized(await createArticle(t.accessKey), 'Token expired');
  });

  test('the admin API still shows it, with expiresAt in the past and its key', async () => {
    const res = await get(t.id);
    expectStatus(res, 200);
    assert.ok(Date.parse(res.json.data.expiresAt) < Date.now());
    assert.equal(res.json.data.accessKey, t.accessKey);
    assert.match(res.json.data.lastUsedAt, ISO_DATETIME);
  });

  test('regenerating an expired token does not reset expiresAt: the new key is expired too', async () => {
    const res = await regenerate(t.id);
    expectStatus(res, 201);
    expectUnauthorized(await findArticles(res.json.data.accessKey), 'Token expired');
    const r2 = await ctx.server.get('/api/articles', { headers: { authorization: `bearer ${res.json.data.accessKey}` } });
    expectUnauthorized(r2, 'Token expired');
  });
});

// ---- §14 -----------------------------------------------------------------------------------

describe('§14 delete', () => {
  test('DELETE -> 200 {data: token} (list shape); the key is dead; GET 404; DELETE again -> 200 {data:null}', async () => {
    const t = await createApiToken(admin, { type: 'custom', permissions: [A('find'), A('findOne')], lifespan: 2592000000 });
    const res = await remove(t.id);
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json), ['data']);
    assert.deepEqual(Object.keys(res.json.data), TOKEN_KEYS);
    assert.deepEqual(sortPerms(res.json.data), sortPerms(withoutKey(t)));
    expectUnauthorized(await findArticles(t.accessKey));
    expectError(await get(t.id), 404, 'NotFoundError', 'API Token not found');
    const again = await remove(t.id);
    expectStatus(again, 200);
    assert.deepEqual(again.json, { data: null });
    assert.ok(!(await list()).some((x) => x.id === t.id));
  });

  test('DELETE /admin/api-tokens/42-style unknown id -> 200 {data:null}', async () => {
    const res = await remove(999999);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: null });
  });

  test('DELETE of an admin token\'s id -> 200 {data:null}; the admin token is kept and keeps working', async () => {
    const at = await createAdminToken(admin, { adminPermissions: [perm('admin::api-tokens.read')] });
    const res = await remove(at.id);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: null });
    expectStatus(await admin.as(at.accessKey).get('/admin/api-tokens'), 200);
    const got = await admin.get(`/admin/admin-tokens/${at.id}`);
    expectStatus(got, 200);
    assert.equal(got.json.data.name, at.name);
  });
});

// ---- permissions ------------------------------------------------------------------------------

describe('admin::api-tokens.* permissions', () => {
  let target; // an existing content-API token
  const ACTIONS = ['create', 'read', 'update', 'regenerate', 'delete'];

  before(async () => {
    target = await createApiToken(admin);
  });

  // One request per route, tagged with the action that guards it.
  const routes = () => [
    ['create', (c) => c.post('/admin/api-tokens', { body: { name: uniq('perm'), type: 'read-only' } }), 201],
    ['read', (c) => c.get('/admin/api-tokens'), 200],
    ['read', (c) => c.get(`/admin/api-tokens/${target.id}`), 200],
    ['update', (c) => c.put(`/admin/api-tokens/${target.id}`, { body: { description: uniq('d') } }), 200],
    ['regenerate', (c) => c.post(`/admin/api-tokens/${target.id}/regenerate`), 201],
    ['delete', (c) => c.del('/admin/api-tokens/999999'), 200],
  ];

  for (const held of [...ACTIONS, 'access']) {
    test(`a role holding only admin::api-tokens.${held}: its routes answer, the others 403 PolicyError`, async () => {
      const u = await userWithPermissions(admin, [perm(`admin::api-tokens.${held}`)]);
      for (const [action, call, status] of routes()) {
        const res = await call(u);
        if (action === held) expectStatus(res, status);
        else expectPolicyFailed(res);
      }
    });
  }

  test('an Editor: 403 on every token route, 200 on the content-api catalogue routes', async () => {
    const editor = await newUser(admin, [await roleId(admin, 'strapi-editor')]);
    for (const [, call] of routes()) expectPolicyFailed(await call(editor));
    expectStatus(await editor.get('/admin/content-api/permissions'), 200);
    expectStatus(await editor.get('/admin/content-api/routes'), 200);
  });

  test('the policy runs before validation and lookup: invalid body or unknown id -> still 403', async () => {
    const u = await userWithPermissions(admin, [perm('admin::api-tokens.read')]);
    expectPolicyFailed(await u.post('/admin/api-tokens', { body: { name: '' } }));
    expectPolicyFailed(await u.put('/admin/api-tokens/999999', { body: { foo: 1 } }));
    expectPolicyFailed(await u.post('/admin/api-tokens/999999/regenerate'));
  });

  test('authentication runs before the policy: no credentials -> 401, not 403', async () => {
    expectUnauthorized(await ctx.server.post('/admin/api-tokens', { body: { name: '' } }));
  });

  test('a role with every api-tokens action can do everything (and sees the key)', async () => {
    const u = await userWithPermissions(admin, ACTIONS.map((a) => perm(`admin::api-tokens.${a}`)));
    const made = await createApiToken(u, { type: 'full-access' });
    const got = await u.get(`/admin/api-tokens/${made.id}`);
    expectStatus(got, 200);
    assert.equal(got.json.data.accessKey, made.accessKey);
    expectStatus(await u.del(`/admin/api-tokens/${made.id}`), 200);
  });
});
