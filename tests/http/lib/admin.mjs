// Helpers for the Admin API tests (tests/http/2*-admin-*.test.mjs).
//
// A test file calls adminSetup(): a fresh fixture project and server (the
// harness's setup(), with its CLI-made full-access content-API token in
// `ctx.full`), then the first super admin registered through
// POST /admin/register-admin, as `ctx.admin` (an AdminClient carrying the
// session JWT). Other administrators are made with newUser() and log in once
// each: /admin/login is rate limited (5 requests per 5 minutes per
// email+path+IP), so a file must not log the same email in more than 5 times.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  ACCESS_KEY, ADMIN_JWT_SECRET, expectError, expectStatus, setup, uniq,
} from './harness.mjs';

export const ADMIN = Object.freeze({
  email: 'admin@example.com', password: 'Admin12345', firstname: 'Ada', lastname: 'Admin',
});
/** The password given to every other administrator the tests create. */
export const PASSWORD = 'Editor12345';

export const SUPER_ADMIN = 'strapi-super-admin';
export const EDITOR = 'strapi-editor';
export const AUTHOR = 'strapi-author';

export const ROLE_DESCRIPTIONS = Object.freeze({
  [SUPER_ADMIN]: 'Super Admins can access and manage all features and settings.',
  [EDITOR]: 'Editors can manage and publish contents including those of other users.',
  [AUTHOR]: 'Authors can manage the content they have created.',
});

/** The user object of the transcript (§1 login), in its key order; GET /admin/users/me adds roles. */
export const USER_KEYS = [
  'id', 'documentId', 'firstname', 'lastname', 'username', 'email', 'isActive', 'blocked',
  'preferedLanguage', 'createdAt', 'updatedAt', 'publishedAt', 'locale',
];
export const ROLE_SUMMARY_KEYS = ['id', 'name', 'description', 'code'];

/** Content-API token objects (transcript §3, §5, §6, §14). */
export const TOKEN_KEYS = [
  'id', 'kind', 'name', 'description', 'lastUsedAt', 'type', 'lifespan', 'expiresAt',
  'createdAt', 'updatedAt', 'permissions',
];
/** GET /admin/api-tokens/:id orders the keys differently (transcript §2, §5). */
export const GET_TOKEN_KEYS = [
  'id', 'kind', 'name', 'description', 'lastUsedAt', 'lifespan', 'expiresAt',
  'createdAt', 'updatedAt', 'type', 'permissions',
];

export const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const LIFESPAN_MESSAGE = 'lifespan must be one of the following values: , 604800000, 2592000000, 7776000000';
export const TYPE_MESSAGE = 'type must be one of the following values: read-only, full-access, custom';

export const A = (action) => `api::article.article.${action}`;
export const H = (action) => `api::homepage.homepage.${action}`;
export const ARTICLE = 'api::article.article';
export const HOMEPAGE = 'api::homepage.homepage';
export const PRODUCT = 'api::product.product';
export const POST = 'api::post.post';

/** A permission for roles and admin tokens: {action, subject} (subject null for settings actions). */
export const perm = (action, subject = null) => ({ action, subject });
/** A content-manager permission on a content type: plugin::content-manager.explorer.<op>. */
export const cm = (op, subject) => perm(`plugin::content-manager.explorer.${op}`, subject);

// ---- a caller with a bearer credential ----------------------------------------

/**
 * A client for one bearer credential (an admin session JWT or an admin
 * token's key); methods mirror the harness's Server (get/post/put/del/api)
 * and add the Authorization header. Pass {token: undefined} in opts to send
 * none, or {headers:{authorization}} to override it.
 */
export class AdminClient {
  constructor(server, token, user = null) {
    this.server = server;
    this.token = token;
    this.user = user;
  }

  api(method, path, opts = {}) {
    return this.server.api(method, path, { token: this.token, ...opts });
  }

  get(path, opts) { return this.api('GET', path, opts); }
  post(path, opts) { return this.api('POST', path, opts); }
  put(path, opts) { return this.api('PUT', path, opts); }
  del(path, opts) { return this.api('DELETE', path, opts); }

  /** The same server with another credential. */
  as(token, user = null) {
    return new AdminClient(this.server, token, user);
  }
}

// ---- bootstrap, login ------------------------------------------------------------

export async function registerAdmin(server, body = ADMIN) {
  const res = await server.post('/admin/register-admin', { body });
  expectStatus(res, 200);
  assert.match(res.json?.data?.token ?? '', JWT, 'register-admin returned no JWT');
  return new AdminClient(server, res.json.data.token, res.json.data.user);
}

