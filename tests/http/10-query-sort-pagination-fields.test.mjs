// sort (§6), pagination (§7, every row of the table, quirks included),
// fields, populate, locale (§8) of strapi-content-api.md, on the same five
// products as the filter tests.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ANY_DETAILS, expectError, expectStatus, names, seedFruit, setup, uniq,
} from './lib/harness.mjs';

let ctx;
let fruit; // created entries, id order

before(async () => {
  ctx = await setup();
  fruit = await seedFruit(ctx.server, ctx.full);
});

after(async () => {
  await ctx?.teardown();
});

const ALL = ['Apple', 'banana', 'Cherry', 'date', 'Elderberry'];
const find = (query) => ctx.server.get(`/api/products?${query}`, { token: ctx.full });

describe('sort', () => {
  const BY_PRICE = ['banana', 'Apple', 'date', 'Cherry', 'Elderberry'];
  const BY_CATEGORY_THEN_PRICE_DESC = ['date', 'banana', 'Elderberry', 'Apple', 'Cherry'];

  for (const [query, expected] of [
    ['', ALL],
    ['sort=', ALL],
    ['sort=price', BY_PRICE],
    ['sort=price:asc', BY_PRICE],
    ['sort=price:ASC', BY_PRICE],
    ['sort=price:desc', [...BY_PRICE].reverse()],
    ['sort=price:DESC', [...BY_PRICE].reverse()],
    ['sort[price]=desc', [...BY_PRICE].reverse()],
    ['sort=category,price:desc', BY_CATEGORY_THEN_PRICE_DESC],
    ['sort[0]=category&sort[1]=price:desc', BY_CATEGORY_THEN_PRICE_DESC],
    ['sort[0][category]=asc&sort[1][price]=desc', BY_CATEGORY_THEN_PRICE_DESC],
    // SQLite binary collation: upper case first
    ['sort=name', ['Apple', 'Cherry', 'Elderberry', 'banana', 'date']],
    ['sort=name:desc', ['date', 'banana', 'Elderberry', 'Cherry', 'Apple']],
    // NULLs first on ascending order, last on descending
    ['sort=stock', ['date', 'Elderberry', 'Apple', 'banana', 'Cherry']],
    ['sort=stock:desc', ['Cherry', 'banana', 'Apple', 'Elderberry', 'date']],
    ['sort=bigValue', ['date', 'Elderberry', 'Apple', 'banana', 'Cherry']],
    ['sort=releaseDate:desc', ['Cherry', 'banana', 'Apple', 'Elderberry', 'date']],
    ['sort=launchAt', ['date', 'Elderberry', 'Apple', 'banana', 'Cherry']],
    ['sort=id:desc', [...ALL].reverse()],
    ['sort=id', ALL],
  ]) {
    test(`${query || '(none)'} -> ${expected.join(', ')}`, async () => {
      const res = await find(query);
      expectStatus(res, 200);
      assert.deepEqual(names(res), expected);
    });
  }

  test('sort=documentId orders by the documentId string', async () => {
    const res = await find('sort=documentId');
    expectStatus(res, 200);
    const expected = [...fruit].sort((a, b) => (a.documentId < b.documentId ? -1 : 1)).map((e) => e.name);
    assert.deepEqual(names(res), expected);
  });

  for (const attr of ['createdAt', 'updatedAt', 'publishedAt', 'meta', 'active']) {
    test(`sort=${attr} is accepted`, async () => {
      const res = await find(`sort=${attr}`);
      expectStatus(res, 200);
      assert.deepEqual([...names(res)].sort(), [...ALL].sort());
    });
  }

  test('sort combines with filters and pagination', async () => {
    const res = await find('filters[stock][$notNull]=true&sort=stock:desc&pagination[pageSize]=2&pagination[page]=2');
    expectStatus(res, 200);
    assert.deepEqual(names(res), ['Apple', 'Elderberry']);
    assert.deepEqual(res.json.meta.pagination, { page: 2, pageSize: 2, pageCount: 2, total: 4 });
  });

  test('sort=nope -> 400 "Invalid key nope"', async () => {
    expectError(await find('sort=nope'), 400, 'ValidationError', 'Invalid key nope',
      { key: 'nope', path: null, source: 'query', param: 'sort' });
  });

  test('sort=secretNote -> 400 "Invalid key secretNote" with its path', async () => {
    expectError(await find('sort=secretNote'), 400, 'ValidationError', 'Invalid key secretNote',
      { key: 'secretNote', path: 'secretNote', source: 'query', param: 'sort' });
  });

  test('sort=name:sideways -> 400 "Invalid order"', async () => {
    expectError(await find('sort=name:sideways'), 400, 'ValidationError',
      'Invalid order. order can only be one of asc|desc|ASC|DESC');
  });
});

