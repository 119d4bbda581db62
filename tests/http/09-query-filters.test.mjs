// Filters (strapi-content-api.md §5) on the spec's product data set:
// Apple 10 "Red fruit", banana 20 "yellow FRUIT", Cherry 30 null,
// date null "Dried fruit", Elderberry 0 "Berry 100%". Every operator row,
// logical nesting, value parsing and the invalid-filter table. Where Strapi
// answers 500, tollgate answers 400 ValidationError.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ANY_DETAILS, expectError, expectNotFound, expectStatus, namesById, seedFruit, setup,
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

function filterCases(title, cases) {
  describe(title, () => {
    for (const [query, expected] of cases) {
      test(`${query} -> ${expected.length ? expected.join(', ') : 'none'}`, async () => {
        const res = await find(query);
        expectStatus(res, 200);
        assert.deepEqual(namesById(res), expected);
        assert.equal(res.json.meta.pagination.total, expected.length);
      });
    }
  });
}

filterCases('comparison operators', [
  ['filters[name][$eq]=Apple', ['Apple']],
  ['filters[name][$eq]=apple', []],
  ['filters[name]=Apple', ['Apple']],
  ['filters[name][$eq][0]=Apple&filters[name][$eq][1]=date', ['Apple', 'date']],
  ['filters[name][$eqi]=apple', ['Apple']],
  ['filters[name][$eqi]=APPLE', ['Apple']],
  ['filters[stock][$ne]=10', ['banana', 'Cherry', 'Elderberry']],
  ['filters[name][$nei]=apple', ['banana', 'Cherry', 'date', 'Elderberry']],
  ['filters[stock][$lt]=20', ['Apple', 'Elderberry']],
  ['filters[stock][$lte]=20', ['Apple', 'banana', 'Elderberry']],
  ['filters[stock][$gt]=20', ['Cherry']],
  ['filters[stock][$gte]=20', ['banana', 'Cherry']],
  ['filters[stock][$eq]=0', ['Elderberry']],
  ['filters[stock]=10', ['Apple']],
]);

filterCases('$in, $notIn, $between', [
  ['filters[stock][$in][0]=10&filters[stock][$in][1]=30', ['Apple', 'Cherry']],
  ['filters[stock][$in][]=10&filters[stock][$in][]=30', ['Apple', 'Cherry']],
  ['filters[stock][$in]=10', ['Apple']],
  ['filters[stock][$notIn][0]=10&filters[stock][$notIn][1]=30', ['banana', 'Elderberry']],
  ['filters[name][$in][0]=Apple&filters[name][$in][1]=nope', ['Apple']],
  ['filters[stock][$between][0]=10&filters[stock][$between][1]=20', ['Apple', 'banana']],
  ['filters[stock][$between][0]=0&filters[stock][$between][1]=0', ['Elderberry']],
  ['filters[stock][$in][30]=20', ['banana']],
]);

filterCases('$in with a non-array object value is dropped (no filtering)', [
  ['filters[stock][$in][a]=20', ALL],
  ['filters[stock][$in][150]=20', ALL],
]);

filterCases('string matching (SQLite LIKE is case-insensitive for ASCII)', [
  ['filters[name][$contains]=an', ['banana']],
  ['filters[name][$contains]=AN', ['banana']],
  ['filters[description][$notContains]=Berry', ['Apple', 'banana', 'date']],
  ['filters[description][$containsi]=FRUIT', ['Apple', 'banana', 'date']],
  ['filters[description][$notContainsi]=fruit', ['Elderberry']],
  ['filters[name][$startsWith]=A', ['Apple']],
  ['filters[name][$startsWith]=a', ['Apple']],
  ['filters[name][$startsWithi]=a', ['Apple']],
  ['filters[name][$endsWith]=y', ['Cherry', 'Elderberry']],
  ['filters[name][$endsWithi]=Y', ['Cherry', 'Elderberry']],
]);

filterCases('LIKE wildcards in values match literally', [
  ['filters[description][$contains]=%25', ['Elderberry']],
  ['filters[description][$contains]=100%25', ['Elderberry']],
  ['filters[name][$contains]=_', []],
  ['filters[name][$startsWith]=%25', []],
  ['filters[description][$endsWith]=%25', ['Elderberry']],
]);

