// Public access (GET/PUT /admin/content-api/public-permissions: content-API
// actions granted to requests without credentials, default nothing) and the
// content manager (/content-manager/collection-types/:uid and
// /content-manager/single-types/:uid, Strapi 5's shapes: list
// {results, pagination}, entries {data}), guarded by
// plugin::content-manager.explorer.* on the content type.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  adminSetup, cm, createAdminToken, expectAdminUnauthorized, expectPolicyFailed, newUser, perm, roleId,
  userWithPermissions, A, ARTICLE, H, HOMEPAGE, PRODUCT, AUTHOR, EDITOR,
} from './lib/admin.mjs';
import {
  ANY_DETAILS, DOCUMENT_ID, expectError, expectFieldError, expectForbidden, expectNotFound, expectStatus,
  expectUnauthorized, uniq,
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

const PUBLIC = '/admin/content-api/public-permissions';
const CT = (uid = ARTICLE) => `/content-manager/collection-types/${uid}`;
const ST = (uid = HOMEPAGE) => `/content-manager/single-types/${uid}`;

async function newArticle(fields = {}) {
  const res = await ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title: uniq('art'), ...fields } } });
  expectStatus(res, 201);
  return res.json.data;
}

const restGet = (path) => ctx.server.get(path, { token: ctx.full });

/**
 * A content-manager create: Strapi 5 answers 200 (the controller sets the body, never 201); the
 * exact status is asserted in one test below, the other tests accept either and check the body.
 */
function cmCreated(res) {
  assert.ok(res.status === 200 || res.status === 201, `${res.method} ${res.path} -> ${res.status}\n${res.text}`);
  assert.ok(res.json?.data && typeof res.json.data === 'object', res.text);
  return res.json.data;
}

// ---- public access ------------------------------------------------------------------------------