describe('pagination', () => {
  // [query, names, meta.pagination]
  const page = (p, size, count, total) => ({ page: p, pageSize: size, pageCount: count, total });
  const offset = (start, limit, total) => ({ start, limit, total });
  const P = 'pagination';

  for (const [query, expectedNames, meta] of [
    ['', ALL, page(1, 25, 1, 5)],
    [`${P}[page]=3&${P}[pageSize]=2`, ['Elderberry'], page(3, 2, 3, 5)],
    [`${P}[page]=1&${P}[pageSize]=2`, ['Apple', 'banana'], page(1, 2, 3, 5)],
    [`${P}[page]=2&${P}[pageSize]=2`, ['Cherry', 'date'], page(2, 2, 3, 5)],
    [`${P}[page]=4&${P}[pageSize]=2`, [], page(4, 2, 3, 5)],
    [`${P}[page]=100000&${P}[pageSize]=2`, [], page(100000, 2, 3, 5)],
    [`${P}[page]=100000`, [], page(100000, 25, 1, 5)],
    [`${P}[page]=2`, [], page(2, 25, 1, 5)],
    [`${P}[pageSize]=5`, ALL, page(1, 5, 1, 5)],
    [`${P}[start]=1&${P}[limit]=2`, ['banana', 'Cherry'], offset(1, 2, 5)],
    [`${P}[start]=1`, ['banana', 'Cherry', 'date', 'Elderberry'], offset(1, 25, 5)],
    [`${P}[limit]=2`, ['Apple', 'banana'], offset(0, 2, 5)],
    [`${P}[start]=10`, [], offset(10, 25, 5)],
    [`${P}[start]=4&${P}[limit]=10`, ['Elderberry'], offset(4, 10, 5)],
    // clamped to maxLimit 100
    [`${P}[pageSize]=1000`, ALL, page(1, 100, 1, 5)],
    [`${P}[pageSize]=101`, ALL, page(1, 100, 1, 5)],
    [`${P}[pageSize]=100`, ALL, page(1, 100, 1, 5)],
    [`${P}[limit]=1000`, ALL, offset(0, 100, 5)],
    // quirk: 0, negative or empty sizes become 1
    [`${P}[pageSize]=0`, ['Apple'], page(1, 1, 5, 5)],
    [`${P}[pageSize]=-1`, ['Apple'], page(1, 1, 5, 5)],
    [`${P}[pageSize]=`, ['Apple'], page(1, 1, 5, 5)],
    [`${P}[limit]=0`, ['Apple'], offset(0, 1, 5)],
    [`${P}[limit]=-1`, ['Apple'], offset(0, 1, 5)],
    // quirk: non-numeric sizes become maxLimit
    [`${P}[pageSize]=abc`, ALL, page(1, 100, 1, 5)],
    [`${P}[limit]=abc`, ALL, offset(0, 100, 5)],
    // number parsing
    [`${P}[pageSize]=1e1`, ALL, page(1, 10, 1, 5)],
    [`${P}[page]=1e1`, [], page(10, 25, 1, 5)],
    [`${P}[pageSize]=%202`, ['Apple', 'banana'], page(1, 2, 3, 5)],
    [`${P}[pageSize][0]=2`, ['Apple', 'banana'], page(1, 2, 3, 5)],
    // page below 1 becomes 1; negative start becomes 0
    [`${P}[page]=0`, ALL, page(1, 25, 1, 5)],
    [`${P}[page]=-1`, ALL, page(1, 25, 1, 5)],
    [`${P}[page]=`, ALL, page(1, 25, 1, 5)],
    [`${P}[start]=-1`, ALL, offset(0, 25, 5)],
    // withCount
    [`${P}[withCount]=false`, ALL, { page: 1, pageSize: 25 }],
    [`${P}[withCount]=0`, ALL, { page: 1, pageSize: 25 }],
    [`${P}[withCount]=f`, ALL, { page: 1, pageSize: 25 }],
    [`${P}[withCount]=true`, ALL, page(1, 25, 1, 5)],
    [`${P}[withCount]=t`, ALL, page(1, 25, 1, 5)],
    [`${P}[withCount]=1`, ALL, page(1, 25, 1, 5)],
    [`${P}[start]=0&${P}[limit]=2&${P}[withCount]=false`, ['Apple', 'banana'], { start: 0, limit: 2 }],
    // ignored parameters
    ['start=1&limit=2', ALL, page(1, 25, 1, 5)],
    [`${P}=abc`, ALL, page(1, 25, 1, 5)],
    ['foo=bar', ALL, page(1, 25, 1, 5)],
    // pageCount is 0 when nothing matches
    ['filters[name][$eq]=zzz', [], page(1, 25, 0, 0)],
    [`filters[name][$eq]=zzz&${P}[start]=0&${P}[limit]=5`, [], offset(0, 5, 0)],
  ]) {
    test(`${query || '(none)'} -> ${expectedNames.length} rows, ${JSON.stringify(meta)}`, async () => {
      const res = await find(query);
      expectStatus(res, 200);
      assert.deepEqual(names(res), expectedNames);
      assert.deepEqual(res.json.meta, { pagination: meta });
      assert.deepEqual(Object.keys(res.json.meta.pagination), Object.keys(meta), 'key order');
    });
  }

  for (const query of [`${P}[page]=abc`, `${P}[start]=abc`]) {
    test(`${query} -> 400 "convertStartQueryParams expected a positive integer got NaN"`, async () => {
      expectError(await find(query), 400, 'ValidationError', 'convertStartQueryParams expected a positive integer got NaN');
    });
  }

  test(`${P}[page]=1.5 -> 400 reporting (page-1)*pageSize = 12.5`, async () => {
    expectError(await find(`${P}[page]=1.5`), 400, 'ValidationError', 'convertStartQueryParams expected a positive integer got 12.5');
  });

  test(`${P}[pageSize]=2.7 -> 400 "convertLimitQueryParams expected a positive integer got 2.7"`, async () => {
    expectError(await find(`${P}[pageSize]=2.7`), 400, 'ValidationError', 'convertLimitQueryParams expected a positive integer got 2.7');
  });

  for (const query of [`${P}[page]=1&${P}[limit]=2`, `${P}[start]=0&${P}[pageSize]=2`]) {
    test(`${query} -> 400 PaginationError (both modes)`, async () => {
      expectError(await find(query), 400, 'PaginationError', 'Cannot use both page & offset pagination in the same query');
    });
  }

  for (const query of ['page=2', 'pageSize=2']) {
    test(`top-level ${query} -> 400 PaginationError`, async () => {
      expectError(await find(query), 400, 'PaginationError',
        'Invalid pagination attributes. The page parameters are incorrect and must be in the pagination object', ANY_DETAILS);
    });
  }

  test(`${P}[withCount]=abc -> 400 "Invalid withCount parameter"`, async () => {
    expectError(await find(`${P}[withCount]=abc`), 400, 'ValidationError',
      'Invalid withCount parameter. Expected "t","1","true","false","0","f"', ANY_DETAILS);
  });
});