filterCases('$null and $notNull', [
  ['filters[description][$null]=true', ['Cherry']],
  ['filters[description][$null]=t', ['Cherry']],
  ['filters[description][$null]=1', ['Cherry']],
  ['filters[description][$null]=false', ['Apple', 'banana', 'date', 'Elderberry']],
  ['filters[description][$null]=f', ['Apple', 'banana', 'date', 'Elderberry']],
  ['filters[description][$null]=0', ['Apple', 'banana', 'date', 'Elderberry']],
  ['filters[description][$null]=', ['Apple', 'banana', 'date', 'Elderberry']],
  // any other string is true
  ['filters[description][$null]=FALSE', ['Cherry']],
  ['filters[description][$null]=False', ['Cherry']],
  ['filters[description][$null]=no', ['Cherry']],
  ['filters[description][$null]=yes', ['Cherry']],
  ['filters[stock][$notNull]=false', ['date']],
  ['filters[stock][$notNull]=true', ['Apple', 'banana', 'Cherry', 'Elderberry']],
]);

filterCases('several operators and attributes are ANDed', [
  ['filters[stock][$gte]=10&filters[stock][$lte]=20', ['Apple', 'banana']],
  ['filters[stock][$gte]=10&filters[description][$containsi]=fruit', ['Apple', 'banana']],
  ['filters[name][$eq]=Apple&filters[stock][$eq]=20', []],
]);

filterCases('$or, $and, $not and nesting', [
  ['filters[$or][0][name][$eq]=Apple&filters[$or][1][stock][$gte]=30', ['Apple', 'Cherry']],
  ['filters[$and][0][stock][$gte]=10&filters[$and][1][stock][$lt]=30', ['Apple', 'banana']],
  ['filters[$not][name][$eq]=Apple', ['banana', 'Cherry', 'date', 'Elderberry']],
  ['filters[name][$not][$eq]=Apple', ['banana', 'Cherry', 'date', 'Elderberry']],
  ['filters[$not][$or][0][name][$eq]=Apple&filters[$not][$or][1][name][$eq]=banana', ['Cherry', 'date', 'Elderberry']],
  [
    'filters[$and][0][$or][0][name][$eq]=Apple&filters[$and][0][$or][1][name][$eq]=Cherry&filters[$and][1][stock][$gt]=15',
    ['Cherry'],
  ],
  [
    'filters[$or][0][$and][0][category][$eq]=alpha&filters[$or][0][$and][1][price][$gt]=1&filters[$or][1][name][$eq]=Apple',
    ['Apple', 'date'],
  ],
  ['filters[$or][0][name][$eq]=Apple&filters[$or][1][name][$eq]=banana&filters[stock][$gt]=15', ['banana']],
  ['filters[$not][$and][0][stock][$gte]=10&filters[$not][$and][1][stock][$lte]=20', ['Cherry', 'Elderberry']],
]);

filterCases('typed values', [
  ['filters[releaseDate][$gt]=2024-01-15', ['banana', 'Cherry']],
  ['filters[releaseDate][$eq]=2024-01-10', ['Apple']],
  ['filters[launchAt][$lt]=2024-02-01', ['Apple', 'Elderberry']],
  ['filters[launchAt][$gte]=2024-02-20T10:00:00.000Z', ['banana', 'Cherry']],
  ['filters[launchAt][$eq]=2024-01-20T12:00:00%2B02:00', ['Apple']],
  ['filters[bigValue][$gt]=150', ['banana', 'Cherry']],
  ['filters[bigValue][$lt]=150', ['Apple', 'Elderberry']],
  ['filters[price][$gt]=1.5', ['Cherry', 'date', 'Elderberry']],
  ['filters[price][$eq]=0.5', ['banana']],
  ['filters[active][$eq]=true', ['Apple', 'Cherry', 'Elderberry']],
  ['filters[active][$eq]=t', ['Apple', 'Cherry', 'Elderberry']],
  ['filters[active][$eq]=1', ['Apple', 'Cherry', 'Elderberry']],
  ['filters[active][$eq]=false', ['banana', 'date']],
  ['filters[active][$eq]=f', ['banana', 'date']],
  ['filters[active][$eq]=0', ['banana', 'date']],
  ['filters[active][$eq]=maybe', ['Apple', 'Cherry', 'Elderberry']],
  ['filters[category][$eq]=alpha', ['banana', 'date']],
  ['filters[meta][$contains]=yellow', ['banana']],
  ['filters[meta][$contains]=red', ['Apple', 'Cherry']],
]);

