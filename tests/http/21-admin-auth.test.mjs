// Administrators' authentication (transcript §1, §12; strapi-api-tokens.md
// §2.1, §6.5): init, register-admin, login, logout, users/me, the login rate
// limit, session JWTs, and the separation of the two APIs for every route
// family: content-API tokens are refused on /admin and /content-manager,
// admin credentials are refused on /api.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ADMIN, AdminClient, JWT, PASSWORD, ROLE_DESCRIPTIONS, ROLE_SUMMARY_KEYS, SUPER_ADMIN, USER_KEYS,
  createAdminToken, createApiToken, createUser, decodeJwt, expectAdminUnauthorized, login, newUser,
  perm, roleId, signJwt, A,
} from './lib/admin.mjs';
import {
  ANY_DETAILS, DOCUMENT_ID, ISO_DATETIME, expectError, expectForbidden, expectStatus,
  expectUnauthorized, setup,
} from './lib/harness.mjs';

let ctx;
let admin;   // AdminClient of the first super admin (session from register-admin)
let editor;  // an Editor, logged in (made in the /api separation tests)
let articleId;

before(async () => {
  ctx = await setup();
  const res = await ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title: 'auth' } } });
  expectStatus(res, 201);
  articleId = res.json.data.documentId;
});

after(async () => {
  await ctx?.teardown();
});

const RL_MESSAGE = 'Too many requests, please try again later.';

function assertUser(u, { roles } = {}) {
  assert.deepEqual(Object.keys(u), roles ? [...USER_KEYS, 'roles'] : USER_KEYS);
  assert.equal(typeof u.id, 'number');
  assert.match(u.documentId, DOCUMENT_ID);
  assert.equal(u.username, null);
  assert.equal(u.blocked, false);
  assert.equal(u.preferedLanguage, null);
  assert.equal(u.locale, null);
  for (const k of ['createdAt', 'updatedAt', 'publishedAt']) assert.match(u[k], ISO_DATETIME, k);
  if (roles) {
    for (const r of u.roles) assert.deepEqual(Object.keys(r), ROLE_SUMMARY_KEYS);
  }
}

describe('bootstrap: init and register-admin (transcript §1)', () => {
  test('GET /admin/init before any admin -> hasAdmin false', async () => {
    const res = await ctx.server.get('/admin/init');
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: { uuid: false, hasAdmin: false, menuLogo: null, authLogo: null } });
  });

  test('the Admin API answers 401 before an admin exists, too', async () => {
    expectAdminUnauthorized(await ctx.server.get('/admin/users/me'));
  });

  test('register-admin with a bad email and a weak password -> 4 errors, exactly as recorded', async () => {
    const res = await ctx.server.post('/admin/register-admin', { body: { email: 'nope', password: 'x', firstname: 'A' } });
    expectError(res, 400, 'ValidationError', '4 errors occurred', {
      errors: [
        { path: ['email'], message: 'email must be a valid email', name: 'ValidationError', value: 'nope' },
        { path: ['password'], message: 'password must be at least 8 characters', name: 'ValidationError', value: 'x' },
        { path: ['password'], message: 'password must contain at least one uppercase character', name: 'ValidationError', value: 'x' },
        { path: ['password'], message: 'password must contain at least one number', name: 'ValidationError', value: 'x' },
      ],
    });
  });

  test('register-admin with a password lacking a lower-case letter -> that rule', async () => {
    const res = await ctx.server.post('/admin/register-admin', {
      body: { email: 'upper@example.com', password: 'UPPER12345', firstname: 'U' },
    });
    expectError(res, 400, 'ValidationError', 'password must contain at least one lowercase character', {
      errors: [{
        path: ['password'], message: 'password must contain at least one lowercase character', name: 'ValidationError', value: 'UPPER12345',
      }],
    });
  });

  test('a failed register-admin creates nothing: hasAdmin is still false', async () => {
    const res = await ctx.server.get('/admin/init');
    assert.equal(res.json.data.hasAdmin, false);
  });

  test('register-admin -> 200 {data:{token, accessToken, user}} with the Super Admin role', async () => {
    const t0 = Date.now();
    const res = await ctx.server.post('/admin/register-admin', { body: ADMIN });
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json), ['data']);
    assert.deepEqual(Object.keys(res.json.data), ['token', 'accessToken', 'user']);
    const { token, accessToken, user } = res.json.data;
    assert.match(token, JWT);
    assert.equal(accessToken, token);
    assertUser(user, { roles: true });
    assert.equal(user.firstname, 'Ada');
    assert.equal(user.lastname, 'Admin');
    assert.equal(user.email, 'admin@example.com');
    assert.equal(user.isActive, true);
    assert.ok(Math.abs(Date.parse(user.createdAt) - t0) < 10_000);
    assert.equal(user.roles.length, 1);
    assert.deepEqual(
      { ...user.roles[0], id: 0 },
      { id: 0, name: 'Super Admin', description: ROLE_DESCRIPTIONS[SUPER_ADMIN], code: SUPER_ADMIN },
    );
    assert.ok(!('password' in user));
    admin = new AdminClient(ctx.server, token, user);
  });

  test('the session JWT: HS256, an expiry in the future', () => {
    const { header, payload } = decodeJwt(admin.token);
    assert.equal(header.alg, 'HS256');
    assert.equal(typeof payload.exp, 'number');
    assert.ok(payload.exp * 1000 > Date.now(), 'exp is in the past');
  });

  test('GET /admin/init afterwards -> hasAdmin true', async () => {
    const res = await ctx.server.get('/admin/init');
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: { uuid: false, hasAdmin: true, menuLogo: null, authLogo: null } });
  });

  test('register-admin a second time -> 400 "You cannot register a new super admin"', async () => {
    const res = await ctx.server.post('/admin/register-admin', {
      body: { email: 'other@example.com', password: 'Admin12345', firstname: 'B', lastname: 'C' },
    });
    expectError(res, 400, 'ApplicationError', 'You cannot register a new super admin');
  });

  test('the default "Read Only" and "Full Access" tokens (made at first boot) exist once', async () => {
    const res = await admin.get('/admin/api-tokens');
    expectStatus(res, 200);
    const list = res.json.data.map((t) => t.name);
    assert.equal(list.filter((n) => n === 'Read Only').length, 1);
    assert.equal(list.filter((n) => n === 'Full Access').length, 1);
  });
});