describe('public access', () => {
  const put = (actions, client = admin) => client.put(PUBLIC, { body: { actions } });
  const publicActions = async () => {
    const res = await admin.get(PUBLIC);
    expectStatus(res, 200);
    return [...res.json.data.actions].sort();
  };
  let art;

  before(async () => {
    art = await newArticle({ views: 1 });
  });

  test('default: nothing is public; GET -> {data:{actions:[]}}; /api without a header -> 403', async () => {
    const res = await admin.get(PUBLIC);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: { actions: [] } });
    expectForbidden(await ctx.server.get('/api/articles'));
    expectForbidden(await ctx.server.get('/api/homepage'));
  });

  test('grant api::article.article.find -> 200 {data:{actions}}; GET /api/articles without a header -> 200', async () => {
    const res = await put([A('find')]);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: { actions: [A('find')] } });
    assert.deepEqual(await publicActions(), [A('find')]);
    const list = await ctx.server.get('/api/articles');
    expectStatus(list, 200);
    assert.ok(list.json.data.some((a) => a.documentId === art.documentId));
    assert.equal(typeof list.json.meta.pagination.total, 'number');
  });

  test('only that action: findOne, create, update, delete and other types stay 403 and write nothing', async () => {
    expectForbidden(await ctx.server.get(`/api/articles/${art.documentId}`));
    expectForbidden(await ctx.server.post('/api/articles', { body: { data: { title: 'public write' } } }));
    expectForbidden(await ctx.server.put(`/api/articles/${art.documentId}`, { body: { data: { title: 'x' } } }));
    expectForbidden(await ctx.server.del(`/api/articles/${art.documentId}`));
    expectForbidden(await ctx.server.get('/api/products'));
    expectForbidden(await ctx.server.get('/api/homepage'));
    const check = await restGet(`/api/articles/${art.documentId}`);
    assert.equal(check.json.data.title, art.title);
    const all = await restGet('/api/articles?filters[title][$eq]=public write');
    assert.equal(all.json.meta.pagination.total, 0);
  });

  test('credentials are still checked: an invalid bearer -> 401, an admin JWT -> 401, a read-only token -> its own rights', async () => {
    expectUnauthorized(await ctx.server.get('/api/articles', { token: 'nope' }));
    expectUnauthorized(await ctx.server.get('/api/articles', { token: admin.token }));
    const ro = await ctx.server.get('/admin/api-tokens/1', { token: admin.token });
    expectStatus(await ctx.server.get(`/api/articles/${art.documentId}`, { token: ro.json.data.accessKey }), 200);
  });

  test('a header that is not a bearer token counts as no header: public rights apply', async () => {
    expectStatus(await ctx.server.get('/api/articles', { headers: { authorization: 'Basic abc' } }), 200);
  });

  test('PUT replaces the set: homepage find + article findOne', async () => {
    await ctx.server.put('/api/homepage', { token: ctx.full, body: { data: { heading: 'Public home' } } });
    const res = await put([H('find'), A('findOne')]);
    expectStatus(res, 200);
    assert.deepEqual([...res.json.data.actions].sort(), [A('findOne'), H('find')]);
    expectForbidden(await ctx.server.get('/api/articles'));
    expectStatus(await ctx.server.get(`/api/articles/${art.documentId}`), 200);
    const home = await ctx.server.get('/api/homepage');
    expectStatus(home, 200);
    assert.equal(home.json.data.heading, 'Public home');
  });

  test('granting write actions publicly works too (create)', async () => {
    expectStatus(await put([A('create')]), 200);
    const res = await ctx.server.post('/api/articles', { body: { data: { title: 'anonymous' } } });
    expectStatus(res, 201);
    assert.equal(res.json.data.title, 'anonymous');
  });

  test('an unknown action -> 400 ValidationError; the set is unchanged', async () => {
    expectError(await put(['api::nope.nope.find']), 400, 'ValidationError', /./, ANY_DETAILS);
    expectError(await put([A('find'), 'api::article.article.publish']), 400, 'ValidationError', /./, ANY_DETAILS);
    expectError(await put(['admin::users.read']), 400, 'ValidationError', /./, ANY_DETAILS);
    assert.deepEqual(await publicActions(), [A('create')]);
  });

  test('a malformed body -> 400 ValidationError', async () => {
    expectError(await admin.put(PUBLIC, { body: { actions: A('find') } }), 400, 'ValidationError', /./, ANY_DETAILS);
    expectError(await admin.put(PUBLIC, { body: { actions: [1] } }), 400, 'ValidationError', /./, ANY_DETAILS);
    expectError(await admin.put(PUBLIC, { body: {} }), 400, 'ValidationError', /./, ANY_DETAILS);
    assert.deepEqual(await publicActions(), [A('create')]);
  });

  test('PUT [] -> nothing is public again', async () => {
    const res = await put([]);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: { actions: [] } });
    expectForbidden(await ctx.server.post('/api/articles', { body: { data: { title: 'x' } } }));
    expectForbidden(await ctx.server.get('/api/homepage'));
  });

  test('permissions: an Editor -> 403 PolicyError on GET and PUT', async () => {
    const editor = await newUser(admin, [await roleId(admin, EDITOR)]);
    expectPolicyFailed(await editor.get(PUBLIC));
    expectPolicyFailed(await put([A('find')], editor));
  });

  test('permissions: public-permissions.read allows GET only; .update allows PUT', async () => {
    const reader = await userWithPermissions(admin, [perm('admin::public-permissions.read')]);
    expectStatus(await reader.get(PUBLIC), 200);
    expectPolicyFailed(await put([A('find')], reader));
    const writer = await userWithPermissions(admin, [perm('admin::public-permissions.update')]);
    expectPolicyFailed(await writer.get(PUBLIC));
    expectStatus(await put([A('find')], writer), 200);
    expectStatus(await ctx.server.get('/api/articles'), 200);
    expectStatus(await put([]), 200);
  });

  test('an admin token holding public-permissions.update can change them', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [perm('admin::public-permissions.update')] });
    expectStatus(await put([A('find')], admin.as(t.accessKey)), 200);
    expectStatus(await ctx.server.get('/api/articles'), 200);
    expectStatus(await put([]), 200);
    expectForbidden(await ctx.server.get('/api/articles'));
  });

  test('without admin credentials -> 401 (none, or a content-API token)', async () => {
    expectAdminUnauthorized(await ctx.server.get(PUBLIC));
    expectAdminUnauthorized(await ctx.server.put(PUBLIC, { body: { actions: [] } }));
    expectAdminUnauthorized(await ctx.server.get(PUBLIC, { token: ctx.full }));
    expectAdminUnauthorized(await ctx.server.put(PUBLIC, { token: ctx.full, body: { actions: [A('find')] } }));
    assert.deepEqual(await publicActions(), []);
  });
});

