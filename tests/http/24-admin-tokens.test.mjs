// Admin tokens (/admin/admin-tokens*; strapi-api-tokens.md §2.9 and Strapi's
// admin-admin-token-crud tests, §8): owner, permission ceiling, owner-only
// key view and regeneration, 404 hiding, re-clamping when the owner's roles
// change, deactivated or deleted owners, and using an admin token on the
// Admin API with exactly its own permissions.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
  LIFESPAN_MESSAGE, SUPER_ADMIN, adminSetup, cm, createAdminToken, createApiToken, createRole,
  expectPolicyFailed, newUser, perm, roleId, setRolePermissions, ARTICLE, HOMEPAGE,
} from './lib/admin.mjs';
import {
  ACCESS_KEY, ANY_DETAILS, DAY_MS, ISO_DATETIME, SALT, expectError, expectFieldError, expectForbidden,
  expectStatus, expectUnauthorized, uniq,
} from './lib/harness.mjs';

let ctx;
let admin;   // super admin (owner of most tokens)
let other;   // a second super admin
let editor;  // role "ceiling": api-tokens.read, admin-tokens.*, CM read on article
let editor2; // same role, another user
let ceilingRole;

const CEILING = [
  perm('admin::api-tokens.read'),
  perm('admin::admin-tokens.create'),
  perm('admin::admin-tokens.read'),
  perm('admin::admin-tokens.update'),
  perm('admin::admin-tokens.delete'),
  perm('admin::admin-tokens.regenerate'),
  cm('read', ARTICLE),
];

before(async () => {
  ctx = await adminSetup();
  admin = ctx.admin;
  other = await newUser(admin, [await roleId(admin, SUPER_ADMIN)], { email: 'sa-other@example.com', firstname: 'Other', lastname: 'SA' });
  ceilingRole = await createRole(admin, CEILING, { name: 'token-ceiling-test-role' });
  editor = await newUser(admin, [ceilingRole.id], { email: 'editor@example.com', firstname: 'Editor', lastname: 'User' });
  editor2 = await newUser(admin, [ceilingRole.id], { email: 'editor2@example.com' });
});

after(async () => {
  await ctx?.teardown();
});

const tokensOf = async (client) => {
  const res = await client.get('/admin/admin-tokens');
  expectStatus(res, 200);
  return res.json.data;
};
const setExpiresAt = (id, ms) => ctx.project.sql(`UPDATE strapi_api_tokens SET expires_at = ${ms} WHERE id = ${id}`);

function assertNear(iso, expectedMs, slackMs, what) {
  assert.match(iso, ISO_DATETIME, what);
  const d = Date.parse(iso) - expectedMs;
  assert.ok(Math.abs(d) <= slackMs, `${what}: ${iso} is ${d} ms away from ${new Date(expectedMs).toISOString()}`);
}

const hasPerm = (list, action, subject = null) => list.some((p) => p.action === action && (p.subject ?? null) === subject);