describe('login (transcript §1)', () => {
  // The admin's email is used for at most 4 /admin/login requests in this file.
  test('wrong password -> 400 ApplicationError "Invalid credentials"', async () => {
    const res = await ctx.server.post('/admin/login', { body: { email: ADMIN.email, password: 'Wrong12345' } });
    expectError(res, 400, 'ApplicationError', 'Invalid credentials');
  });

  test('missing fields -> 400 ApplicationError "Missing credentials"', async () => {
    expectError(await ctx.server.post('/admin/login', { body: {} }), 400, 'ApplicationError', 'Missing credentials');
  });

  test('missing password -> "Missing credentials"', async () => {
    const res = await ctx.server.post('/admin/login', { body: { email: 'nobody-at-all@example.com' } });
    expectError(res, 400, 'ApplicationError', 'Missing credentials');
  });

  test('unknown email -> "Invalid credentials" (no user enumeration)', async () => {
    const res = await ctx.server.post('/admin/login', { body: { email: 'nobody@example.com', password: 'Admin12345' } });
    expectError(res, 400, 'ApplicationError', 'Invalid credentials');
  });

  test('login -> 200 {data:{token, accessToken, user}}; the user has no roles key and no password', async () => {
    const res = await ctx.server.post('/admin/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json.data), ['token', 'accessToken', 'user']);
    const { token, accessToken, user } = res.json.data;
    assert.match(token, JWT);
    assert.equal(accessToken, token);
    assert.notEqual(token, admin.token, 'a new session must get a new token');
    assertUser(user);
    assert.equal(user.id, admin.user.id);
    assert.equal(user.email, ADMIN.email);
    const me = await admin.as(token).get('/admin/users/me');
    expectStatus(me, 200);
    assert.equal(me.json.data.id, admin.user.id);
  });

  test('an inactive user with the right password -> 400 "User not active"', async () => {
    const u = await createUser(admin, { roles: [await roleId(admin, 'strapi-editor')] });
    const upd = await admin.put(`/admin/users/${u.id}`, { body: { isActive: false } });
    expectStatus(upd, 200);
    const res = await ctx.server.post('/admin/login', { body: { email: u.email, password: PASSWORD } });
    expectError(res, 400, 'ApplicationError', 'User not active');
  });

  test('a user created without a password cannot log in -> "Invalid credentials"', async () => {
    const u = await createUser(admin, { roles: [await roleId(admin, 'strapi-editor')], password: null });
    const res = await ctx.server.post('/admin/login', { body: { email: u.email, password: PASSWORD } });
    expectError(res, 400, 'ApplicationError', 'Invalid credentials');
  });
});

describe('login rate limit: 5 per 5 minutes per email+path+IP -> 429', () => {
  let email;

  before(async () => {
    email = (await createUser(admin, { roles: [await roleId(admin, 'strapi-editor')] })).email;
  });

  test('5 attempts are answered, the 6th (even with the right password) -> 429 RateLimitError', async () => {
    for (let i = 0; i < 5; i += 1) {
      const res = await ctx.server.post('/admin/login', { body: { email, password: `Wrong${i}2345` } });
      expectError(res, 400, 'ApplicationError', 'Invalid credentials');
    }
    const res = await ctx.server.post('/admin/login', { body: { email, password: PASSWORD } });
    expectError(res, 429, 'RateLimitError', RL_MESSAGE);
  });

  test('the limit is per email: another address is still answered', async () => {
    const res = await ctx.server.post('/admin/login', { body: { email: 'someone-else@example.com', password: 'Wrong12345' } });
    expectError(res, 400, 'ApplicationError', 'Invalid credentials');
  });

  test('the email is compared case-insensitively', async () => {
    const res = await ctx.server.post('/admin/login', { body: { email: email.toUpperCase(), password: PASSWORD } });
    expectError(res, 429, 'RateLimitError', RL_MESSAGE);
  });

  test('register-admin is limited the same way (after 5 refusals -> 429)', async () => {
    const body = { email: 'again@example.com', password: 'Admin12345', firstname: 'A', lastname: 'B' };
    for (let i = 0; i < 5; i += 1) {
      expectError(await ctx.server.post('/admin/register-admin', { body }), 400, 'ApplicationError',
        'You cannot register a new super admin');
    }
    expectError(await ctx.server.post('/admin/register-admin', { body }), 429, 'RateLimitError', RL_MESSAGE);
  });

  test('a rate-limited login does not affect existing sessions', async () => {
    expectStatus(await admin.get('/admin/users/me'), 200);
  });
});

describe('session JWTs', () => {
  test('GET /admin/users/me with the session -> 200, exactly the transcript shape (§12)', async () => {
    const res = await admin.get('/admin/users/me');
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json), ['data']);
    assertUser(res.json.data, { roles: true });
    assert.equal(res.json.data.email, ADMIN.email);
    assert.deepEqual(res.json.data.roles.map((r) => r.code), [SUPER_ADMIN]);
  });

  test('the same claims re-signed with our secret work (control for the next tests)', async () => {
    const { payload } = decodeJwt(admin.token);
    expectStatus(await admin.as(signJwt(payload)).get('/admin/users/me'), 200);
  });

  test('expired (re-signed with exp in the past) -> 401', async () => {
    const { payload } = decodeJwt(admin.token);
    const now = Math.floor(Date.now() / 1000);
    expectAdminUnauthorized(await admin.as(signJwt({ ...payload, iat: now - 7200, exp: now - 3600 })).get('/admin/users/me'));
  });

  test('signed with another secret -> 401', async () => {
    const { payload } = decodeJwt(admin.token);
    expectAdminUnauthorized(await admin.as(signJwt(payload, { secret: 'not-the-secret' })).get('/admin/users/me'));
  });

  test('tampered payload (signature not updated) -> 401', async () => {
    const [h, p, s] = admin.token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    claims.exp += 1;
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    expectAdminUnauthorized(await admin.as(forged).get('/admin/users/me'));
  });

  test('alg "none" -> 401', async () => {
    const { payload } = decodeJwt(admin.token);
    const b = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expectAdminUnauthorized(await admin.as(`${b({ alg: 'none', typ: 'JWT' })}.${b(payload)}.`).get('/admin/users/me'));
  });

  test('garbage "abc.def.ghi" -> 401 (transcript §12)', async () => {
    expectAdminUnauthorized(await admin.as('abc.def.ghi').get('/admin/api-tokens'));
  });

  test('the bearer scheme is case-insensitive; other schemes are refused', async () => {
    expectStatus(await ctx.server.get('/admin/users/me', { headers: { authorization: `bearer ${admin.token}` } }), 200);
    expectAdminUnauthorized(await ctx.server.get('/admin/users/me', { headers: { authorization: `Basic ${admin.token}` } }));
    expectAdminUnauthorized(await ctx.server.get('/admin/users/me', { headers: { authorization: admin.token } }));
  });
});