// ---- content manager: collection types ------------------------------------------------------------

describe('content manager: collection types (super admin)', () => {
  const titles = [];

  before(async () => {
    for (const views of [30, 10, 20]) {
      const a = await newArticle({ title: `cm-${views}`, views, published: views > 15 });
      titles.push(a.title);
    }
  });

  test('GET list -> {results, pagination:{page,pageSize,pageCount,total}}', async () => {
    const res = await admin.get(CT());
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['pagination', 'results']);
    const { results, pagination } = res.json;
    assert.deepEqual(Object.keys(pagination).sort(), ['page', 'pageCount', 'pageSize', 'total']);
    assert.equal(pagination.page, 1);
    assert.equal(typeof pagination.pageSize, 'number');
    const all = await restGet('/api/articles?pagination[pageSize]=100');
    assert.equal(pagination.total, all.json.meta.pagination.total);
    for (const t of titles) assert.ok(results.some((r) => r.title === t), `${t} missing`);
    for (const r of results) {
      assert.match(r.documentId, DOCUMENT_ID);
      assert.equal(typeof r.id, 'number');
    }
  });

  test('filters (REST syntax) and sort', async () => {
    const res = await admin.get(`${CT()}?filters[title][$startsWith]=cm-&sort=views:desc`);
    expectStatus(res, 200);
    assert.deepEqual(res.json.results.map((r) => r.views), [30, 20, 10]);
    assert.equal(res.json.pagination.total, 3);
  });

  test('$and filters as the admin panel sends them, sort ASC in upper case', async () => {
    const res = await admin.get(`${CT()}?filters[$and][0][title][$startsWith]=cm-&filters[$and][1][published][$eq]=true&sort=views:ASC`);
    expectStatus(res, 200);
    assert.deepEqual(res.json.results.map((r) => r.views), [20, 30]);
  });

  test('page and pageSize', async () => {
    const res = await admin.get(`${CT()}?filters[title][$startsWith]=cm-&sort=views:asc&page=2&pageSize=2`);
    expectStatus(res, 200);
    assert.deepEqual(res.json.results.map((r) => r.views), [30]);
    assert.deepEqual(res.json.pagination, { page: 2, pageSize: 2, pageCount: 2, total: 3 });
  });

  test('an invalid filter -> 400 ValidationError', async () => {
    const res = await admin.get(`${CT()}?filters[nope][$eq]=1`);
    expectError(res, 400, 'ValidationError', /./, ANY_DETAILS);
  });

  let doc;

  test('POST with the attributes as the body (not wrapped in data) -> {data}', async () => {
    const res = await admin.post(CT(), { body: { title: 'From the CM', body: 'cm body', views: 42, published: true } });
    doc = cmCreated(res);
    assert.match(doc.documentId, DOCUMENT_ID);
    assert.equal(doc.title, 'From the CM');
    assert.equal(doc.body, 'cm body');
    assert.equal(doc.views, 42);
    assert.equal(doc.published, true);
    const rest = await restGet(`/api/articles/${doc.documentId}`);
    expectStatus(rest, 200);
    assert.equal(rest.json.data.title, 'From the CM');
    assert.equal(rest.json.data.views, 42);
  });

  test('POST answers 200, as Strapi 5\'s content manager (not 201)', async () => {
    expectStatus(await admin.post(CT(), { body: { title: 'status probe' } }), 200);
  });

  test('GET /:documentId -> 200 {data}', async () => {
    const res = await admin.get(`${CT()}/${doc.documentId}`);
    expectStatus(res, 200);
    assert.equal(res.json.data.documentId, doc.documentId);
    assert.equal(res.json.data.title, 'From the CM');
  });

  test('PUT /:documentId (partial attributes) -> 200 {data}; visible on /api', async () => {
    const res = await admin.put(`${CT()}/${doc.documentId}`, { body: { views: 43 } });
    expectStatus(res, 200);
    assert.equal(res.json.data.documentId, doc.documentId);
    assert.equal(res.json.data.views, 43);
    assert.equal(res.json.data.title, 'From the CM');
    const rest = await restGet(`/api/articles/${doc.documentId}`);
    assert.equal(rest.json.data.views, 43);
  });

  test('an invalid value -> 400 ValidationError, nothing written', async () => {
    expectError(await admin.put(`${CT()}/${doc.documentId}`, { body: { views: 'many' } }), 400, 'ValidationError', /./, ANY_DETAILS);
    expectError(await admin.post(CT(), { body: { title: 'bad', views: 'many' } }), 400, 'ValidationError', /./, ANY_DETAILS);
    const rest = await restGet(`/api/articles/${doc.documentId}`);
    assert.equal(rest.json.data.views, 43);
  });

  test('schema rules apply as on /api: product name minLength 2', async () => {
    expectFieldError(await admin.post(CT(PRODUCT), { body: { name: 'x' } }), 'name', 'name must be at least 2 characters', 'x');
    const ok = await admin.post(CT(PRODUCT), { body: { name: 'CM product', stock: 5 } });
    assert.equal(cmCreated(ok).name, 'CM product');
  });

  test('unknown documentId: GET 404, PUT 404, DELETE 404', async () => {
    expectNotFound(await admin.get(`${CT()}/doesnotexist000000000000`));
    expectError(await admin.put(`${CT()}/doesnotexist000000000000`, { body: { views: 1 } }), 404, 'NotFoundError', /./);
    expectNotFound(await admin.del(`${CT()}/doesnotexist000000000000`));
  });

  test('DELETE /:documentId -> 200; then GET 404 here and on /api', async () => {
    const res = await admin.del(`${CT()}/${doc.documentId}`);
    expectStatus(res, 200);
    expectNotFound(await admin.get(`${CT()}/${doc.documentId}`));
    expectNotFound(await restGet(`/api/articles/${doc.documentId}`));
  });

  test('an unknown content type -> 404', async () => {
    expectStatus(await admin.get(CT('api::nope.nope')), 404);
    expectStatus(await admin.post(CT('api::nope.nope'), { body: { title: 'x' } }), 404);
  });
});