describe('create (POST /admin/admin-tokens)', () => {
  test('201 with name, description, kind "admin", adminPermissions [], accessKey and the owner', async () => {
    const res = await admin.post('/admin/admin-tokens', {
      body: { name: 'admin-token_tests-create', description: 'admin-token_tests-description' },
    });
    expectStatus(res, 201);
    const t = res.json.data;
    assert.equal(typeof t.id, 'number');
    assert.equal(t.name, 'admin-token_tests-create');
    assert.equal(t.description, 'admin-token_tests-description');
    assert.equal(t.kind, 'admin');
    assert.deepEqual(t.adminPermissions, []);
    assert.match(t.accessKey, ACCESS_KEY);
    assert.equal(t.lifespan, null);
    assert.equal(t.expiresAt, null);
    assert.equal(t.lastUsedAt, null);
    assert.match(t.createdAt, ISO_DATETIME);
    assert.deepEqual(t.adminUserOwner, {
      id: admin.user.id, firstname: 'Ada', lastname: 'Admin', username: null, email: 'admin@example.com',
    });
    assert.ok(!('permissions' in t), 'an admin token has no content-API permissions');
  });

  test('stored like API tokens: kind "admin", the owner, access_key = HMAC-SHA512(salt, key)', async () => {
    const t = await createAdminToken(admin);
    const row = ctx.project.sql(`SELECT kind || '|' || access_key FROM strapi_api_tokens WHERE id = ${t.id}`);
    assert.equal(row, `admin|${crypto.createHmac('sha512', SALT).update(t.accessKey).digest('hex')}`);
  });

  test('no description -> ""', async () => {
    const t = await createAdminToken(admin, { name: uniq('nodesc') });
    assert.equal(t.description, '');
  });

  test('name and description are trimmed', async () => {
    const name = uniq('trimmed');
    const t = await createAdminToken(admin, { name: `  ${name}  `, description: '  trimmed description  ' });
    assert.equal(t.name, name);
    assert.equal(t.description, 'trimmed description');
  });

  for (const days of [7, 30, 90]) {
    test(`${days}-day lifespan -> lifespan string, expiresAt = now + ${days} days`, async () => {
      const t0 = Date.now();
      const t = await createAdminToken(admin, { lifespan: days * DAY_MS });
      assert.equal(t.lifespan, String(days * DAY_MS));
      assertNear(t.expiresAt, t0 + days * DAY_MS, 10_000, 'expiresAt');
    });
  }

  test('null lifespan -> lifespan null, expiresAt null', async () => {
    const t = await createAdminToken(admin, { lifespan: null });
    assert.equal(t.lifespan, null);
    assert.equal(t.expiresAt, null);
  });

  test('lifespan -1 -> 400 ValidationError (the oneOf message)', async () => {
    const res = await admin.post('/admin/admin-tokens', { body: { name: uniq('bad'), lifespan: -1 } });
    expectFieldError(res, 'lifespan', LIFESPAN_MESSAGE, -1);
  });

  test('empty name -> 400 ValidationError', async () => {
    const res = await admin.post('/admin/admin-tokens', { body: { name: '  ' } });
    expectError(res, 400, 'ValidationError', /./, ANY_DETAILS);
  });

  test('duplicate name -> 400 ApplicationError "Name already taken"', async () => {
    const t = await createAdminToken(admin);
    const res = await admin.post('/admin/admin-tokens', { body: { name: t.name } });
    expectError(res, 400, 'ApplicationError', 'Name already taken');
  });

  test('the name of a content-API token -> "Name already taken"', async () => {
    const t = await createApiToken(admin);
    expectError(await admin.post('/admin/admin-tokens', { body: { name: t.name } }), 400, 'ApplicationError', 'Name already taken');
    expectError(await admin.post('/admin/admin-tokens', { body: { name: 'Full Access' } }), 400, 'ApplicationError',
      'Name already taken');
  });

  test('sending `type` -> 400 BadRequestError "Type is not allowed for admin tokens"', async () => {
    const res = await admin.post('/admin/admin-tokens', { body: { name: uniq('t'), type: 'read-only' } });
    expectError(res, 400, 'BadRequestError', 'Type is not allowed for admin tokens');
  });

  test('sending `permissions` -> 400 BadRequestError "Permissions are not allowed for admin tokens"', async () => {
    const res = await admin.post('/admin/admin-tokens', { body: { name: uniq('p'), permissions: ['api::article.article.find'] } });
    expectError(res, 400, 'BadRequestError', 'Permissions are not allowed for admin tokens');
  });

  test('an unknown action -> 400 "Unknown admin action: ..."', async () => {
    const res = await admin.post('/admin/admin-tokens', {
      body: { name: uniq('u'), adminPermissions: [{ action: 'admin::nonexistent.action', subject: null, conditions: [], properties: {} }] },
    });
    expectStatus(res, 400);
    assert.equal(res.json.data, null);
    assert.equal(res.json.error.status, 400);
    assert.equal(res.json.error.message, 'Unknown admin action: admin::nonexistent.action');
  });

  test('a content-manager action on an unknown content type -> 400', async () => {
    const res = await admin.post('/admin/admin-tokens', { body: { name: uniq('u2'), adminPermissions: [cm('read', 'api::nope.nope')] } });
    expectStatus(res, 400);
  });

  test('the owner is always the caller, whatever adminUserOwner says', async () => {
    const res = await editor.post('/admin/admin-tokens', { body: { name: uniq('own'), adminUserOwner: admin.user.id } });
    if (res.status === 201) {
      assert.equal(res.json.data.adminUserOwner.id, editor.user.id);
    } else {
      expectStatus(res, 400);
    }
  });

  test('no credentials -> 401; a role without admin-tokens.create -> 403 PolicyError', async () => {
    expectUnauthorized(await ctx.server.post('/admin/admin-tokens', { body: { name: uniq('x') } }));
    const reader = await newUser(admin, [(await createRole(admin, [perm('admin::admin-tokens.read')])).id]);
    expectPolicyFailed(await reader.post('/admin/admin-tokens', { body: { name: uniq('x') } }));
    expectStatus(await reader.get('/admin/admin-tokens'), 200);
  });
});

