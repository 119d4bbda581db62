// The official JavaScript client, @strapi/client (pinned in package.json),
// against tollgate: content reads and writes with API tokens made through the
// Admin API, and the errors it raises for rejected requests. The package must
// be installed (`npm ci` in tests/http); without it this file fails.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  adminSetup, createApiToken, A,
} from './lib/admin.mjs';
import { DOCUMENT_ID, expectStatus, uniq } from './lib/harness.mjs';

let strapiClient;
try {
  ({ strapi: strapiClient } = await import('@strapi/client'));
} catch (err) {
  throw new Error(
    '@strapi/client is not installed: run `npm ci` in tests/http (it is pinned in tests/http/package.json)',
    { cause: err },
  );
}

let ctx;
let full;     // full-access key
let readOnly; // read-only key
let custom;   // custom [article.find]

before(async () => {
  ctx = await adminSetup();
  full = (await createApiToken(ctx.admin, { name: 'client full', type: 'full-access' })).accessKey;
  readOnly = (await createApiToken(ctx.admin, { name: 'client read-only', type: 'read-only' })).accessKey;
  custom = (await createApiToken(ctx.admin, { name: 'client custom', type: 'custom', permissions: [A('find')] })).accessKey;
});

after(async () => {
  await ctx?.teardown();
});

const client = (auth) => strapiClient({ baseURL: `${ctx.server.baseUrl}/api`, ...(auth === undefined ? {} : { auth }) });

