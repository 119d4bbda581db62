// REST CRUD on collection types: status codes, response shapes, key order,
// serialisation of every attribute type, defaults, coercions and routing
// (strapi-content-api.md §2, §3; transcript §7).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DOCUMENT_ID, ISO_DATETIME, expectError, expectNotFound, expectStatus, setup, uniq, waitPast,
} from './lib/harness.mjs';

const ARTICLE_KEYS = ['id', 'documentId', 'title', 'body', 'views', 'published', 'createdAt', 'updatedAt', 'publishedAt'];
const PRODUCT_KEYS = [
  'id', 'documentId', 'name', 'sku', 'description', 'content', 'contact', 'slug', 'category', 'stock',
  'bigValue', 'price', 'amount', 'active', 'releaseDate', 'openingTime', 'launchAt', 'meta',
  'createdAt', 'updatedAt', 'publishedAt',
];

let ctx;

before(async () => {
  ctx = await setup();
});

after(async () => {
  await ctx?.teardown();
});

const api = (...a) => ctx.server.api(...a);
const opts = (extra = {}) => ({ token: ctx.full, ...extra });

async function createProduct(data) {
  const res = await ctx.server.post('/api/products', opts({ body: { data: { name: uniq('P'), ...data } } }));
  expectStatus(res, 201);
  return res.json.data;
}

function expectTimestamps(entry) {
  assert.match(entry.createdAt, ISO_DATETIME);
  assert.match(entry.updatedAt, ISO_DATETIME);
  assert.match(entry.publishedAt, ISO_DATETIME);
}