describe('list (GET /admin/admin-tokens)', () => {
  test('no accessKey in any entry; every entry is kind "admin"; content-API tokens are not listed', async () => {
    await createAdminToken(admin);
    const api = await createApiToken(admin);
    const data = await tokensOf(admin);
    assert.ok(data.length >= 2);
    for (const t of data) {
      assert.ok(!('accessKey' in t), 'accessKey listed');
      assert.equal(t.kind, 'admin');
    }
    assert.ok(!data.some((t) => t.id === api.id));
  });

  test('a super admin sees every owner\'s tokens', async () => {
    const a = await createAdminToken(admin, { name: uniq('list-sa-a') });
    const b = await createAdminToken(other, { name: uniq('list-sa-b') });
    const c = await createAdminToken(editor, { name: uniq('list-ed-c') });
    const names = (await tokensOf(admin)).map((t) => t.name);
    for (const t of [a, b, c]) assert.ok(names.includes(t.name), `${t.name} not listed`);
    const names2 = (await tokensOf(other)).map((t) => t.name);
    for (const t of [a, b, c]) assert.ok(names2.includes(t.name), `${t.name} not listed for the other super admin`);
  });

  test('a non-super-admin sees only their own tokens', async () => {
    const mine = await createAdminToken(editor, { name: uniq('c-editor') });
    const theirs = await createAdminToken(admin, { name: uniq('c-sa') });
    const data = await tokensOf(editor);
    assert.ok(data.some((t) => t.id === mine.id));
    assert.ok(!data.some((t) => t.id === theirs.id));
    for (const t of data) assert.equal(t.adminUserOwner?.id ?? editor.user.id, editor.user.id);
  });
});

describe('get (GET /admin/admin-tokens/:id)', () => {
  let t;

  before(async () => {
    t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.read')] });
  });

  test('the owner gets the token with its accessKey', async () => {
    const res = await admin.get(`/admin/admin-tokens/${t.id}`);
    expectStatus(res, 200);
    assert.equal(res.json.data.id, t.id);
    assert.equal(res.json.data.accessKey, t.accessKey);
    assert.equal(res.json.data.kind, 'admin');
    assert.ok(hasPerm(res.json.data.adminPermissions, 'admin::users.read'));
  });

  test('another super admin gets it without accessKey', async () => {
    const res = await other.get(`/admin/admin-tokens/${t.id}`);
    expectStatus(res, 200);
    assert.equal(res.json.data.id, t.id);
    assert.ok(!('accessKey' in res.json.data), 'a non-owner sees the key');
  });

  test('a non-owner, non-super-admin with admin-tokens.read -> 404 (the token is hidden)', async () => {
    expectError(await editor.get(`/admin/admin-tokens/${t.id}`), 404, 'NotFoundError', 'API Token not found');
  });

  test('a missing id -> 404 NotFoundError "API Token not found"', async () => {
    expectError(await admin.get('/admin/admin-tokens/999999'), 404, 'NotFoundError', 'API Token not found');
  });

  test('a content-API token\'s id -> 404', async () => {
    const api = await createApiToken(admin);
    expectError(await admin.get(`/admin/admin-tokens/${api.id}`), 404, 'NotFoundError', 'API Token not found');
  });
});