describe('logout', () => {
  test('POST /admin/logout -> 200 {data:{}}; that session JWT stops working at once, others keep working', async () => {
    const second = await login(ctx.server, ADMIN.email, ADMIN.password);
    expectStatus(await second.get('/admin/users/me'), 200);
    const res = await second.post('/admin/logout');
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: {} });
    expectAdminUnauthorized(await second.get('/admin/users/me'));
    expectAdminUnauthorized(await second.get('/admin/api-tokens'));
    expectStatus(await admin.get('/admin/users/me'), 200);
  });

  test('a re-signed copy of a logged-out session is refused too (the session is gone server-side)', async () => {
    const third = await login(ctx.server, ADMIN.email, ADMIN.password);
    const { payload } = decodeJwt(third.token);
    expectStatus(await third.post('/admin/logout'), 200);
    expectAdminUnauthorized(await admin.as(signJwt(payload)).get('/admin/users/me'));
  });

  test('POST /admin/logout without credentials -> 401', async () => {
    expectAdminUnauthorized(await ctx.server.post('/admin/logout'));
  });
});

describe('users/me', () => {
  let me; // a separate administrator, so that the admin's own profile stays as registered

  before(async () => {
    me = await newUser(admin, [await roleId(admin, 'strapi-editor')], { email: 'me@example.com', firstname: 'Mia', lastname: 'Me' });
  });

  test('an Editor: GET /admin/users/me -> 200 with the Editor role', async () => {
    const res = await me.get('/admin/users/me');
    expectStatus(res, 200);
    assertUser(res.json.data, { roles: true });
    assert.deepEqual(res.json.data.roles.map((r) => r.code), ['strapi-editor']);
    assert.equal(res.json.data.email, 'me@example.com');
  });

  test('GET /admin/users/me/permissions -> {data:[...]} with content-manager permissions only', async () => {
    const res = await me.get('/admin/users/me/permissions');
    expectStatus(res, 200);
    assert.ok(Array.isArray(res.json.data));
    const actions = res.json.data.map((p) => p.action);
    assert.ok(
      res.json.data.some((p) => p.action === 'plugin::content-manager.explorer.read' && p.subject === 'api::article.article'),
      JSON.stringify(res.json.data),
    );
    assert.ok(!actions.some((a) => a.startsWith('admin::')), `an Editor holds admin permissions: ${actions}`);
  });

  test('GET /admin/users/me/permissions for the super admin -> 200 array', async () => {
    const res = await admin.get('/admin/users/me/permissions');
    expectStatus(res, 200);
    assert.ok(Array.isArray(res.json.data));
  });

  test('PUT /admin/users/me {firstname, lastname} -> 200 {data: user}; GET reflects it', async () => {
    const res = await me.put('/admin/users/me', { body: { firstname: 'Maya', lastname: 'Mee' } });
    expectStatus(res, 200);
    assert.equal(res.json.data.firstname, 'Maya');
    assert.equal(res.json.data.lastname, 'Mee');
    assert.ok(!('password' in res.json.data));
    const got = await me.get('/admin/users/me');
    assert.equal(got.json.data.firstname, 'Maya');
  });

  test('PUT /admin/users/me a new password with a wrong currentPassword -> 400 BadRequestError', async () => {
    const res = await me.put('/admin/users/me', { body: { password: 'Changed12345', currentPassword: 'Wrong12345' } });
    expectError(res, 400, 'BadRequestError', 'ValidationError', { currentPassword: ['Invalid credentials'] });
  });

  test('PUT /admin/users/me a new password without currentPassword -> 400 ValidationError', async () => {
    const res = await me.put('/admin/users/me', { body: { password: 'Changed12345' } });
    expectError(res, 400, 'ValidationError', 'currentPassword is a required field', ANY_DETAILS);
  });

  test('PUT /admin/users/me a weak password -> 400 ValidationError', async () => {
    const res = await me.put('/admin/users/me', { body: { password: 'weak', currentPassword: PASSWORD } });
    expectError(res, 400, 'ValidationError', /./, ANY_DETAILS);
  });

  test('PUT /admin/users/me a new password with the right currentPassword -> 200; the new one logs in', async () => {
    const res = await me.put('/admin/users/me', { body: { password: 'Changed12345', currentPassword: PASSWORD } });
    expectStatus(res, 200);
    const old = await ctx.server.post('/admin/login', { body: { email: 'me@example.com', password: PASSWORD } });
    expectError(old, 400, 'ApplicationError', 'Invalid credentials');
    await login(ctx.server, 'me@example.com', 'Changed12345');
  });

  test('without credentials -> 401 on GET, PUT and permissions', async () => {
    expectAdminUnauthorized(await ctx.server.get('/admin/users/me'));
    expectAdminUnauthorized(await ctx.server.put('/admin/users/me', { body: { firstname: 'x' } }));
    expectAdminUnauthorized(await ctx.server.get('/admin/users/me/permissions'));
  });
});