describe('articles: create, find, findOne, update, delete', () => {
  const created = [];

  test('create -> 201 {data, meta:{}}, keys in schema order, unset attributes null', async () => {
    const t0 = Date.now();
    const res = await ctx.server.post('/api/articles', opts({ body: { data: { title: 'First', views: 10 } } }));
    expectStatus(res, 201);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(Object.keys(res.json), ['data', 'meta']);
    assert.deepEqual(res.json.meta, {});
    const a = res.json.data;
    assert.deepEqual(Object.keys(a), ARTICLE_KEYS);
    assert.equal(typeof a.id, 'number');
    assert.match(a.documentId, DOCUMENT_ID);
    assert.equal(a.title, 'First');
    assert.equal(a.body, null);
    assert.equal(a.views, 10);
    assert.equal(a.published, null);
    expectTimestamps(a);
    assert.equal(a.updatedAt, a.createdAt);
    assert.ok(Date.parse(a.publishedAt) <= Date.parse(a.createdAt), 'publishedAt is set at or before createdAt');
    assert.ok(Date.parse(a.createdAt) >= t0 - 5 && Date.parse(a.createdAt) <= Date.now() + 5);
    created.push(a);
  });

  test('each create gets a new documentId and a larger id', async () => {
    for (const [title, published] of [['Second', true], ['Third', false]]) {
      const res = await ctx.server.post('/api/articles', opts({ body: { data: { title, body: `Body of ${title}`, published } } }));
      expectStatus(res, 201);
      created.push(res.json.data);
    }
    assert.equal(new Set(created.map((a) => a.documentId)).size, 3);
    assert.ok(created[0].id < created[1].id && created[1].id < created[2].id);
    for (const a of created) assert.match(a.documentId, DOCUMENT_ID);
  });

  test('find -> 200 {data:[...], meta:{pagination}} in id order', async () => {
    const res = await ctx.server.get('/api/articles', opts());
    expectStatus(res, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(res.json, {
      data: created,
      meta: { pagination: { page: 1, pageSize: 25, pageCount: 1, total: 3 } },
    });
    assert.deepEqual(Object.keys(res.json.meta.pagination), ['page', 'pageSize', 'pageCount', 'total']);
    for (const a of res.json.data) assert.deepEqual(Object.keys(a), ARTICLE_KEYS);
  });

  test('a trailing slash lists too', async () => {
    const res = await ctx.server.get('/api/articles/', opts());
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, created);
  });

  test('findOne -> 200 {data, meta:{}}', async () => {
    const res = await ctx.server.get(`/api/articles/${created[1].documentId}`, opts());
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: created[1], meta: {} });
  });

  test('findOne by numeric id -> 404 (the path parameter is the documentId)', async () => {
    expectNotFound(await ctx.server.get(`/api/articles/${created[0].id}`, opts()));
  });

  test('findOne of an unknown documentId -> 404 NotFoundError', async () => {
    expectNotFound(await ctx.server.get('/api/articles/doesnotexist000000000000', opts()));
  });

  test('HEAD on the collection -> 200 with no body', async () => {
    const res = await api('HEAD', '/api/articles', opts());
    expectStatus(res, 200);
    assert.equal(res.text, '');
  });

  test('update is partial: only given attributes change; updatedAt and publishedAt move', async () => {
    const a = created[1];
    await waitPast(Date.parse(a.updatedAt));
    const res = await ctx.server.put(`/api/articles/${a.documentId}`, opts({ body: { data: { title: 'Second (edited)', views: 11 } } }));
    expectStatus(res, 200);
    assert.deepEqual(Object.keys(res.json), ['data', 'meta']);
    assert.deepEqual(res.json.meta, {});
    const u = res.json.data;
    assert.deepEqual(Object.keys(u), ARTICLE_KEYS);
    assert.deepEqual(
      { ...u, updatedAt: null, publishedAt: null },
      { ...a, title: 'Second (edited)', views: 11, updatedAt: null, publishedAt: null },
    );
    assert.ok(Date.parse(u.updatedAt) > Date.parse(a.updatedAt), 'updatedAt moves');
    assert.ok(Date.parse(u.publishedAt) > Date.parse(a.publishedAt), 'publishedAt is reset on update (no draft & publish)');
    const again = await ctx.server.get(`/api/articles/${a.documentId}`, opts());
    assert.deepEqual(again.json.data, u);
    created[1] = u;
  });

  test('update with an empty data object changes no attribute', async () => {
    const a = created[2];
    const res = await ctx.server.put(`/api/articles/${a.documentId}`, opts({ body: { data: {} } }));
    expectStatus(res, 200);
    assert.deepEqual({ ...res.json.data, updatedAt: null, publishedAt: null }, { ...a, updatedAt: null, publishedAt: null });
    created[2] = res.json.data;
  });

  test('update can set an attribute to null', async () => {
    const a = created[2];
    const res = await ctx.server.put(`/api/articles/${a.documentId}`, opts({ body: { data: { body: null } } }));
    expectStatus(res, 200);
    assert.equal(res.json.data.body, null);
    assert.equal(res.json.data.title, a.title);
    created[2] = res.json.data;
  });

  test('update of an unknown documentId -> 404 NotFoundError', async () => {
    expectNotFound(await ctx.server.put('/api/articles/doesnotexist000000000000', opts({ body: { data: { title: 'x' } } })));
  });

  test('publishedAt in the body is ignored on a type without draft & publish', async () => {
    const res = await ctx.server.post('/api/articles', opts({ body: { data: { title: 'pub', publishedAt: '2001-01-01T00:00:00.000Z' } } }));
    expectStatus(res, 201);
    assert.notEqual(res.json.data.publishedAt, '2001-01-01T00:00:00.000Z');
    assert.match(res.json.data.publishedAt, ISO_DATETIME);
    const u = await ctx.server.put(`/api/articles/${res.json.data.documentId}`, opts({ body: { data: { publishedAt: null } } }));
    expectStatus(u, 200);
    assert.match(u.json.data.publishedAt, ISO_DATETIME);
    expectStatus(await ctx.server.del(`/api/articles/${res.json.data.documentId}`, opts()), 204);
  });

  test('delete -> 204 with an empty body; the entry is gone', async () => {
    const a = created.pop();
    const res = await ctx.server.del(`/api/articles/${a.documentId}`, opts());
    expectStatus(res, 204);
    assert.equal(res.text, '');
    expectNotFound(await ctx.server.get(`/api/articles/${a.documentId}`, opts()));
    const list = await ctx.server.get('/api/articles', opts());
    assert.deepEqual(list.json.data, created);
    assert.equal(list.json.meta.pagination.total, created.length);
  });

  test('delete of an already deleted or unknown documentId -> 204', async () => {
    const a = await ctx.server.post('/api/articles', opts({ body: { data: { title: 'gone' } } }));
    const path = `/api/articles/${a.json.data.documentId}`;
    expectStatus(await ctx.server.del(path, opts()), 204);
    const again = await ctx.server.del(path, opts());
    expectStatus(again, 204);
    assert.equal(again.text, '');
    expectStatus(await ctx.server.del('/api/articles/doesnotexist000000000000', opts()), 204);
  });
});