describe('update (PUT /admin/admin-tokens/:id)', () => {
  test('the owner updates name and description -> 200', async () => {
    const t = await createAdminToken(admin);
    const name = uniq('updated-name');
    const res = await admin.put(`/admin/admin-tokens/${t.id}`, { body: { name, description: 'updated description', adminPermissions: [] } });
    expectStatus(res, 200);
    assert.equal(res.json.data.name, name);
    assert.equal(res.json.data.description, 'updated description');
    assert.ok(!('accessKey' in res.json.data));
  });

  test('a non-owner super admin can update -> 200', async () => {
    const t = await createAdminToken(admin);
    const name = uniq('updated-by-other');
    const res = await other.put(`/admin/admin-tokens/${t.id}`, { body: { name, adminPermissions: [] } });
    expectStatus(res, 200);
    assert.equal(res.json.data.name, name);
  });

  test('a partial body keeps the other fields', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.read')] });
    const res = await admin.put(`/admin/admin-tokens/${t.id}`, { body: { description: 'only description updated' } });
    expectStatus(res, 200);
    assert.equal(res.json.data.name, t.name);
    assert.equal(res.json.data.description, 'only description updated');
    assert.ok(hasPerm(res.json.data.adminPermissions, 'admin::users.read'), 'permissions were dropped');
  });

  test('adminPermissions replaces the set, and the token\'s abilities change at once', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.read')] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/admin/users'), 200);
    expectPolicyFailed(await key.get('/admin/roles'));
    const res = await admin.put(`/admin/admin-tokens/${t.id}`, { body: { adminPermissions: [perm('admin::roles.read')] } });
    expectStatus(res, 200);
    assert.ok(hasPerm(res.json.data.adminPermissions, 'admin::roles.read'));
    assert.ok(!hasPerm(res.json.data.adminPermissions, 'admin::users.read'));
    expectPolicyFailed(await key.get('/admin/users'));
    expectStatus(await key.get('/admin/roles'), 200);
  });

  test('a missing id -> 404', async () => {
    const res = await admin.put('/admin/admin-tokens/999999', { body: { name: uniq('404'), adminPermissions: [] } });
    expectError(res, 404, 'NotFoundError', 'API Token not found');
  });

  test('an empty name -> 400 "name must be at least 1 characters"', async () => {
    const t = await createAdminToken(admin);
    expectFieldError(await admin.put(`/admin/admin-tokens/${t.id}`, { body: { name: '', adminPermissions: [] } }), 'name',
      'name must be at least 1 characters', '');
  });

  test('another token\'s name (admin or content-API) -> 400 "Name already taken"', async () => {
    const a = await createAdminToken(admin);
    const b = await createAdminToken(admin);
    const api = await createApiToken(admin);
    expectError(await admin.put(`/admin/admin-tokens/${b.id}`, { body: { name: a.name } }), 400, 'ApplicationError', 'Name already taken');
    expectError(await admin.put(`/admin/admin-tokens/${b.id}`, { body: { name: api.name } }), 400, 'ApplicationError', 'Name already taken');
    expectStatus(await admin.put(`/admin/admin-tokens/${b.id}`, { body: { name: b.name } }), 200);
  });

  test('`type` or `permissions` -> 400 "this field has unspecified keys: ..."', async () => {
    const t = await createAdminToken(admin);
    expectError(await admin.put(`/admin/admin-tokens/${t.id}`, { body: { type: 'read-only' } }), 400, 'ValidationError',
      'this field has unspecified keys: type', ANY_DETAILS);
    expectError(await admin.put(`/admin/admin-tokens/${t.id}`, { body: { permissions: [] } }), 400, 'ValidationError',
      'this field has unspecified keys: permissions', ANY_DETAILS);
  });

  test('a different adminUserOwner -> 400', async () => {
    const t = await createAdminToken(admin);
    const res = await admin.put(`/admin/admin-tokens/${t.id}`, {
      body: { name: t.name, adminPermissions: [], adminUserOwner: editor.user.id },
    });
    expectError(res, 400, 'ValidationError',
      /^(adminUserOwner cannot be changed on update|this field has unspecified keys: adminUserOwner)$/, ANY_DETAILS);
    const got = await admin.get(`/admin/admin-tokens/${t.id}`);
    assert.equal(got.json.data.adminUserOwner.id, admin.user.id);
  });

  test('a non-owner non-super-admin (with admin-tokens.update) -> 403 ForbiddenError', async () => {
    const t = await createAdminToken(admin, { name: uniq('b-update') });
    const res = await editor.put(`/admin/admin-tokens/${t.id}`, { body: { name: uniq('b-update-new'), adminPermissions: [] } });
    expectForbidden(res);
  });
});