// ---- separation: every route family --------------------------------------------------------

const ADMIN_ROUTES = [
  ['GET', '/admin/users/me'],
  ['PUT', '/admin/users/me', { firstname: 'x' }],
  ['GET', '/admin/users/me/permissions'],
  ['POST', '/admin/logout'],
  ['GET', '/admin/users'],
  ['POST', '/admin/users', { email: 'sep@example.com', firstname: 'S', roles: [1] }],
  ['GET', '/admin/users/1'],
  ['PUT', '/admin/users/1', { firstname: 'x' }],
  ['DELETE', '/admin/users/999'],
  ['GET', '/admin/roles'],
  ['POST', '/admin/roles', { name: 'sep' }],
  ['GET', '/admin/roles/1'],
  ['PUT', '/admin/roles/2', { description: 'x' }],
  ['DELETE', '/admin/roles/999'],
  ['GET', '/admin/roles/2/permissions'],
  ['PUT', '/admin/roles/2/permissions', { permissions: [] }],
  ['GET', '/admin/permissions'],
  ['GET', '/admin/api-tokens'],
  ['POST', '/admin/api-tokens', { name: 'sep', type: 'read-only' }],
  ['GET', '/admin/api-tokens/1'],
  ['PUT', '/admin/api-tokens/1', { description: 'x' }],
  ['DELETE', '/admin/api-tokens/999'],
  ['POST', '/admin/api-tokens/1/regenerate'],
  ['GET', '/admin/admin-tokens'],
  ['POST', '/admin/admin-tokens', { name: 'sep' }],
  ['GET', '/admin/admin-tokens/999'],
  ['PUT', '/admin/admin-tokens/999', { description: 'x' }],
  ['DELETE', '/admin/admin-tokens/999'],
  ['POST', '/admin/admin-tokens/999/regenerate'],
  ['GET', '/admin/admin-tokens/999/owner-permissions'],
  ['GET', '/admin/content-api/permissions'],
  ['GET', '/admin/content-api/routes'],
  ['GET', '/admin/content-api/public-permissions'],
  ['PUT', '/admin/content-api/public-permissions', { actions: [] }],
  ['GET', '/content-manager/collection-types/api::article.article'],
  ['POST', '/content-manager/collection-types/api::article.article', { title: 'sep' }],
  ['GET', '/content-manager/collection-types/api::article.article/x'],
  ['PUT', '/content-manager/collection-types/api::article.article/x', { title: 'sep' }],
  ['DELETE', '/content-manager/collection-types/api::article.article/x'],
  ['GET', '/content-manager/single-types/api::homepage.homepage'],
  ['PUT', '/content-manager/single-types/api::homepage.homepage', { heading: 'sep' }],
  ['DELETE', '/content-manager/single-types/api::homepage.homepage'],
];