describe('system attributes are filterable', () => {
  test('documentId', async () => {
    const res = await find(`filters[documentId][$eq]=${fruit[2].documentId}`);
    expectStatus(res, 200);
    assert.deepEqual(namesById(res), ['Cherry']);
  });

  test('id', async () => {
    const res = await find(`filters[id][$in][0]=${fruit[0].id}&filters[id][$in][1]=${fruit[4].id}`);
    expectStatus(res, 200);
    assert.deepEqual(namesById(res), ['Apple', 'Elderberry']);
  });

  test('createdAt, updatedAt, publishedAt', async () => {
    for (const attr of ['createdAt', 'updatedAt', 'publishedAt']) {
      const res = await find(`filters[${attr}][$notNull]=true`);
      expectStatus(res, 200);
      assert.deepEqual(namesById(res), ALL, attr);
    }
    const res = await find(`filters[createdAt][$lt]=2000-01-01T00:00:00.000Z`);
    expectStatus(res, 200);
    assert.deepEqual(namesById(res), []);
  });
});

describe('filters on findOne', () => {
  test('a filter that excludes the document -> 404', async () => {
    expectNotFound(await ctx.server.get(`/api/products/${fruit[0].documentId}?filters[name]=nope`, { token: ctx.full }));
  });

  test('a filter that keeps the document -> 200', async () => {
    const res = await ctx.server.get(`/api/products/${fruit[0].documentId}?filters[name]=Apple`, { token: ctx.full });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, fruit[0]);
  });
});

describe('invalid filters', () => {
  const unknownKey = { key: 'nope', path: null, source: 'query', param: 'filters' };

  for (const query of ['filters[nope][$eq]=1', 'filters[nope]=1', 'filters[$or][0][nope]=1']) {
    test(`${query} -> 400 "Invalid key nope"`, async () => {
      expectError(await find(query), 400, 'ValidationError', 'Invalid key nope', unknownKey);
    });
  }

  test('a private attribute -> 400 "Invalid key secretNote" with its path', async () => {
    expectError(await find('filters[secretNote][$eq]=x'), 400, 'ValidationError', 'Invalid key secretNote',
      { key: 'secretNote', path: 'secretNote', source: 'query', param: 'filters' });
  });

  test('a private attribute cannot be probed with string operators either', async () => {
    expectError(await find('filters[secretNote][$startsWith]=secret'), 400, 'ValidationError', 'Invalid key secretNote',
      { key: 'secretNote', path: 'secretNote', source: 'query', param: 'filters' });
  });

  test('unknown operator -> 400 "Invalid key $bogus at name"', async () => {
    expectError(await find('filters[name][$bogus]=1'), 400, 'ValidationError', 'Invalid key $bogus at name',
      { key: '$bogus', path: 'name', source: 'query', param: 'filters' });
  });

  test('filters=abc -> 400 "The filters parameter must be an object or an array"', async () => {
    expectError(await find('filters=abc'), 400, 'ValidationError', 'The filters parameter must be an object or an array');
  });

  test('a bad date value -> 400 "Invalid format, expected yyyy-MM-dd"', async () => {
    expectError(await find('filters[releaseDate][$gt]=notadate'), 400, 'ValidationError', 'Invalid format, expected yyyy-MM-dd');
  });

  // Strapi answers 500 to these; tollgate answers a clean 400 ValidationError.
  for (const query of [
    'filters[stock][$eq]=abc',
    'filters[stock][$eq]=null',
    'filters[$or][name]=Apple',
    'filters[$and][name]=Apple',
    'filters[stock][$between][0]=10',
    'filters[stock][$between]=10,20',
  ]) {
    test(`${query} -> 400 ValidationError (Strapi: 500)`, async () => {
      expectError(await find(query), 400, 'ValidationError', /./, ANY_DETAILS);
    });
  }
});