describe('delete (DELETE /admin/admin-tokens/:id)', () => {
  test('-> 200 with the token, without accessKey; its key is dead at once', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.read')] });
    expectStatus(await admin.as(t.accessKey).get('/admin/users'), 200);
    const res = await admin.del(`/admin/admin-tokens/${t.id}`);
    expectStatus(res, 200);
    assert.equal(res.json.data.id, t.id);
    assert.equal(res.json.data.name, t.name);
    assert.ok(!('accessKey' in res.json.data));
    expectUnauthorized(await admin.as(t.accessKey).get('/admin/users'));
    expectError(await admin.get(`/admin/admin-tokens/${t.id}`), 404, 'NotFoundError', 'API Token not found');
  });

  test('a missing id -> 404 "API Token not found" (5.54)', async () => {
    expectError(await admin.del('/admin/admin-tokens/999999'), 404, 'NotFoundError', 'API Token not found');
  });

  test('a non-owner non-super-admin -> 403 ForbiddenError; a non-owner super admin -> 200', async () => {
    const t = await createAdminToken(editor);
    expectForbidden(await editor2.del(`/admin/admin-tokens/${t.id}`));
    expectStatus(await other.del(`/admin/admin-tokens/${t.id}`), 200);
  });

  test('a content-API token\'s id -> 404; the content-API token keeps working', async () => {
    const api = await createApiToken(admin);
    expectError(await admin.del(`/admin/admin-tokens/${api.id}`), 404, 'NotFoundError', 'API Token not found');
    expectStatus(await ctx.server.get('/api/articles', { token: api.accessKey }), 200);
  });
});

describe('regenerate (POST /admin/admin-tokens/:id/regenerate)', () => {
  test('the owner -> 201 {id, accessKey, kind:"admin"}; old key dead, new key works', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.read')] });
    const res = await admin.post(`/admin/admin-tokens/${t.id}/regenerate`);
    expectStatus(res, 201);
    assert.deepEqual(Object.keys(res.json.data), ['id', 'accessKey', 'kind']);
    assert.equal(res.json.data.id, t.id);
    assert.equal(res.json.data.kind, 'admin');
    assert.match(res.json.data.accessKey, ACCESS_KEY);
    assert.notEqual(res.json.data.accessKey, t.accessKey);
    expectUnauthorized(await admin.as(t.accessKey).get('/admin/users'));
    expectStatus(await admin.as(res.json.data.accessKey).get('/admin/users'), 200);
    const got = await admin.get(`/admin/admin-tokens/${t.id}`);
    assert.equal(got.json.data.accessKey, res.json.data.accessKey);
  });

  test('another super admin (not the owner) -> 403 ForbiddenError; the key is unchanged', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.read')] });
    expectForbidden(await other.post(`/admin/admin-tokens/${t.id}/regenerate`));
    expectStatus(await admin.as(t.accessKey).get('/admin/users'), 200);
  });

  test('a non-owner editor -> 403', async () => {
    const t = await createAdminToken(editor);
    expectForbidden(await editor2.post(`/admin/admin-tokens/${t.id}/regenerate`));
  });

  test('a missing id -> 404 "API Token not found"', async () => {
    expectError(await admin.post('/admin/admin-tokens/999999/regenerate'), 404, 'NotFoundError', 'API Token not found');
  });
});