describe('fields', () => {
  const keysOf = (res) => res.json.data.map((e) => Object.keys(e));
  const every = (keys) => ALL.map(() => keys);

  for (const [query, keys] of [
    ['fields[0]=name&fields[1]=stock', ['id', 'documentId', 'name', 'stock']],
    ['fields=name,stock', ['id', 'documentId', 'name', 'stock']],
    ['fields=stock,name', ['id', 'documentId', 'stock', 'name']],
    ['fields[0]=stock&fields[1]=name', ['id', 'documentId', 'stock', 'name']],
    ['fields[0]=id', ['id', 'documentId']],
    ['fields[0]=documentId', ['id', 'documentId']],
    ['fields[0]=createdAt&fields[1]=publishedAt', ['id', 'documentId', 'createdAt', 'publishedAt']],
    ['fields[0]=meta', ['id', 'documentId', 'meta']],
  ]) {
    test(`${query} -> keys ${keys.join(', ')}`, async () => {
      const res = await find(query);
      expectStatus(res, 200);
      assert.deepEqual(keysOf(res), every(keys));
      assert.deepEqual(res.json.data.map((e) => e.id), fruit.map((e) => e.id));
    });
  }

  test('fields values are the entries\' values', async () => {
    const res = await find('fields[0]=name&fields[1]=stock');
    assert.deepEqual(res.json.data, fruit.map(({ id, documentId, name, stock }) => ({ id, documentId, name, stock })));
  });

  test('fields[0]=* -> every attribute', async () => {
    const res = await find('fields[0]=*');
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, fruit);
  });

  test('fields on findOne', async () => {
    const res = await ctx.server.get(`/api/products/${fruit[1].documentId}?fields[0]=name`, { token: ctx.full });
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: { id: fruit[1].id, documentId: fruit[1].documentId, name: 'banana' }, meta: {} });
  });

  test('fields on create', async () => {
    const name = uniq('FieldsOnCreate');
    const res = await ctx.server.post('/api/products?fields[0]=name', { token: ctx.full, body: { data: { name, stock: 1 } } });
    expectStatus(res, 201);
    assert.deepEqual(Object.keys(res.json.data), ['id', 'documentId', 'name']);
    assert.equal(res.json.data.name, name);
    assert.deepEqual(res.json.meta, {});
    expectStatus(await ctx.server.del(`/api/products/${res.json.data.documentId}`, { token: ctx.full }), 204);
  });

  test('fields on update', async () => {
    const created = await ctx.server.post('/api/products', { token: ctx.full, body: { data: { name: uniq('FieldsOnUpdate') } } });
    expectStatus(created, 201);
    const { id, documentId } = created.json.data;
    const res = await ctx.server.put(`/api/products/${documentId}?fields[0]=stock`,
      { token: ctx.full, body: { data: { stock: 7 } } });
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: { id, documentId, stock: 7 }, meta: {} });
    expectStatus(await ctx.server.del(`/api/products/${documentId}`, { token: ctx.full }), 204);
  });

  test('fields=nope -> 400 "Invalid key nope"', async () => {
    expectError(await find('fields[0]=nope'), 400, 'ValidationError', 'Invalid key nope',
      { key: 'nope', path: null, source: 'query', param: 'fields' });
  });

  test('a private field -> 400 "Invalid key secretNote"', async () => {
    const err = expectError(await find('fields[0]=secretNote'), 400, 'ValidationError', 'Invalid key secretNote', ANY_DETAILS);
    assert.equal(err.details.key, 'secretNote');
    assert.equal(err.details.source, 'query');
    assert.equal(err.details.param, 'fields');
  });

  test('fields[name]=1 -> 400 "Invalid fields parameter"', async () => {
    expectError(await find('fields[name]=1'), 400, 'ValidationError',
      'Invalid fields parameter. Expected a string or an array of strings', ANY_DETAILS);
  });

  test('fields= -> 400 ValidationError (Strapi: 500)', async () => {
    expectError(await find('fields='), 400, 'ValidationError', /./, ANY_DETAILS);
  });
});

describe('populate, locale, status', () => {
  test('populate=* is accepted (no relations)', async () => {
    const res = await find('populate=*');
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, fruit);
  });

  test('populate=nope -> 400 "Invalid key nope" with path', async () => {
    expectError(await find('populate=nope'), 400, 'ValidationError', 'Invalid key nope',
      { key: 'nope', path: 'nope', source: 'query', param: 'populate' });
  });

  test('locale=fr is ignored', async () => {
    const res = await find('locale=fr');
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, fruit);
  });

  test('status=draft is ignored on a type without draft & publish', async () => {
    const res = await find('status=draft');
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, fruit);
  });
});