describe('separation: credentials that are not admin credentials on every /admin and /content-manager route -> 401', () => {
  const creds = {};

  before(async () => {
    creds.cliFull = ctx.full;
    creds.adminMadeFull = (await createApiToken(admin, { type: 'full-access' })).accessKey;
    const def = await admin.get('/admin/api-tokens/2'); // the default "Full Access" token
    expectStatus(def, 200);
    creds.defaultFull = def.json.data.accessKey;
    creds.custom = (await createApiToken(admin, { type: 'custom', permissions: [A('find')] })).accessKey;
  });

  const kinds = [
    ['no Authorization header', () => undefined],
    ['a full-access content-API token (CLI)', () => creds.cliFull],
    ['a full-access content-API token (Admin API)', () => creds.adminMadeFull],
    ['the default "Full Access" token', () => creds.defaultFull],
    ['a custom content-API token', () => creds.custom],
    ['an unknown 256-hex token', () => 'f'.repeat(256)],
    ['a garbage JWT', () => 'abc.def.ghi'],
  ];

  for (const [label, cred] of kinds) {
    test(`${label}: 401 "Missing or invalid credentials" on all ${ADMIN_ROUTES.length} routes`, async () => {
      for (const [method, path, body] of ADMIN_ROUTES) {
        const res = await ctx.server.api(method, path, { token: cred(), body });
        expectAdminUnauthorized(res);
      }
    });
  }

  test('the content-API tokens still work on /api afterwards (nothing was revoked)', async () => {
    expectStatus(await ctx.server.get('/api/articles', { token: creds.defaultFull }), 200);
    expectStatus(await ctx.server.get('/api/articles', { token: creds.custom }), 200);
  });

  test('the admin session still works on every GET route family', async () => {
    for (const [method, path] of ADMIN_ROUTES) {
      if (method !== 'GET' || /\/(999|x)(\/|$)/.test(path)) continue;
      const res = await admin.get(path);
      assert.ok(res.status === 200 || res.status === 404, `${path} -> ${res.status} ${res.text}`);
      assert.notEqual(res.status, 401, path);
    }
  });

  test('public admin routes need no credentials: /admin/init, /admin/login', async () => {
    expectStatus(await ctx.server.get('/admin/init', { token: creds.cliFull }), 200);
    const res = await ctx.server.post('/admin/login', { token: creds.cliFull, body: {} });
    expectError(res, 400, 'ApplicationError', 'Missing credentials');
  });

  test('an unknown /admin route -> 404, credentials or not', async () => {
    expectError(await ctx.server.get('/admin/nope'), 404, 'NotFoundError', 'Not Found');
    expectError(await admin.get('/admin/nope'), 404, 'NotFoundError', 'Not Found');
  });
});