describe('owner-permissions (GET /admin/admin-tokens/:id/owner-permissions)', () => {
  test('the owner and a super admin -> 200, the owner\'s effective permissions', async () => {
    const t = await createAdminToken(editor);
    for (const who of [editor, admin, other]) {
      const res = await who.get(`/admin/admin-tokens/${t.id}/owner-permissions`);
      expectStatus(res, 200);
      assert.ok(Array.isArray(res.json.data));
      assert.ok(hasPerm(res.json.data, 'admin::api-tokens.read'), JSON.stringify(res.json.data));
      assert.ok(hasPerm(res.json.data, 'plugin::content-manager.explorer.read', ARTICLE));
      assert.ok(!hasPerm(res.json.data, 'admin::users.read'));
    }
  });

  test('a super admin owner -> 200 array', async () => {
    const t = await createAdminToken(admin);
    const res = await admin.get(`/admin/admin-tokens/${t.id}/owner-permissions`);
    expectStatus(res, 200);
    assert.ok(Array.isArray(res.json.data));
  });

  test('a missing id -> 404 NotFoundError "apiToken.notFound"', async () => {
    expectError(await admin.get('/admin/admin-tokens/999999/owner-permissions'), 404, 'NotFoundError', 'apiToken.notFound');
  });

  test('a non-owner non-super-admin -> 403 ForbiddenError', async () => {
    const t = await createAdminToken(admin, { name: uniq('b-owner-perms') });
    expectForbidden(await editor.get(`/admin/admin-tokens/${t.id}/owner-permissions`));
  });
});

describe('the permission ceiling', () => {
  test('an editor creates a token with a permission they hold -> 201, persisted with conditions []', async () => {
    const res = await editor.post('/admin/admin-tokens', {
      body: {
        name: uniq('d-within'),
        adminPermissions: [{ action: 'admin::api-tokens.read', subject: null, conditions: [], properties: {} }],
      },
    });
    expectStatus(res, 201);
    const p = res.json.data.adminPermissions.find((x) => x.action === 'admin::api-tokens.read');
    assert.ok(p, JSON.stringify(res.json.data.adminPermissions));
    assert.deepEqual(p.conditions, []);
  });

  test('a content-manager permission they hold (read on article) -> 201', async () => {
    const t = await createAdminToken(editor, { adminPermissions: [cm('read', ARTICLE)] });
    assert.ok(hasPerm(t.adminPermissions, 'plugin::content-manager.explorer.read', ARTICLE));
  });

  test('an action they lack -> 400 ValidationError "Cannot assign admin permissions that exceed your own ..."', async () => {
    const res = await editor.post('/admin/admin-tokens', {
      body: { name: uniq('d-exceeds'), adminPermissions: [{ action: 'admin::api-tokens.create', subject: null, conditions: [], properties: {} }] },
    });
    expectError(res, 400, 'ValidationError', /^Cannot assign admin permissions that exceed your own\. Exceeding: /, ANY_DETAILS);
  });

  test('a held action on a subject they lack (read on homepage) -> 400', async () => {
    const res = await editor.post('/admin/admin-tokens', { body: { name: uniq('d-subj'), adminPermissions: [cm('read', HOMEPAGE)] } });
    expectError(res, 400, 'ValidationError', /^Cannot assign admin permissions that exceed your own\. Exceeding: /, ANY_DETAILS);
  });

  test('an unknown action -> 400', async () => {
    const res = await editor.post('/admin/admin-tokens', {
      body: { name: uniq('d-unknown'), adminPermissions: [{ action: 'admin::nonexistent.action', subject: null, conditions: [], properties: {} }] },
    });
    expectStatus(res, 400);
  });

  test('a super admin bypasses the ceiling -> 201', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.delete'), perm('admin::roles.update')] });
    assert.ok(hasPerm(t.adminPermissions, 'admin::users.delete'));
  });

  test('on update the ceiling is the owner\'s: a super admin cannot give an editor\'s token more than the editor has', async () => {
    const t = await createAdminToken(editor);
    const res = await admin.put(`/admin/admin-tokens/${t.id}`, { body: { adminPermissions: [perm('admin::users.read')] } });
    expectError(res, 400, 'ValidationError', /^Cannot assign admin permissions that exceed your own\. Exceeding: /, ANY_DETAILS);
    expectStatus(await admin.put(`/admin/admin-tokens/${t.id}`, { body: { adminPermissions: [perm('admin::api-tokens.read')] } }), 200);
  });

  test('the owner cannot raise their own token above their permissions on update', async () => {
    const t = await createAdminToken(editor);
    const res = await editor.put(`/admin/admin-tokens/${t.id}`, { body: { adminPermissions: [perm('admin::api-tokens.delete')] } });
    expectError(res, 400, 'ValidationError', /^Cannot assign admin permissions that exceed your own\. Exceeding: /, ANY_DETAILS);
  });
});