// ---- content manager: single types -----------------------------------------------------------------

describe('content manager: single types (super admin)', () => {
  test('GET while absent -> 404', async () => {
    await ctx.server.del('/api/homepage', { token: ctx.full });
    expectNotFound(await admin.get(ST()));
  });

  test('PUT creates it -> 200 {data}; GET and /api/homepage agree', async () => {
    const res = await admin.put(ST(), { body: { heading: 'CM home', featured: 3 } });
    expectStatus(res, 200);
    assert.equal(res.json.data.heading, 'CM home');
    assert.equal(res.json.data.featured, 3);
    const got = await admin.get(ST());
    expectStatus(got, 200);
    assert.equal(got.json.data.documentId, res.json.data.documentId);
    assert.equal(got.json.data.heading, 'CM home');
    const rest = await restGet('/api/homepage');
    expectStatus(rest, 200);
    assert.equal(rest.json.data.heading, 'CM home');
    assert.equal(rest.json.data.documentId, res.json.data.documentId);
  });

  test('PUT again updates it partially', async () => {
    const res = await admin.put(ST(), { body: { tagline: 'hello' } });
    expectStatus(res, 200);
    assert.equal(res.json.data.heading, 'CM home');
    assert.equal(res.json.data.tagline, 'hello');
  });

  test('DELETE -> 200; then GET 404 here and on /api; DELETE again 404', async () => {
    expectStatus(await admin.del(ST()), 200);
    expectNotFound(await admin.get(ST()));
    expectNotFound(await restGet('/api/homepage'));
    expectNotFound(await admin.del(ST()));
  });
});

// ---- content manager: permissions -------------------------------------------------------------------