describe('products: serialisation of every attribute type', () => {
  test('the reference entry of the spec round-trips exactly', async () => {
    const name = uniq('Widget');
    const body = {
      data: {
        name, sku: 'ABC-1', description: 'plain text', content: '# Rich\n\ntext', contact: 'a@b.co',
        slug: uniq('widget'), category: 'beta', stock: 5, bigValue: '1234567890123', price: 1.5, amount: 12.34,
        active: false, releaseDate: '2024-05-06', openingTime: '09:30:00', launchAt: '2024-05-06T10:00:00+02:00',
        meta: { a: [1, 2], b: null }, secretNote: 'hidden',
      },
    };
    const res = await ctx.server.post('/api/products', opts({ body }));
    expectStatus(res, 201);
    const p = res.json.data;
    assert.deepEqual(Object.keys(p), PRODUCT_KEYS);
    assert.match(p.documentId, DOCUMENT_ID);
    expectTimestamps(p);
    const { id, documentId, createdAt, updatedAt, publishedAt, ...attrs } = p;
    assert.equal(typeof id, 'number');
    assert.deepEqual(attrs, {
      name, sku: 'ABC-1', description: 'plain text', content: '# Rich\n\ntext', contact: 'a@b.co',
      slug: body.data.slug, category: 'beta', stock: 5, bigValue: '1234567890123', price: 1.5, amount: 12.34,
      active: false, releaseDate: '2024-05-06', openingTime: '09:30:00.000', launchAt: '2024-05-06T08:00:00.000Z',
      meta: { a: [1, 2], b: null },
    });

    const one = await ctx.server.get(`/api/products/${documentId}`, opts());
    expectStatus(one, 200);
    assert.deepEqual(one.json, { data: p, meta: {} });
    assert.deepEqual(Object.keys(one.json.data), PRODUCT_KEYS);
  });

  test('the private attribute secretNote is writable but never returned', async () => {
    const p = await createProduct({ secretNote: 'hidden' });
    assert.ok(!('secretNote' in p));
    const one = await ctx.server.get(`/api/products/${p.documentId}`, opts());
    assert.ok(!('secretNote' in one.json.data));
    const list = await ctx.server.get('/api/products', opts());
    expectStatus(list, 200);
    for (const e of list.json.data) assert.ok(!('secretNote' in e));
    const u = await ctx.server.put(`/api/products/${p.documentId}`, opts({ body: { data: { secretNote: 'changed' } } }));
    expectStatus(u, 200);
    assert.ok(!('secretNote' in u.json.data));
    assert.ok(!u.text.includes('hidden') && !u.text.includes('changed'));
    assert.ok(!list.text.includes('hidden'));
  });

  test('defaults fill omitted attributes (category alpha, active true); others null; uid not generated', async () => {
    const p = await createProduct({});
    assert.equal(p.category, 'alpha');
    assert.equal(p.active, true);
    for (const k of ['sku', 'description', 'content', 'contact', 'slug', 'stock', 'bigValue', 'price', 'amount',
      'releaseDate', 'openingTime', 'launchAt', 'meta']) {
      assert.equal(p[k], null, k);
    }
  });

  test('defaults are not re-applied on update', async () => {
    const p = await createProduct({ category: 'gamma', active: false });
    const u = await ctx.server.put(`/api/products/${p.documentId}`, opts({ body: { data: { stock: 3 } } }));
    expectStatus(u, 200);
    assert.equal(u.json.data.category, 'gamma');
    assert.equal(u.json.data.active, false);
  });

  test('numbers from numeric strings; decimal is a JSON number', async () => {
    const p = await createProduct({ stock: '5', price: '2.5', amount: '12.34', bigValue: '123' });
    assert.equal(p.stock, 5);
    assert.equal(p.price, 2.5);
    assert.equal(p.amount, 12.34);
    assert.equal(p.bigValue, '123');
  });

  test('exponent notation: 1e3 -> 1000', async () => {
    const name = uniq('P');
    const res = await ctx.server.post('/api/products', opts({
      rawBody: `{"data":{"name":"${name}","price":1e3,"amount":1e3,"stock":1e2}}`,
      headers: { 'content-type': 'application/json' },
    }));
    expectStatus(res, 201);
    assert.equal(res.json.data.price, 1000);
    assert.equal(res.json.data.amount, 1000);
    assert.equal(res.json.data.stock, 100);
  });

  test('biginteger is a JSON string: "-5", and a number 42 -> "42"', async () => {
    assert.equal((await createProduct({ bigValue: '-5' })).bigValue, '-5');
    assert.equal((await createProduct({ bigValue: 42 })).bigValue, '42');
    assert.equal((await createProduct({ bigValue: '0' })).bigValue, '0');
  });

  for (const [input, expected] of [
    ['true', true], ['false', false], ['t', true], ['f', false], ['1', true], ['0', false], [1, true], [0, false],
  ]) {
    test(`boolean from ${JSON.stringify(input)} -> ${expected}`, async () => {
      assert.equal((await createProduct({ active: input })).active, expected);
    });
  }

  test('date from a full ISO datetime keeps the date part', async () => {
    assert.equal((await createProduct({ releaseDate: '2024-05-06T10:00:00.000Z' })).releaseDate, '2024-05-06');
  });

  for (const [input, expected] of [
    ['09:30:00', '09:30:00.000'],
    ['09:30:15.123', '09:30:15.123'],
    ['23:59:59', '23:59:59.000'],
  ]) {
    test(`time ${input} -> ${expected}`, async () => {
      assert.equal((await createProduct({ openingTime: input })).openingTime, expected);
    });
  }

  for (const [input, expected] of [
    ['2024-05-06T10:00:00+02:00', '2024-05-06T08:00:00.000Z'],
    ['2024-05-06T08:00:00Z', '2024-05-06T08:00:00.000Z'],
    ['2024-05-06T08:00:00.123Z', '2024-05-06T08:00:00.123Z'],
    ['2024-05-06', '2024-05-06T00:00:00.000Z'],
    [Date.UTC(2024, 4, 6, 8), '2024-05-06T08:00:00.000Z'],
  ]) {
    test(`datetime ${JSON.stringify(input)} -> ${expected}`, async () => {
      assert.equal((await createProduct({ launchAt: input })).launchAt, expected);
    });
  }

  for (const value of [{ a: [1, 2], b: null, c: { d: 'é' } }, [1, 'x', null, true], 'just a string', []]) {
    test(`json ${JSON.stringify(value)} is returned verbatim`, async () => {
      assert.deepEqual((await createProduct({ meta: value })).meta, value);
    });
  }

  test('enumeration accepts null', async () => {
    const p = await createProduct({ category: null });
    assert.equal(p.category, null);
  });

  test('strings keep unicode and control characters', async () => {
    const description = 'multi\nline\t"quoted" \\ ünïcødé 日本 😀';
    assert.equal((await createProduct({ description })).description, description);
  });

  test('application/x-www-form-urlencoded bodies are accepted', async () => {
    const name = uniq('Form');
    const res = await ctx.server.post('/api/products', opts({
      rawBody: `data[name]=${encodeURIComponent(name)}&data[stock]=5&data[category]=beta`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }));
    expectStatus(res, 201);
    assert.equal(res.json.data.name, name);
    assert.equal(res.json.data.stock, 5);
    assert.equal(res.json.data.category, 'beta');
  });
});