describe('using an admin token on the Admin API: its own permissions only', () => {
  test('[api-tokens.read] (owned by a super admin): list 200, create 403, users 403', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::api-tokens.read')] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/admin/api-tokens'), 200);
    expectPolicyFailed(await key.post('/admin/api-tokens', { body: { name: uniq('no') } }));
    expectPolicyFailed(await key.get('/admin/users'));
    expectPolicyFailed(await key.get('/admin/admin-tokens'));
  });

  test('[api-tokens.create, read]: manages content-API tokens, which then work on /api', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::api-tokens.create'), perm('admin::api-tokens.read')] });
    const key = admin.as(t.accessKey);
    const made = await createApiToken(key, { type: 'full-access' });
    expectStatus(await ctx.server.post('/api/articles', { token: made.accessKey, body: { data: { title: 'via admin token' } } }), 201);
    const got = await key.get(`/admin/api-tokens/${made.id}`);
    expectStatus(got, 200);
    assert.equal(got.json.data.accessKey, made.accessKey);
  });

  test('no permissions: every guarded route 403; users/me -> 200 as the owner', async () => {
    const t = await createAdminToken(editor);
    const key = admin.as(t.accessKey);
    expectPolicyFailed(await key.get('/admin/api-tokens'));
    expectPolicyFailed(await key.get('/admin/admin-tokens'));
    expectPolicyFailed(await key.get('/content-manager/collection-types/api::article.article'));
    const me = await key.get('/admin/users/me');
    expectStatus(me, 200);
    assert.equal(me.json.data.email, 'editor@example.com');
  });

  test('content-manager read on article: list 200, create 403, homepage 403', async () => {
    const t = await createAdminToken(editor, { adminPermissions: [cm('read', ARTICLE)] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/content-manager/collection-types/api::article.article'), 200);
    expectPolicyFailed(await key.post('/content-manager/collection-types/api::article.article', { body: { title: 'no' } }));
    expectPolicyFailed(await key.get('/content-manager/single-types/api::homepage.homepage'));
  });

  test('an admin token on /api -> 401 "Missing or invalid credentials"', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [cm('read', ARTICLE)] });
    expectUnauthorized(await ctx.server.get('/api/articles', { token: t.accessKey }));
  });

  test('lastUsedAt is set when the token is used', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::users.read')] });
    assert.equal(t.lastUsedAt, null);
    expectStatus(await admin.as(t.accessKey).get('/admin/users'), 200);
    const got = await admin.get(`/admin/admin-tokens/${t.id}`);
    assert.match(got.json.data.lastUsedAt, ISO_DATETIME);
  });

  test('an expired admin token -> 401 "Token expired"', async () => {
    const t = await createAdminToken(admin, { lifespan: 7 * DAY_MS, adminPermissions: [perm('admin::users.read')] });
    expectStatus(await admin.as(t.accessKey).get('/admin/users'), 200);
    setExpiresAt(t.id, Date.now() - 60_000);
    expectUnauthorized(await admin.as(t.accessKey).get('/admin/users'), 'Token expired');
  });

  test('an unknown 256-hex bearer -> 401 "Missing or invalid credentials"', async () => {
    expectUnauthorized(await admin.as('e'.repeat(256)).get('/admin/users/me'));
  });
});

