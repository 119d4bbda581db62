// The single type `homepage` (strapi-content-api.md §2, §4): GET 404 while
// absent, PUT creates it (200, not 201) and validates like a create while
// absent, then updates partially; DELETE 204.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DOCUMENT_ID, ISO_DATETIME, expectError, expectFieldError, expectNotFound, expectStatus, setup, waitPast,
} from './lib/harness.mjs';

const HOMEPAGE_KEYS = ['id', 'documentId', 'heading', 'tagline', 'featured', 'createdAt', 'updatedAt', 'publishedAt'];

let ctx;

before(async () => {
  ctx = await setup();
});

after(async () => {
  await ctx?.teardown();
});

const get = (path = '/api/homepage') => ctx.server.get(path, { token: ctx.full });
const put = (body, path = '/api/homepage') => ctx.server.put(path, { token: ctx.full, body });
const del = () => ctx.server.del('/api/homepage', { token: ctx.full });

describe('homepage', () => {
  let home;

  test('GET while absent -> 404 NotFoundError', async () => {
    expectNotFound(await get());
  });

  test('PUT while absent validates like a create: "heading must be defined."', async () => {
    expectFieldError(await put({ data: { tagline: 'no heading' } }), 'heading', 'heading must be defined.');
    expectNotFound(await get());
  });

  test('PUT while absent with a null heading -> string type error', async () => {
    expectFieldError(await put({ data: { heading: null } }), 'heading',
      'heading must be a `string` type, but the final value was: `null`.', null);
  });

  test('PUT without data -> Missing "data" payload', async () => {
    expectError(await put({ heading: 'x' }), 400, 'ValidationError', 'Missing "data" payload in the request body');
  });

  test('PUT with an unknown key -> Invalid key', async () => {
    expectError(await put({ data: { heading: 'x', nope: 1 } }), 400, 'ValidationError', 'Invalid key nope',
      { key: 'nope', path: null, source: 'body' });
  });

  test('PUT while absent creates it: 200 {data, meta:{}} in schema order', async () => {
    const res = await put({ data: { heading: 'Hello', tagline: 'World' } });
    expectStatus(res, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(Object.keys(res.json), ['data', 'meta']);
    assert.deepEqual(res.json.meta, {});
    home = res.json.data;
    assert.deepEqual(Object.keys(home), HOMEPAGE_KEYS);
    assert.equal(typeof home.id, 'number');
    assert.match(home.documentId, DOCUMENT_ID);
    assert.equal(home.heading, 'Hello');
    assert.equal(home.tagline, 'World');
    assert.equal(home.featured, null);
    for (const k of ['createdAt', 'updatedAt', 'publishedAt']) assert.match(home[k], ISO_DATETIME);
    assert.equal(home.updatedAt, home.createdAt);
  });

  test('GET -> 200 the same entry', async () => {
    const res = await get();
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: home, meta: {} });
  });

  test('PUT again is a partial update of the same document', async () => {
    await waitPast(Date.parse(home.updatedAt));
    const res = await put({ data: { featured: 3 } });
    expectStatus(res, 200);
    const u = res.json.data;
    assert.equal(u.documentId, home.documentId);
    assert.equal(u.heading, 'Hello');
    assert.equal(u.tagline, 'World');
    assert.equal(u.featured, 3);
    assert.equal(u.createdAt, home.createdAt);
    assert.ok(Date.parse(u.updatedAt) > Date.parse(home.updatedAt));
    home = u;
    assert.deepEqual((await get()).json.data, home);
  });

  test('PUT without heading is fine once it exists', async () => {
    const res = await put({ data: { tagline: 'Again' } });
    expectStatus(res, 200);
    assert.equal(res.json.data.heading, 'Hello');
    assert.equal(res.json.data.tagline, 'Again');
    home = res.json.data;
  });

  test('PUT with a null heading once it exists -> string type error', async () => {
    expectFieldError(await put({ data: { heading: null } }), 'heading',
      'heading must be a `string` type, but the final value was: `null`.', null);
  });

  test('PUT with a non-integer featured -> "featured must be an integer"', async () => {
    expectFieldError(await put({ data: { featured: 1.5 } }), 'featured', 'featured must be an integer', 1.5);
  });

  test('fields apply to a single type', async () => {
    const res = await get('/api/homepage?fields[0]=heading');
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, { id: home.id, documentId: home.documentId, heading: 'Hello' });
  });

  test('DELETE -> 204 with an empty body; GET -> 404', async () => {
    const res = await del();
    expectStatus(res, 204);
    assert.equal(res.text, '');
    expectNotFound(await get());
  });

  test('PUT after DELETE creates a new document', async () => {
    const res = await put({ data: { heading: 'Reborn' } });
    expectStatus(res, 200);
    assert.equal(res.json.data.heading, 'Reborn');
    assert.equal(res.json.data.tagline, null);
    assert.notEqual(res.json.data.documentId, home.documentId);
  });
});

describe('homepage routing', () => {
  test('POST /api/homepage -> 405 with Allow: HEAD, GET, PUT, DELETE', async () => {
    const res = await ctx.server.post('/api/homepage', { token: ctx.full, body: { data: { heading: 'x' } } });
    expectStatus(res, 405);
    assert.equal(res.headers.get('allow'), 'HEAD, GET, PUT, DELETE');
    assert.equal(res.text, 'Method Not Allowed');
  });

  test('/api/homepage/xyz and /api/homepages -> 404', async () => {
    expectNotFound(await get('/api/homepage/xyz'));
    expectNotFound(await get('/api/homepages'));
    expectNotFound(await put({ data: { heading: 'x' } }, '/api/homepage/xyz'));
  });
});