describe('content manager: permissions', () => {
  let art;

  before(async () => {
    art = await newArticle();
  });

  test('without admin credentials -> 401 (none, a content-API token)', async () => {
    expectAdminUnauthorized(await ctx.server.get(CT()));
    expectAdminUnauthorized(await ctx.server.get(CT(), { token: ctx.full }));
    expectAdminUnauthorized(await ctx.server.post(CT(), { token: ctx.full, body: { title: 'x' } }));
    expectAdminUnauthorized(await ctx.server.get(ST(), { token: ctx.full }));
  });

  test('an Editor: read, create, update and delete articles; the homepage too', async () => {
    const editor = await newUser(admin, [await roleId(admin, EDITOR)]);
    expectStatus(await editor.get(CT()), 200);
    const id = cmCreated(await editor.post(CT(), { body: { title: 'by editor' } })).documentId;
    expectStatus(await editor.get(`${CT()}/${id}`), 200);
    expectStatus(await editor.put(`${CT()}/${id}`, { body: { views: 5 } }), 200);
    expectStatus(await editor.del(`${CT()}/${id}`), 200);
    expectStatus(await editor.put(ST(), { body: { heading: 'editor home' } }), 200);
    expectStatus(await editor.get(ST()), 200);
  });

  test('an Author: read and create articles', async () => {
    const author = await newUser(admin, [await roleId(admin, AUTHOR)]);
    expectStatus(await author.get(CT()), 200);
    assert.equal(cmCreated(await author.post(CT(), { body: { title: 'by author' } })).title, 'by author');
  });

  test('read on article only: reads 200; create, update, delete -> 403 PolicyError and nothing changes', async () => {
    const u = await userWithPermissions(admin, [cm('read', ARTICLE)]);
    expectStatus(await u.get(CT()), 200);
    expectStatus(await u.get(`${CT()}/${art.documentId}`), 200);
    expectPolicyFailed(await u.post(CT(), { body: { title: 'no' } }));
    expectPolicyFailed(await u.put(`${CT()}/${art.documentId}`, { body: { title: 'no' } }));
    expectPolicyFailed(await u.del(`${CT()}/${art.documentId}`));
    const rest = await restGet(`/api/articles/${art.documentId}`);
    assert.equal(rest.json.data.title, art.title);
  });

  test('read on article does not cover other types: product and homepage -> 403', async () => {
    const u = await userWithPermissions(admin, [cm('read', ARTICLE)]);
    expectPolicyFailed(await u.get(CT(PRODUCT)));
    expectPolicyFailed(await u.get(ST()));
    expectPolicyFailed(await u.put(ST(), { body: { heading: 'no' } }));
  });

  test('create on article without read: POST works, GET 403', async () => {
    const u = await userWithPermissions(admin, [cm('create', ARTICLE)]);
    cmCreated(await u.post(CT(), { body: { title: 'blind create' } }));
    expectPolicyFailed(await u.get(CT()));
  });

  test('delete on article only: DELETE 200, PUT 403', async () => {
    const u = await userWithPermissions(admin, [cm('delete', ARTICLE)]);
    const victim = await newArticle();
    expectPolicyFailed(await u.put(`${CT()}/${victim.documentId}`, { body: { title: 'no' } }));
    expectStatus(await u.del(`${CT()}/${victim.documentId}`), 200);
    expectNotFound(await restGet(`/api/articles/${victim.documentId}`));
  });

  test('settings permissions do not grant content: api-tokens.read -> 403 on the content manager', async () => {
    const u = await userWithPermissions(admin, [perm('admin::api-tokens.read')]);
    expectPolicyFailed(await u.get(CT()));
  });

  test('the permission is checked before the lookup: unknown documentId without update -> 403, not 404', async () => {
    const u = await userWithPermissions(admin, [cm('read', ARTICLE)]);
    expectPolicyFailed(await u.put(`${CT()}/doesnotexist000000000000`, { body: { title: 'x' } }));
  });

  test('an admin token with CM read+update on article: GET and PUT work, POST 403', async () => {
    const t = await createAdminToken(admin, { adminPermissions: [cm('read', ARTICLE), cm('update', ARTICLE)] });
    const key = admin.as(t.accessKey);
    expectStatus(await key.get(CT()), 200);
    const res = await key.put(`${CT()}/${art.documentId}`, { body: { views: 77 } });
    expectStatus(res, 200);
    assert.equal(res.json.data.views, 77);
    expectPolicyFailed(await key.post(CT(), { body: { title: 'no' } }));
    const rest = await restGet(`/api/articles/${art.documentId}`);
    assert.equal(rest.json.data.views, 77);
  });
});