describe('owner lifecycle', () => {
  test('a deactivated owner -> the token gets 401 "Token owner is deactivated"; reactivated -> works again', async () => {
    const owner = await newUser(admin, [ceilingRole.id]);
    const t = await createAdminToken(owner, { adminPermissions: [perm('admin::admin-tokens.read')] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/admin/admin-tokens'), 200);

    expectStatus(await admin.put(`/admin/users/${owner.user.id}`, { body: { isActive: false } }), 200);
    expectUnauthorized(await key.get('/admin/admin-tokens'), 'Token owner is deactivated');
    expectUnauthorized(await key.get('/admin/users/me'), 'Token owner is deactivated');

    expectStatus(await admin.put(`/admin/users/${owner.user.id}`, { body: { isActive: true } }), 200);
    expectStatus(await key.get('/admin/admin-tokens'), 200);
  });

  test('deleting the owner deletes their tokens', async () => {
    const owner = await newUser(admin, [ceilingRole.id]);
    const t = await createAdminToken(owner, { adminPermissions: [perm('admin::admin-tokens.read')] });
    expectStatus(await admin.as(t.accessKey).get('/admin/admin-tokens'), 200);
    expectStatus(await admin.del(`/admin/users/${owner.user.id}`), 200);
    expectUnauthorized(await admin.as(t.accessKey).get('/admin/admin-tokens'));
    expectError(await admin.get(`/admin/admin-tokens/${t.id}`), 404, 'NotFoundError', 'API Token not found');
    assert.ok(!(await tokensOf(admin)).some((x) => x.id === t.id));
    assert.equal(ctx.project.sql(`SELECT COUNT(*) FROM strapi_api_tokens WHERE id = ${t.id}`), '0');
  });

  test('a permission removed from the owner\'s role is removed from their tokens (re-clamp)', async () => {
    const role = await createRole(admin, [perm('admin::admin-tokens.create'), perm('admin::api-tokens.read'), perm('admin::users.read')]);
    const owner = await newUser(admin, [role.id]);
    const t = await createAdminToken(owner, { adminPermissions: [perm('admin::api-tokens.read'), perm('admin::users.read')] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/admin/api-tokens'), 200);
    expectStatus(await key.get('/admin/users'), 200);

    await setRolePermissions(admin, role.id, [perm('admin::admin-tokens.create'), perm('admin::users.read')]);
    expectPolicyFailed(await key.get('/admin/api-tokens'));
    expectStatus(await key.get('/admin/users'), 200);
    const got = await admin.get(`/admin/admin-tokens/${t.id}`);
    expectStatus(got, 200);
    assert.ok(!hasPerm(got.json.data.adminPermissions, 'admin::api-tokens.read'), 'the token kept a permission its owner lost');
    assert.ok(hasPerm(got.json.data.adminPermissions, 'admin::users.read'));
  });

  test('re-clamping removes the permission from the token: giving it back to the role does not give it back to the token', async () => {
    const full = [perm('admin::admin-tokens.create'), perm('admin::api-tokens.read')];
    const role = await createRole(admin, full);
    const owner = await newUser(admin, [role.id]);
    const t = await createAdminToken(owner, { adminPermissions: [perm('admin::api-tokens.read')] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/admin/api-tokens'), 200);
    await setRolePermissions(admin, role.id, [perm('admin::admin-tokens.create')]);
    expectPolicyFailed(await key.get('/admin/api-tokens'));
    await setRolePermissions(admin, role.id, full);
    // Strapi deletes the token's exceeding permission rows (syncPermissionsForUser): they stay gone.
    expectPolicyFailed(await key.get('/admin/api-tokens'));
    const got = await admin.get(`/admin/admin-tokens/${t.id}`);
    assert.ok(!hasPerm(got.json.data.adminPermissions, 'admin::api-tokens.read'), 'the clamped permission came back');
  });

  test('changing the owner\'s roles re-clamps their tokens', async () => {
    const role = await createRole(admin, [perm('admin::admin-tokens.create'), perm('admin::api-tokens.read')]);
    const owner = await newUser(admin, [role.id]);
    const t = await createAdminToken(owner, { adminPermissions: [perm('admin::api-tokens.read')] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/admin/api-tokens'), 200);
    expectStatus(await admin.put(`/admin/users/${owner.user.id}`, { body: { roles: [await roleId(admin, 'strapi-editor')] } }), 200);
    expectPolicyFailed(await key.get('/admin/api-tokens'));
  });

  test('a super admin owner demoted to Editor: their token loses what an Editor lacks', async () => {
    const owner = await newUser(admin, [await roleId(admin, SUPER_ADMIN)]);
    const t = await createAdminToken(owner, { adminPermissions: [perm('admin::users.read'), cm('read', ARTICLE)] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get('/admin/users'), 200);
    expectStatus(await admin.put(`/admin/users/${owner.user.id}`, { body: { roles: [await roleId(admin, 'strapi-editor')] } }), 200);
    expectPolicyFailed(await key.get('/admin/users'));
    expectStatus(await key.get('/content-manager/collection-types/api::article.article'), 200);
  });
});