describe('routing', () => {
  const ITEM_ALLOW = 'HEAD, GET, PUT, DELETE';
  const COLLECTION_ALLOW = 'HEAD, GET, POST';

  for (const [method, path, allow] of [
    ['POST', '/api/homepage', ITEM_ALLOW],
    ['PATCH', '/api/products/abc', ITEM_ALLOW],
    ['POST', '/api/products/abc', ITEM_ALLOW],
    ['DELETE', '/api/products', COLLECTION_ALLOW],
    ['PUT', '/api/products', COLLECTION_ALLOW],
    ['PATCH', '/api/articles', COLLECTION_ALLOW],
  ]) {
    test(`${method} ${path} -> 405 text/plain with Allow: ${allow}`, async () => {
      const res = await api(method, path, opts(method === 'DELETE' ? {} : { body: { data: {} } }));
      expectStatus(res, 405);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(res.text, 'Method Not Allowed');
      assert.equal(res.headers.get('allow'), allow);
    });
  }

  for (const path of ['/api/nothing', '/api/homepages', '/api/homepage/xyz', '/api/products/a/b']) {
    test(`GET ${path} -> 404 envelope`, async () => {
      const res = await ctx.server.get(path, opts());
      expectNotFound(res);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    });
  }

  test('an unknown path without a token -> 404', async () => {
    expectNotFound(await ctx.server.get('/api/nothing'));
  });

  test('the singular name of a collection type is not a route', async () => {
    expectNotFound(await ctx.server.get('/api/product', opts()));
  });

  test('a 404 for an unknown path is an error envelope, not HTML', async () => {
    const res = await ctx.server.post('/api/nothing', opts({ body: { data: {} } }));
    expectError(res, 404, 'NotFoundError', 'Not Found');
  });
});