/** Run `fn`, expect the client to throw `errorName` with an HTTP `status`; returns the error. */
async function rejects(fn, errorName, status) {
  let caught;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected ${errorName}, but the call succeeded`);
  assert.equal(caught.name, errorName, `${caught.name}: ${caught.message}`);
  assert.equal(caught.response?.status, status);
  return caught;
}

async function errorBody(err) {
  try {
    return await err.response.clone().json();
  } catch {
    return undefined; // body already consumed by the client
  }
}

describe('collection type with a full-access token', () => {
  let doc;

  test('create: {data:{...}} is sent and the created document comes back', async () => {
    const articles = client(full).collection('articles');
    const res = await articles.create({ title: 'From the client', body: 'Hello', views: 3, published: true });
    assert.deepEqual(Object.keys(res), ['data', 'meta']);
    doc = res.data;
    assert.match(doc.documentId, DOCUMENT_ID);
    assert.equal(doc.title, 'From the client');
    assert.equal(doc.body, 'Hello');
    assert.equal(doc.views, 3);
    assert.equal(doc.published, true);
  });

  test('find: the list with meta.pagination', async () => {
    const res = await client(full).collection('articles').find();
    assert.ok(Array.isArray(res.data));
    assert.ok(res.data.some((a) => a.documentId === doc.documentId));
    assert.deepEqual(Object.keys(res.meta.pagination).sort(), ['page', 'pageCount', 'pageSize', 'total']);
    assert.equal(res.meta.pagination.total, res.data.length);
  });

  test('find with filters, sort, pagination and fields (serialised by the client)', async () => {
    const articles = client(full).collection('articles');
    await articles.create({ title: 'client-b', views: 10 });
    await articles.create({ title: 'client-c', views: 20 });
    const res = await articles.find({
      filters: { title: { $startsWith: 'client-' } },
      sort: 'views:desc',
      pagination: { page: 1, pageSize: 1 },
      fields: ['title'],
    });
    assert.deepEqual(res.data.map((a) => a.title), ['client-c']);
    assert.deepEqual(Object.keys(res.data[0]), ['id', 'documentId', 'title']);
    assert.deepEqual(res.meta.pagination, { page: 1, pageSize: 1, pageCount: 2, total: 2 });
  });

  test('findOne', async () => {
    const res = await client(full).collection('articles').findOne(doc.documentId);
    assert.deepEqual(res, { data: doc, meta: {} });
  });

  test('update', async () => {
    const res = await client(full).collection('articles').update(doc.documentId, { views: 4 });
    assert.equal(res.data.documentId, doc.documentId);
    assert.equal(res.data.views, 4);
    assert.equal(res.data.title, 'From the client');
  });

  test('delete resolves, then findOne rejects with HTTPNotFoundError', async () => {
    const articles = client(full).collection('articles');
    assert.equal(await articles.delete(doc.documentId), undefined);
    const err = await rejects(() => articles.findOne(doc.documentId), 'HTTPNotFoundError', 404);
    const body = await errorBody(err);
    if (body) assert.equal(body.error.name, 'NotFoundError');
  });

  test('fetch(): a raw request relative to baseURL with the token', async () => {
    const res = await client(full).fetch('/articles?pagination[pageSize]=1');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.meta.pagination.pageSize, 1);
  });
});

describe('single type with a full-access token', () => {
  test('update (creates), find, delete, then find rejects with 404', async () => {
    const homepage = client(full).single('homepage');
    const put = await homepage.update({ heading: 'Client home', featured: 7 });
    assert.equal(put.data.heading, 'Client home');
    assert.equal(put.data.featured, 7);

    const got = await homepage.find();
    assert.equal(got.data.documentId, put.data.documentId);
    assert.equal(got.data.heading, 'Client home');

    const put2 = await homepage.update({ tagline: 'tag' });
    assert.equal(put2.data.heading, 'Client home');
    assert.equal(put2.data.tagline, 'tag');

    assert.equal(await homepage.delete(), undefined);
    await rejects(() => homepage.find(), 'HTTPNotFoundError', 404);
  });
});

describe('rejected requests', () => {
  let existing;

  before(async () => {
    const res = await ctx.server.post('/api/articles', { token: full, body: { data: { title: 'existing' } } });
    expectStatus(res, 201);
    existing = res.json.data;
  });

  test('read-only token: reads work', async () => {
    const articles = client(readOnly).collection('articles');
    const list = await articles.find();
    assert.ok(list.data.some((a) => a.documentId === existing.documentId));
    const one = await articles.findOne(existing.documentId);
    assert.equal(one.data.title, 'existing');
    await rejects(() => client(readOnly).single('homepage').find(), 'HTTPNotFoundError', 404);
  });

  test('read-only token: create rejects with HTTPForbiddenError (403 ForbiddenError) and writes nothing', async () => {
    const title = uniq('forbidden');
    const err = await rejects(() => client(readOnly).collection('articles').create({ title }), 'HTTPForbiddenError', 403);
    const body = await errorBody(err);
    if (body) {
      assert.deepEqual(body, { data: null, error: { status: 403, name: 'ForbiddenError', message: 'Forbidden', details: {} } });
    }
    const res = await ctx.server.get(`/api/articles?filters[title][$eq]=${title}`, { token: full });
    assert.equal(res.json.meta.pagination.total, 0);
  });

  test('read-only token: update, delete and single-type update reject with 403', async () => {
    const articles = client(readOnly).collection('articles');
    await rejects(() => articles.update(existing.documentId, { title: 'no' }), 'HTTPForbiddenError', 403);
    await rejects(() => articles.delete(existing.documentId), 'HTTPForbiddenError', 403);
    await rejects(() => client(readOnly).single('homepage').update({ heading: 'no' }), 'HTTPForbiddenError', 403);
    const res = await ctx.server.get(`/api/articles/${existing.documentId}`, { token: full });
    assert.equal(res.json.data.title, 'existing');
  });

  test('custom [article.find]: find works, findOne rejects with 403', async () => {
    const articles = client(custom).collection('articles');
    assert.ok((await articles.find()).data.length > 0);
    await rejects(() => articles.findOne(existing.documentId), 'HTTPForbiddenError', 403);
  });

  test('unknown token: HTTPAuthorizationError (401)', async () => {
    const err = await rejects(() => client('0'.repeat(256)).collection('articles').find(), 'HTTPAuthorizationError', 401);
    const body = await errorBody(err);
    if (body) assert.equal(body.error.message, 'Missing or invalid credentials');
  });

  test('an admin session JWT given as the client token: 401', async () => {
    await rejects(() => client(ctx.admin.token).collection('articles').find(), 'HTTPAuthorizationError', 401);
  });

  test('no token: 403 (nothing is public by default)', async () => {
    await rejects(() => client().collection('articles').find(), 'HTTPForbiddenError', 403);
  });
});