const API_ROUTES = [
  ['GET', '/api/articles'],
  ['GET', () => `/api/articles/${articleId}`],
  ['POST', '/api/articles', { data: { title: 'nope' } }],
  ['PUT', () => `/api/articles/${articleId}`, { data: { title: 'nope' } }],
  ['DELETE', () => `/api/articles/${articleId}`],
  ['GET', '/api/homepage'],
  ['PUT', '/api/homepage', { data: { heading: 'nope' } }],
  ['GET', '/api/products'],
  ['GET', '/api/posts'],
];

describe('separation: admin credentials on /api -> 401 "Missing or invalid credentials"', () => {
  let adminToken; // an admin token of the super admin, holding every content-manager permission
  let bareToken; // an admin token without permissions

  before(async () => {
    editor = await newUser(admin, [await roleId(admin, 'strapi-editor')]);
    const all = [];
    for (const uid of ['api::article.article', 'api::homepage.homepage', 'api::product.product', 'api::post.post']) {
      for (const op of ['read', 'create', 'update', 'delete']) all.push(perm(`plugin::content-manager.explorer.${op}`, uid));
    }
    adminToken = (await createAdminToken(admin, { adminPermissions: all })).accessKey;
    bareToken = (await createAdminToken(admin, {})).accessKey;
  });

  const kinds = [
    ['the super admin session JWT', () => admin.token],
    ['an Editor session JWT', () => editor.token],
    ['an admin token with content-manager permissions', () => adminToken],
    ['an admin token without permissions', () => bareToken],
  ];

  for (const [label, cred] of kinds) {
    test(`${label}: 401 on every /api route, and nothing is written`, async () => {
      for (const [method, p, body] of API_ROUTES) {
        const path = typeof p === 'function' ? p() : p;
        expectUnauthorized(await ctx.server.api(method, path, { token: cred(), body }));
      }
      const res = await ctx.server.get(`/api/articles/${articleId}`, { token: ctx.full });
      expectStatus(res, 200);
      assert.equal(res.json.data.title, 'auth');
    });
  }

  test('the admin token works on /admin (control)', async () => {
    expectStatus(await admin.as(adminToken).get('/content-manager/collection-types/api::article.article'), 200);
  });

  test('without any header /api still answers 403 (Public grants nothing)', async () => {
    expectForbidden(await ctx.server.get('/api/articles'));
  });
});

describe('credentials do not leak across users', () => {
  test('an Editor session sees its own profile, not the admin one', async () => {
    const res = await editor.get('/admin/users/me');
    expectStatus(res, 200);
    assert.notEqual(res.json.data.id, admin.user.id);
  });
});