export async function login(server, email, password = PASSWORD) {
  const res = await server.post('/admin/login', { body: { email, password } });
  expectStatus(res, 200);
  assert.match(res.json?.data?.token ?? '', JWT, 'login returned no JWT');
  return new AdminClient(server, res.json.data.token, res.json.data.user);
}

/**
 * The usual set-up of an Admin API test file: the harness's setup() (project,
 * server, `full` content-API token) plus `admin`, the registered super admin.
 */
export async function adminSetup(opts) {
  const ctx = await setup(opts);
  try {
    ctx.admin = await registerAdmin(ctx.server);
  } catch (err) {
    await ctx.teardown().catch(() => {});
    throw err;
  }
  return ctx;
}

// ---- roles and users ---------------------------------------------------------------

/** GET /admin/roles, as a map code -> role. */
export async function rolesByCode(admin) {
  const res = await admin.get('/admin/roles');
  expectStatus(res, 200);
  assert.ok(Array.isArray(res.json.data), `roles list is not an array: ${res.text}`);
  return new Map(res.json.data.map((r) => [r.code, r]));
}

export async function roleId(admin, code) {
  const role = (await rolesByCode(admin)).get(code);
  assert.ok(role, `no role with code ${code}`);
  return role.id;
}

/** Create a role (POST /admin/roles) and set its permissions; returns the role. */
export async function createRole(admin, permissions = [], { name = uniq('role'), description = 'test role' } = {}) {
  const res = await admin.post('/admin/roles', { body: { name, description } });
  expectStatus(res, 201);
  const role = res.json.data;
  if (permissions.length > 0) await setRolePermissions(admin, role.id, permissions);
  return role;
}

export async function setRolePermissions(admin, id, permissions) {
  const res = await admin.put(`/admin/roles/${id}/permissions`, { body: { permissions } });
  expectStatus(res, 200);
  return res.json.data;
}

/** POST /admin/users (with a password unless `password: null`); returns the created user. */
export async function createUser(admin, { roles, email = `${uniq('user')}@example.com`, password = PASSWORD, firstname = 'Test', lastname = 'User' } = {}) {
  const body = { email, firstname, lastname, roles };
  if (password !== null) body.password = password;
  const res = await admin.post('/admin/users', { body });
  expectStatus(res, 201);
  return res.json.data;
}

/**
 * A new administrator holding `roles` (role ids), logged in: an AdminClient
 * whose `user` is the created user (with roles) and `email` its address.
 */
export async function newUser(admin, roles, opts = {}) {
  const user = await createUser(admin, { roles, ...opts });
  const client = await login(admin.server, user.email, opts.password ?? PASSWORD);
  client.user = user;
  client.email = user.email;
  return client;
}

/** A new administrator with a fresh role holding exactly `permissions`. */
export async function userWithPermissions(admin, permissions, opts = {}) {
  const role = await createRole(admin, permissions);
  const client = await newUser(admin, [role.id], opts);
  client.role = role;
  return client;
}

// ---- tokens ----------------------------------------------------------------------------

export async function createApiToken(admin, body = {}) {
  const res = await admin.post('/admin/api-tokens', { body: { name: uniq('api'), type: 'read-only', ...body } });
  expectStatus(res, 201);
  assert.match(res.json.data.accessKey, ACCESS_KEY);
  return res.json.data;
}

export async function createAdminToken(admin, body = {}) {
  const res = await admin.post('/admin/admin-tokens', { body: { name: uniq('adm'), ...body } });
  expectStatus(res, 201);
  assert.match(res.json.data.accessKey, ACCESS_KEY);
  return res.json.data;
}

// ---- assertions --------------------------------------------------------------------------

export const expectPolicyFailed = (res) => expectError(res, 403, 'PolicyError', 'Policy Failed');
export const expectAdminUnauthorized = (res) => expectError(res, 401, 'UnauthorizedError', 'Missing or invalid credentials');

/** [action, subject] pairs of a permission list, sorted (for set comparisons). */
export function pairs(permissions) {
  return permissions.map((p) => `${p.action} ${p.subject ?? ''}`.trim()).sort();
}

// ---- JWTs -----------------------------------------------------------------------------------

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function decodeJwt(token) {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

/** Sign a JWT with HS256 (default: the suite's ADMIN_JWT_SECRET). */
export function signJwt(payload, { secret = ADMIN_JWT_SECRET, header = { alg: 'HS256', typ: 'JWT' } } = {}) {
  const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = crypto.createHmac('sha256', secret).update(head).digest('base64url');
  return `${head}.${sig}`;
}
