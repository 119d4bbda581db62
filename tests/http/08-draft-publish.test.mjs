// Draft & publish on `post` (strapi-content-api.md §8 table): a document has
// a draft row and possibly a published row with the same documentId.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DOCUMENT_ID, ISO_DATETIME, expectFieldError, expectNotFound, expectStatus, setup,
} from './lib/harness.mjs';

let ctx;

before(async () => {
  ctx = await setup();
});

after(async () => {
  await ctx?.teardown();
});

const opts = (extra = {}) => ({ token: ctx.full, ...extra });
const create = (data, query = '') => ctx.server.post(`/api/posts${query}`, opts({ body: { data } }));
const update = (documentId, data, query = '') => ctx.server.put(`/api/posts/${documentId}${query}`, opts({ body: { data } }));
const list = (query = '') => ctx.server.get(`/api/posts${query}`, opts());
const one = (documentId, query = '') => ctx.server.get(`/api/posts/${documentId}${query}`, opts());

const titles = (res) => [...res.json.data].sort((a, b) => a.id - b.id).map((e) => e.title);

async function draftOf(documentId) {
  const res = await one(documentId, '?status=draft');
  expectStatus(res, 200);
  return res.json.data;
}

describe('draft & publish', () => {
  const doc = {}; // title -> documentId
  let p1Published;

  test('POST without status creates the draft and publishes it: 201 with the published version', async () => {
    const res = await create({ title: 'P1', rating: 1 });
    expectStatus(res, 201);
    const p = res.json.data;
    assert.deepEqual(Object.keys(p), ['id', 'documentId', 'title', 'rating', 'createdAt', 'updatedAt', 'publishedAt']);
    assert.match(p.documentId, DOCUMENT_ID);
    assert.match(p.publishedAt, ISO_DATETIME);
    assert.equal(p.title, 'P1');
    doc.P1 = p.documentId;
    p1Published = p;

    const draft = await draftOf(p.documentId);
    assert.equal(draft.publishedAt, null);
    assert.equal(draft.title, 'P1');
    assert.equal(draft.id + 1, p.id, 'the published row is created right after the draft');
  });

  test('POST ?status=published does the same', async () => {
    const res = await create({ title: 'P2' }, '?status=published');
    expectStatus(res, 201);
    assert.match(res.json.data.publishedAt, ISO_DATETIME);
    doc.P2 = res.json.data.documentId;
    assert.equal((await draftOf(doc.P2)).id + 1, res.json.data.id);
  });

  test('POST ?status=draft creates a draft only', async () => {
    const res = await create({ title: 'D1' }, '?status=draft');
    expectStatus(res, 201);
    assert.equal(res.json.data.publishedAt, null);
    doc.D1 = res.json.data.documentId;
  });

  test('POST with any other status value creates a draft only', async () => {
    const res = await create({ title: 'D2' }, '?status=bogus');
    expectStatus(res, 201);
    assert.equal(res.json.data.publishedAt, null);
    doc.D2 = res.json.data.documentId;
  });

  test('publishedAt in the body is ignored', async () => {
    const res = await create({ title: 'D3', publishedAt: '2020-01-01T00:00:00.000Z' }, '?status=draft');
    expectStatus(res, 201);
    assert.equal(res.json.data.publishedAt, null);
    doc.D3 = res.json.data.documentId;
  });

  test('GET (and ?status=published) returns published versions only', async () => {
    for (const q of ['', '?status=published']) {
      const res = await list(q);
      expectStatus(res, 200);
      assert.deepEqual(titles(res), ['P1', 'P2'], q);
      assert.equal(res.json.meta.pagination.total, 2);
      for (const e of res.json.data) assert.match(e.publishedAt, ISO_DATETIME);
    }
  });

  test('GET ?status=draft returns the draft row of every document', async () => {
    for (const q of ['?status=draft', '?status=bogus']) {
      const res = await list(q);
      expectStatus(res, 200);
      assert.deepEqual(titles(res), ['P1', 'P2', 'D1', 'D2', 'D3'], q);
      assert.equal(res.json.meta.pagination.total, 5);
      for (const e of res.json.data) assert.equal(e.publishedAt, null);
    }
  });

  test('findOne of a never-published document -> 404; with ?status=draft -> 200', async () => {
    expectNotFound(await one(doc.D1));
    const res = await one(doc.D1, '?status=draft');
    expectStatus(res, 200);
    assert.equal(res.json.data.title, 'D1');
    assert.equal(res.json.data.publishedAt, null);
  });

  test('findOne of a published document returns the published version', async () => {
    const res = await one(doc.P1);
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, p1Published);
  });

  test('PUT ?status=draft edits the draft only', async () => {
    const res = await update(doc.P1, { title: 'P1 edited' }, '?status=draft');
    expectStatus(res, 200);
    assert.equal(res.json.data.title, 'P1 edited');
    assert.equal(res.json.data.publishedAt, null);
    assert.equal((await one(doc.P1)).json.data.title, 'P1');
    assert.equal((await draftOf(doc.P1)).title, 'P1 edited');
  });

  test('PUT without status edits the draft and publishes it (a new published row)', async () => {
    const res = await update(doc.P1, { rating: 5 });
    expectStatus(res, 200);
    const p = res.json.data;
    assert.equal(p.title, 'P1 edited');
    assert.equal(p.rating, 5);
    assert.match(p.publishedAt, ISO_DATETIME);
    assert.notEqual(p.id, p1Published.id, 'publishing writes a new published row');
    assert.equal(p.documentId, doc.P1);
    assert.deepEqual((await one(doc.P1)).json.data, p);
    const draft = await draftOf(doc.P1);
    assert.equal(draft.title, 'P1 edited');
    assert.equal(draft.rating, 5);
    const published = await list();
    assert.equal(published.json.meta.pagination.total, 2, 'still one published version per document');
  });

  test('PUT without status publishes a never-published document', async () => {
    const res = await update(doc.D1, { rating: 2 });
    expectStatus(res, 200);
    assert.match(res.json.data.publishedAt, ISO_DATETIME);
    const now = await one(doc.D1);
    expectStatus(now, 200);
    assert.equal(now.json.data.title, 'D1');
    assert.equal(now.json.data.rating, 2);
  });

  test('hasPublishedVersion with status=draft', async () => {
    const yes = await list('?status=draft&hasPublishedVersion=true');
    expectStatus(yes, 200);
    assert.deepEqual(titles(yes), ['P1 edited', 'P2', 'D1']);
    const no = await list('?status=draft&hasPublishedVersion=false');
    expectStatus(no, 200);
    assert.deepEqual(titles(no), ['D2', 'D3']);
  });

  test('required attributes are enforced only when publishing', async () => {
    const draft = await create({ rating: 1 }, '?status=draft');
    expectStatus(draft, 201);
    assert.equal(draft.json.data.title, null);
    assert.equal(draft.json.data.rating, 1);
    expectFieldError(await create({ rating: 1 }), 'title',
      'title must be a `string` type, but the final value was: `null`.', null);
  });

  test('DELETE removes every version -> 204', async () => {
    const res = await ctx.server.del(`/api/posts/${doc.P2}`, opts());
    expectStatus(res, 204);
    assert.equal(res.text, '');
    expectNotFound(await one(doc.P2));
    expectNotFound(await one(doc.P2, '?status=draft'));
    assert.deepEqual(titles(await list()), ['P1 edited', 'D1']);
  });

  test('on a type without draft & publish, status is ignored', async () => {
    const created = await ctx.server.post('/api/articles?status=draft', opts({ body: { data: { title: 'A' } } }));
    expectStatus(created, 201);
    assert.match(created.json.data.publishedAt, ISO_DATETIME);
    const res = await ctx.server.get('/api/articles?status=draft', opts());
    expectStatus(res, 200);
    assert.equal(res.json.data.length, 1);
    assert.match(res.json.data[0].publishedAt, ISO_DATETIME);
  });
});
