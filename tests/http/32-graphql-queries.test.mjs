// GraphQL queries (strapi-graphql.md §3–§6): <plural>(filters, pagination,
// sort, status), <plural>_connection { nodes pageInfo }, <singular>(documentId),
// single types, draft & publish, the serialisation of every attribute type,
// and the language itself: aliases, fragments, inline fragments,
// @include/@skip, variables with defaults and coercion, __typename.
// Data: the products of lib/graphql.mjs PRODUCTS (the spec's examples), in
// id order Apple, banana, Cherry, date, Elderberry; other entries are made
// only by the last describe blocks.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DOCUMENT_ID, ISO_DATETIME, expectStatus, uniq, waitPast } from './lib/harness.mjs';
import {
  dataOf, expectData, expectPartial, expectRequestError, gqlError, gqlSetup, locOf, restCreate, seedProducts, strapiError,
} from './lib/graphql.mjs';

let ctx;
let seeded;           // REST entries of PRODUCTS, in id order
const id = {};        // name -> documentId

before(async () => {
  ctx = await gqlSetup();
  seeded = await seedProducts(ctx.server, ctx.full);
  for (const p of seeded) id[p.name] = p.documentId;
});

after(async () => {
  await ctx?.teardown();
});

const q = (query, opts) => ctx.gql(query, opts);

/** Names of data.<field> (a list, or a connection's nodes). */
async function namesOf(query, opts, field = 'products') {
  const data = dataOf(await q(query, opts));
  const list = Array.isArray(data[field]) ? data[field] : data[field].nodes;
  return list.map((p) => p.name);
}

const filtered = (filters, extra = '') => namesOf(`{ products(filters: ${filters}${extra}) { name } }`);

const ID_ORDER = ['Apple', 'banana', 'Cherry', 'date', 'Elderberry'];

// ---- the spec's examples ----------------------------------------------------------------------

describe('strapi-graphql.md §5 examples', () => {
  test('products(filters stock gte 10, sort ["stock:desc"], page 1 size 2) -> Cherry, banana with every scalar', async () => {
    const res = await q(`{ products(filters: { stock: { gte: 10 } }, sort: ["stock:desc"], pagination: { page: 1, pageSize: 2 }) {
    documentId name stock bigValue amount releaseDate openingTime launchAt meta category active } }`);
    expectData(res, {
      products: [
        {
          documentId: id.Cherry, name: 'Cherry', stock: 30, bigValue: 300, amount: 30, releaseDate: '2024-03-31',
          openingTime: null, launchAt: '2024-03-31T23:59:59.000Z', meta: null, category: 'gamma', active: true,
        },
        {
          documentId: id.banana, name: 'banana', stock: 20, bigValue: 200, amount: 2.5, releaseDate: '2024-02-10',
          openingTime: null, launchAt: '2024-02-20T10:00:00.000Z', meta: { color: 'yellow' }, category: 'alpha', active: false,
        },
      ],
    });
  });

  test('products_connection(page 1 size 2, sort: "name") -> Apple, Cherry; pageInfo {total:5,page:1,pageSize:2,pageCount:3}', async () => {
    const res = await q('{ products_connection(pagination: { page: 1, pageSize: 2 }, sort: "name") { nodes { name } pageInfo { total page pageSize pageCount } } }');
    expectData(res, {
      products_connection: {
        nodes: [{ name: 'Apple' }, { name: 'Cherry' }],
        pageInfo: { total: 5, page: 1, pageSize: 2, pageCount: 3 },
      },
    });
  });

  test('fragment + aliases: cheap / pricey', async () => {
    const res = await q(`fragment P on Product { name stock }
query Q { cheap: products(filters: { price: { lt: 2 } }, sort: "price") { ...P }
          pricey: products(filters: { price: { gte: 2 } }, sort: "price") { ...P price } }`);
    expectData(res, {
      cheap: [{ name: 'banana', stock: 20 }, { name: 'Apple', stock: 11 }],
      pricey: [{ name: 'Cherry', stock: 30, price: 3 }, { name: 'Elderberry', stock: 0, price: 10 }],
    });
  });

  test('product(documentId: "unknown") -> {"data":{"product":null}}, no error', async () => {
    expectData(await q('{ product(documentId: "unknown") { name } }'), { product: null });
  });

  test('quirk: and/or inside a scalar filter -> 200, "Undefined attribute level operator $or", data null', async () => {
    const res = await q('{ products(filters: { name: { or: ["Apple"] } }) { name } }');
    expectPartial(res, null, [gqlError({
      message: 'Undefined attribute level operator $or',
      locations: [{ line: 1, column: 3 }],
      path: ['products'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    })]);
  });
});

// ---- lists --------------------------------------------------------------------------------------

describe('lists', () => {
  test('products without arguments -> every product, in id order', async () => {
    assert.deepEqual(await namesOf('{ products { name } }'), ID_ORDER);
  });

  test('the keys of each entry follow the selection set order', async () => {
    const data = dataOf(await q('{ products(pagination: { pageSize: 1 }) { stock name documentId } }'));
    assert.deepEqual(data, { products: [{ stock: 11, name: 'Apple', documentId: id.Apple }] });
    assert.deepEqual(Object.keys(data.products[0]), ['stock', 'name', 'documentId']);
  });

  test('root fields come back in document order', async () => {
    const data = dataOf(await q('{ b: products_connection { pageInfo { total } } a: products(pagination: { pageSize: 1 }) { name } }'));
    assert.deepEqual(Object.keys(data), ['b', 'a']);
  });
});

// ---- filters --------------------------------------------------------------------------------------

describe('filters', () => {
  const cases = [
    ['{ name: { eq: "Apple" } }', ['Apple']],
    ['{ name: { eq: "apple" } }', []],
    ['{ name: { eqi: "apple" } }', ['Apple']],
    ['{ stock: { ne: 11 } }', ['banana', 'Cherry', 'Elderberry']],
    ['{ name: { nei: "apple" } }', ['banana', 'Cherry', 'date', 'Elderberry']],
    ['{ stock: { lt: 20 } }', ['Apple', 'Elderberry']],
    ['{ stock: { lte: 20 } }', ['Apple', 'banana', 'Elderberry']],
    ['{ stock: { gt: 20 } }', ['Cherry']],
    ['{ stock: { gte: 20 } }', ['banana', 'Cherry']],
    ['{ stock: { in: [10, 30] } }', ['Cherry']],
    ['{ stock: { in: [11, 30] } }', ['Apple', 'Cherry']],
    ['{ stock: { notIn: [11, 30] } }', ['banana', 'Elderberry']],
    ['{ stock: { between: [10, 20] } }', ['Apple', 'banana']],
    ['{ name: { contains: "an" } }', ['banana']],
    ['{ description: { notContains: "Berry" } }', ['Apple', 'banana', 'date']],
    ['{ description: { containsi: "FRUIT" } }', ['Apple', 'banana', 'date']],
    ['{ description: { notContainsi: "fruit" } }', ['Elderberry']],
    ['{ name: { startsWith: "A" } }', ['Apple']],
    ['{ name: { endsWith: "y" } }', ['Cherry', 'Elderberry']],
    ['{ description: { null: true } }', ['Cherry']],
    ['{ description: { null: false } }', ['Apple', 'banana', 'date', 'Elderberry']],
    ['{ stock: { notNull: false } }', ['date']],
    ['{ stock: { notNull: true } }', ['Apple', 'banana', 'Cherry', 'Elderberry']],
    ['{ description: { eq: null } }', ['Cherry']],
    ['{ or: [{ name: { eq: "Apple" } }, { stock: { gte: 30 } }] }', ['Apple', 'Cherry']],
    ['{ and: [{ stock: { gte: 10 } }, { stock: { lte: 20 } }] }', ['Apple', 'banana']],
    ['{ not: { name: { eqi: "apple" } } }', ['banana', 'Cherry', 'date', 'Elderberry']],
    ['{ name: { not: { eq: "Apple" } } }', ['banana', 'Cherry', 'date', 'Elderberry']],
    ['{ not: { or: [{ name: { eq: "Apple" } }, { name: { eq: "Cherry" } }] } }', ['banana', 'date', 'Elderberry']],
    ['{ or: [{ and: [{ active: { eq: true } }, { stock: { lt: 20 } }] }, { name: { eq: "date" } }] }', ['Apple', 'date', 'Elderberry']],
    ['{ stock: { gte: 10, lte: 20 } }', ['Apple', 'banana']],
    ['{ active: { eq: true }, stock: { gte: 10 } }', ['Apple', 'Cherry']],
    ['{ category: { eq: "beta" } }', ['Apple', 'Elderberry']],
    ['{ bigValue: { gt: "150" } }', ['banana', 'Cherry']],
    ['{ bigValue: { gt: 150 } }', ['banana', 'Cherry']],
    ['{ price: { lt: 2 } }', ['Apple', 'banana']],
    ['{ amount: { gte: 2.5 } }', ['banana', 'Cherry']],
    ['{ active: { eq: false } }', ['banana', 'date']],
    ['{ releaseDate: { gt: "2024-01-15" } }', ['banana', 'Cherry']],
    ['{ launchAt: { lt: "2024-02-01T00:00:00.000Z" } }', ['Apple', 'Elderberry']],
    ['{ openingTime: { eq: "08:00:00.000" } }', ['Apple']],
    ['{}', ID_ORDER],
  ];
  for (const [filters, expected] of cases) {
    test(`filters: ${filters} -> ${JSON.stringify(expected)}`, async () => {
      assert.deepEqual(await filtered(filters), expected);
    });
  }

  test('documentId eq and in', async () => {
    assert.deepEqual(await filtered(`{ documentId: { eq: "${id.Cherry}" } }`), ['Cherry']);
    assert.deepEqual(await filtered(`{ documentId: { in: ["${id.date}", "${id.Apple}"] } }`), ['Apple', 'date']);
  });

  test('filters in a variable', async () => {
    const names = await namesOf('query($f: ProductFiltersInput) { products(filters: $f) { name } }', {
      variables: { f: { or: [{ name: { eq: 'Apple' } }, { stock: { gte: 30 } }] } },
    });
    assert.deepEqual(names, ['Apple', 'Cherry']);
  });

  test('variables inside a filter literal', async () => {
    const names = await namesOf('query($a: Int, $b: Int) { products(filters: { stock: { in: [$a, $b] } }) { name } }', {
      variables: { a: 11, b: 0 },
    });
    assert.deepEqual(names, ['Apple', 'Elderberry']);
  });

  test('filters on products_connection: nodes and pageInfo.total', async () => {
    expectData(await q('{ products_connection(filters: { active: { eq: true } }) { nodes { name } pageInfo { total pageCount } } }'), {
      products_connection: {
        nodes: [{ name: 'Apple' }, { name: 'Cherry' }, { name: 'Elderberry' }],
        pageInfo: { total: 3, pageCount: 1 },
      },
    });
  });
});

// ---- sort ---------------------------------------------------------------------------------------------

describe('sort', () => {
  const cases = [
    ['"name"', ['Apple', 'Cherry', 'Elderberry', 'banana', 'date']],
    ['["name"]', ['Apple', 'Cherry', 'Elderberry', 'banana', 'date']],
    ['"name:asc"', ['Apple', 'Cherry', 'Elderberry', 'banana', 'date']],
    ['"name:desc"', ['date', 'banana', 'Elderberry', 'Cherry', 'Apple']],
    ['"name:DESC"', ['date', 'banana', 'Elderberry', 'Cherry', 'Apple']],
    ['"stock"', ['date', 'Elderberry', 'Apple', 'banana', 'Cherry']],
    ['["stock:desc"]', ['Cherry', 'banana', 'Apple', 'Elderberry', 'date']],
    ['["category", "price:desc"]', ['banana', 'date', 'Elderberry', 'Apple', 'Cherry']],
    ['["active:desc", "name"]', ['Apple', 'Cherry', 'Elderberry', 'banana', 'date']],
    ['[]', ID_ORDER],
  ];
  for (const [sort, expected] of cases) {
    test(`sort: ${sort}`, async () => {
      assert.deepEqual(await namesOf(`{ products(sort: ${sort}) { name } }`), expected);
    });
  }

  test('sort in a variable: a single string is coerced to a list', async () => {
    const names = await namesOf('query($s: [String]) { products(sort: $s) { name } }', { variables: { s: 'stock:desc' } });
    assert.deepEqual(names, ['Cherry', 'banana', 'Apple', 'Elderberry', 'date']);
  });

  test('unknown sort key on products -> 200, BAD_USER_INPUT "Invalid key nope", data null', async () => {
    expectPartial(await q('{ products(sort: "nope") { name } }'), null, [
      strapiError(['products'], 'BAD_USER_INPUT', 'ValidationError', 'Invalid key nope', {
        key: 'nope', path: null, source: 'query', param: 'sort',
      }),
    ]);
  });

  test('unknown sort key on products_connection -> data.products_connection null', async () => {
    expectPartial(await q('{ products_connection(sort: ["name", "nope:desc"]) { pageInfo { total } } }'), { products_connection: null }, [
      strapiError(['products_connection'], 'BAD_USER_INPUT', 'ValidationError', 'Invalid key nope', {
        key: 'nope', path: null, source: 'query', param: 'sort',
      }),
    ]);
  });

  test('bad order -> BAD_USER_INPUT "Invalid order. order can only be one of asc|desc|ASC|DESC"', async () => {
    expectPartial(await q('{ products_connection(sort: "name:sideways") { pageInfo { total } } }'), { products_connection: null }, [
      strapiError(['products_connection'], 'BAD_USER_INPUT', 'ValidationError', 'Invalid order. order can only be one of asc|desc|ASC|DESC'),
    ]);
  });
});

// ---- pagination ------------------------------------------------------------------------------------------

describe('pagination', () => {
  const conn = (args) => q(`{ products_connection${args ? `(${args})` : ''} { nodes { name } pageInfo { total page pageSize pageCount } } }`);
  const expectConn = async (args, nodes, pageInfo) => {
    expectData(await conn(args), { products_connection: { nodes: nodes.map((name) => ({ name })), pageInfo } });
  };

  test('defaults: page 1, pageSize 25', async () => {
    await expectConn('', ID_ORDER, { total: 5, page: 1, pageSize: 25, pageCount: 1 });
  });

  test('page 2, pageSize 2, sort name', async () => {
    await expectConn('pagination: { page: 2, pageSize: 2 }, sort: "name"', ['Elderberry', 'banana'], { total: 5, page: 2, pageSize: 2, pageCount: 3 });
  });

  test('page 3 -> the last row; page 4 -> none, page echoed', async () => {
    await expectConn('pagination: { page: 3, pageSize: 2 }', ['Elderberry'], { total: 5, page: 3, pageSize: 2, pageCount: 3 });
    await expectConn('pagination: { page: 4, pageSize: 2 }', [], { total: 5, page: 4, pageSize: 2, pageCount: 3 });
  });

  test('page 2 alone (pageSize 25) -> none', async () => {
    await expectConn('pagination: { page: 2 }', [], { total: 5, page: 2, pageSize: 25, pageCount: 1 });
  });

  test('{start: 2, limit: 2} -> rows 3-4, pageInfo in page mode {total:5, page:2, pageSize:2, pageCount:3}', async () => {
    await expectConn('pagination: { start: 2, limit: 2 }', ['Cherry', 'date'], { total: 5, page: 2, pageSize: 2, pageCount: 3 });
  });

  test('{start: 3, limit: 2} -> page floor(3/2)+1 = 2', async () => {
    await expectConn('pagination: { start: 3, limit: 2 }', ['date', 'Elderberry'], { total: 5, page: 2, pageSize: 2, pageCount: 3 });
  });

  test('{start: 2} alone -> page 1, pageSize 25', async () => {
    await expectConn('pagination: { start: 2 }', ['Cherry', 'date', 'Elderberry'], { total: 5, page: 1, pageSize: 25, pageCount: 1 });
  });

  test('{limit: 2} alone -> start 0', async () => {
    await expectConn('pagination: { limit: 2 }', ['Apple', 'banana'], { total: 5, page: 1, pageSize: 2, pageCount: 3 });
  });

  test('pageSize above 100 -> 100', async () => {
    for (const args of ['pagination: { pageSize: 1000 }', 'pagination: { pageSize: 101 }', 'pagination: { limit: 1000 }']) {
      await expectConn(args, ID_ORDER, { total: 5, page: 1, pageSize: 100, pageCount: 1 });
    }
  });

  test('pageSize 0 or negative -> 1 (quirk)', async () => {
    for (const args of ['pagination: { pageSize: 0 }', 'pagination: { pageSize: -1 }']) {
      await expectConn(args, ['Apple'], { total: 5, page: 1, pageSize: 1, pageCount: 5 });
    }
  });

  test('page 0 or negative -> 1', async () => {
    for (const args of ['pagination: { page: 0, pageSize: 2 }', 'pagination: { page: -1, pageSize: 2 }']) {
      await expectConn(args, ['Apple', 'banana'], { total: 5, page: 1, pageSize: 2, pageCount: 3 });
    }
  });

  test('start -1 -> 0', async () => {
    await expectConn('pagination: { start: -1, limit: 2 }', ['Apple', 'banana'], { total: 5, page: 1, pageSize: 2, pageCount: 3 });
  });

  test('empty result -> {"nodes":[],"pageInfo":{"total":0,"page":1,"pageSize":25,"pageCount":0}}', async () => {
    await expectConn('filters: { name: { eq: "none" } }', [], { total: 0, page: 1, pageSize: 25, pageCount: 0 });
  });

  test('page & offset together -> 200, STRAPI_PAGINATION_ERROR, data.products_connection null', async () => {
    const message = 'Cannot use both page & offset pagination in the same query';
    for (const args of ['pagination: { page: 1, limit: 2 }', 'pagination: { start: 0, pageSize: 2 }']) {
      expectPartial(await conn(args), { products_connection: null }, [
        strapiError(['products_connection'], 'STRAPI_PAGINATION_ERROR', 'PaginationError', message),
      ]);
    }
  });

  test('page & offset together on the list field -> data null', async () => {
    expectPartial(await q('{ products(pagination: { page: 1, limit: 2 }) { name } }'), null, [
      strapiError(['products'], 'STRAPI_PAGINATION_ERROR', 'PaginationError', 'Cannot use both page & offset pagination in the same query'),
    ]);
  });

  test('the list field paginates too', async () => {
    assert.deepEqual(await namesOf('{ products(pagination: { page: 2, pageSize: 2 }) { name } }'), ['Cherry', 'date']);
    assert.deepEqual(await namesOf('{ products(pagination: { start: 4, limit: 10 }) { name } }'), ['Elderberry']);
  });

  describe('at most 100 rows (105 articles)', () => {
    before(async () => {
      for (let i = 0; i < 105; i += 1) await restCreate(ctx.server, ctx.full, 'articles', { title: `bulk ${i}`, views: i });
    });

    test('articles: 25 by default, 100 for pageSize 1000 or limit 200', async () => {
      const count = async (args) => dataOf(await q(`{ articles${args} { views } }`)).articles.length;
      assert.equal(await count(''), 25);
      assert.equal(await count('(pagination: { pageSize: 1000 })'), 100);
      assert.equal(await count('(pagination: { limit: 200 })'), 100);
      assert.equal(await count('(pagination: { page: 2, pageSize: 1000 })'), 5);
    });

    test('articles_connection page 2 of 100 -> 5 nodes, pageCount 2', async () => {
      const data = dataOf(await q('{ articles_connection(pagination: { page: 2, pageSize: 100 }, sort: "views") { nodes { views } pageInfo { total page pageSize pageCount } } }'));
      assert.deepEqual(data.articles_connection.nodes, [100, 101, 102, 103, 104].map((views) => ({ views })));
      assert.deepEqual(data.articles_connection.pageInfo, { total: 105, page: 2, pageSize: 100, pageCount: 2 });
    });
  });
});

// ---- one entry ----------------------------------------------------------------------------------------

describe('single entry by documentId', () => {
  test('product(documentId) -> the entry', async () => {
    expectData(await q(`{ product(documentId: "${id.Elderberry}") { documentId name stock price openingTime meta } }`), {
      product: { documentId: id.Elderberry, name: 'Elderberry', stock: 0, price: 10, openingTime: '23:30:00.000', meta: { color: 'purple' } },
    });
  });

  test('documentId in a variable ($id: ID!)', async () => {
    expectData(await q('query($id: ID!) { product(documentId: $id) { name } }', { variables: { id: id.banana } }), { product: { name: 'banana' } });
  });

  test('an Int literal is a valid ID -> no such entry, null', async () => {
    expectData(await q('{ product(documentId: 123) { name } }'), { product: null });
  });

  test('several singles and a missing one in one request', async () => {
    expectData(await q(`{ a: product(documentId: "${id.Apple}") { name } x: product(documentId: "nope") { name } c: product(documentId: "${id.Cherry}") { name } }`), {
      a: { name: 'Apple' }, x: null, c: { name: 'Cherry' },
    });
  });
});

// ---- single types ------------------------------------------------------------------------------------

describe('single type (homepage)', () => {
  test('no entry yet -> {"data":{"homepage":null}}', async () => {
    expectData(await q('{ homepage { heading } }'), { homepage: null });
  });

  test('after PUT /api/homepage -> the entry', async () => {
    const res = await ctx.server.put('/api/homepage', { token: ctx.full, body: { data: { heading: 'Welcome', featured: 3 } } });
    expectStatus(res, 200);
    const home = res.json.data;
    expectData(await q('{ homepage { documentId heading tagline featured createdAt updatedAt publishedAt } }'), {
      homepage: {
        documentId: home.documentId, heading: 'Welcome', tagline: null, featured: 3,
        createdAt: home.createdAt, updatedAt: home.updatedAt, publishedAt: home.publishedAt,
      },
    });
  });

  test('status: PUBLISHED is accepted on a single type', async () => {
    expectData(await q('{ homepage(status: PUBLISHED) { heading } }'), { homepage: { heading: 'Welcome' } });
  });
});

// ---- draft & publish -------------------------------------------------------------------------------

describe('draft & publish (post)', () => {
  const post = {};  // title -> documentId

  before(async () => {
    for (const title of ['One', 'Two']) post[title] = (await restCreate(ctx.server, ctx.full, 'posts', { title, rating: 1 })).documentId;
    post.Three = (await restCreate(ctx.server, ctx.full, 'posts', { title: 'Three', rating: 3 }, '?status=draft')).documentId;
    post.Four = (await restCreate(ctx.server, ctx.full, 'posts', { title: 'Four', rating: 4 })).documentId;
    const edit = await ctx.server.put(`/api/posts/${post.Four}?status=draft`, { token: ctx.full, body: { data: { title: 'Four (draft)' } } });
    expectStatus(edit, 200);
    post.untitled = (await restCreate(ctx.server, ctx.full, 'posts', { rating: 5 }, '?status=draft')).documentId;
  });

  test('posts (default status PUBLISHED) -> the published versions, publishedAt set', async () => {
    const data = dataOf(await q('{ posts { documentId title publishedAt } }'));
    assert.deepEqual(data.posts.map((p) => [p.documentId, p.title]), [[post.One, 'One'], [post.Two, 'Two'], [post.Four, 'Four']]);
    for (const p of data.posts) assert.match(p.publishedAt, ISO_DATETIME);
    assert.deepEqual(dataOf(await q('{ posts(status: PUBLISHED) { documentId title publishedAt } }')), data);
  });

  test('posts(status: DRAFT) -> the draft of every document; a draft without title breaks Post.title', async () => {
    const query = '{ posts(status: DRAFT) { documentId title publishedAt } }';
    const res = await q(query);
    expectPartial(res, {
      posts: [
        { documentId: post.One, title: 'One', publishedAt: null },
        { documentId: post.Two, title: 'Two', publishedAt: null },
        { documentId: post.Three, title: 'Three', publishedAt: null },
        { documentId: post.Four, title: 'Four (draft)', publishedAt: null },
        null,
      ],
    }, [gqlError({
      message: 'Cannot return null for non-nullable field Post.title.',
      locations: [locOf(query, 'title')],
      path: ['posts', 4, 'title'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    })]);
  });

  test('the untitled draft without title selected -> no error', async () => {
    const data = dataOf(await q('{ posts(status: DRAFT, filters: { rating: { eq: 5 } }) { documentId rating publishedAt } }'));
    assert.deepEqual(data, { posts: [{ documentId: post.untitled, rating: 5, publishedAt: null }] });
  });

  test('hasPublishedVersion with status DRAFT', async () => {
    const ids = async (flag) => dataOf(await q(`{ posts(status: DRAFT, hasPublishedVersion: ${flag}) { documentId } }`)).posts.map((p) => p.documentId);
    assert.deepEqual(await ids(true), [post.One, post.Two, post.Four]);
    assert.deepEqual(await ids(false), [post.Three, post.untitled]);
  });

  test('post(documentId) of a never-published document -> null; with status DRAFT -> the draft', async () => {
    expectData(await q(`{ post(documentId: "${post.Three}") { title } }`), { post: null });
    expectData(await q(`{ post(documentId: "${post.Three}", status: DRAFT) { title rating publishedAt } }`), {
      post: { title: 'Three', rating: 3, publishedAt: null },
    });
  });

  test('post(documentId) of a published document with a newer draft: each status its own version', async () => {
    expectData(await q(`{ p: post(documentId: "${post.Four}") { title } d: post(documentId: "${post.Four}", status: DRAFT) { title } }`), {
      p: { title: 'Four' }, d: { title: 'Four (draft)' },
    });
  });

  test('posts_connection counts per status', async () => {
    expectData(await q('{ p: posts_connection { pageInfo { total } } d: posts_connection(status: DRAFT) { pageInfo { total } } }'), {
      p: { pageInfo: { total: 3 } }, d: { pageInfo: { total: 5 } },
    });
  });

  test('status in a variable', async () => {
    const data = dataOf(await q('query($s: PublicationStatus) { posts(status: $s, filters: { title: { eq: "Three" } }) { title } }', {
      variables: { s: 'DRAFT' },
    }));
    assert.deepEqual(data, { posts: [{ title: 'Three' }] });
  });
});

// ---- the language ----------------------------------------------------------------------------------

describe('GraphQL language', () => {
  const one = 'pagination: { pageSize: 1 }';

  test('aliases: the same field twice with different arguments', async () => {
    expectData(await q(`{ first: product(documentId: "${id.Apple}") { n: name s: stock } second: product(documentId: "${id.Cherry}") { n: name } }`), {
      first: { n: 'Apple', s: 11 }, second: { n: 'Cherry' },
    });
  });

  test('named fragments, nested spreads, a fragment on the connection type', async () => {
    const res = await q(`
      query {
        products_connection(sort: "name", pagination: { pageSize: 2 }) { ...Conn }
      }
      fragment Conn on ProductEntityResponseCollection { nodes { ...Base } pageInfo { ...Page } }
      fragment Base on Product { name ...More }
      fragment More on Product { stock }
      fragment Page on Pagination { total pageCount }`);
    expectData(res, {
      products_connection: { nodes: [{ name: 'Apple', stock: 11 }, { name: 'Cherry', stock: 30 }], pageInfo: { total: 5, pageCount: 3 } },
    });
  });

  test('inline fragments, with and without a type condition, also on Query', async () => {
    const res = await q(`{ ... on Query { products(${one}) { ... on Product { name } ... { stock } } } ... { t: __typename } }`);
    expectData(res, { products: [{ name: 'Apple', stock: 11 }], t: 'Query' });
  });

  test('fields selected twice are merged, in first-seen order', async () => {
    const res = await q(`{ products(${one}) { name } products(${one}) { stock name } }`);
    expectData(res, { products: [{ name: 'Apple', stock: 11 }] });
  });

  test('fields merged from fragments and nested selections', async () => {
    const res = await q(`{ products_connection { pageInfo { total } } ...F } fragment F on Query { products_connection { pageInfo { page } nodes { name } } }`);
    const data = dataOf(res);
    assert.deepEqual(Object.keys(data.products_connection), ['pageInfo', 'nodes']);
    assert.deepEqual(data.products_connection.pageInfo, { total: 5, page: 1 });
    assert.equal(data.products_connection.nodes.length, 5);
  });

  test('@include and @skip with literals', async () => {
    const res = await q(`{ products(${one}) { name stock @include(if: false) price @include(if: true) active @skip(if: true) category @skip(if: false) } }`);
    expectData(res, { products: [{ name: 'Apple', price: 1.5, category: 'beta' }] });
  });

  test('@include and @skip with variables, on fragments and inline fragments', async () => {
    const query = `query($with: Boolean!, $without: Boolean = true) {
      products(${one}) { name ...S @include(if: $with) ... on Product @skip(if: $without) { price } }
    } fragment S on Product { stock }`;
    expectData(await q(query, { variables: { with: true } }), { products: [{ name: 'Apple', stock: 11 }] });
    expectData(await q(query, { variables: { with: false, without: false } }), { products: [{ name: 'Apple', price: 1.5 }] });
  });

  test('@skip wins over @include', async () => {
    expectData(await q(`{ products(${one}) { name stock @include(if: true) @skip(if: true) } }`), { products: [{ name: 'Apple' }] });
  });

  test('every root field skipped -> {"data":{}}', async () => {
    expectData(await q('{ products @skip(if: true) { name } }'), {});
  });

  test('variable defaults apply when the variable is absent; a value overrides them', async () => {
    const query = 'query($size: Int = 2, $s: [String] = ["name"]) { products(pagination: { pageSize: $size }, sort: $s) { name } }';
    assert.deepEqual(await namesOf(query), ['Apple', 'Cherry']);
    assert.deepEqual(await namesOf(query, { variables: { size: 3, s: ['name:desc'] } }), ['date', 'banana', 'Elderberry']);
  });

  test('an input-object default ($p: PaginationArg = {pageSize: 2})', async () => {
    const query = 'query($p: PaginationArg = { pageSize: 2 }) { products_connection(pagination: $p) { pageInfo { pageSize pageCount } } }';
    expectData(await q(query), { products_connection: { pageInfo: { pageSize: 2, pageCount: 3 } } });
    expectData(await q(query, { variables: { p: { pageSize: 5 } } }), { products_connection: { pageInfo: { pageSize: 5, pageCount: 1 } } });
  });

  test('an absent nullable variable leaves the argument unset', async () => {
    assert.deepEqual(await namesOf('query($f: ProductFiltersInput) { products(filters: $f) { name } }'), ID_ORDER);
  });

  test('coercion: Int value for a Float variable, a single value for a list variable, an Int for an ID', async () => {
    assert.deepEqual(await namesOf('query($p: Float) { products(filters: { price: { lt: $p } }) { name } }', { variables: { p: 2 } }), ['Apple', 'banana']);
    assert.deepEqual(await namesOf('query($n: [String]) { products(filters: { name: { in: $n } }) { name } }', { variables: { n: 'Cherry' } }), ['Cherry']);
    expectData(await q('query($id: ID!) { product(documentId: $id) { name } }', { variables: { id: 42 } }), { product: null });
  });

  test('a Long variable as a number or as a string', async () => {
    const query = 'query($v: Long) { products(filters: { bigValue: { gte: $v } }) { name } }';
    assert.deepEqual(await namesOf(query, { variables: { v: 200 } }), ['banana', 'Cherry']);
    assert.deepEqual(await namesOf(query, { variables: { v: '200' } }), ['banana', 'Cherry']);
  });

  test('a list literal given as a single value is coerced ({ in: 30 })', async () => {
    assert.deepEqual(await filtered('{ stock: { in: 30 } }'), ['Cherry']);
  });

  test('__typename on every level', async () => {
    const res = await q(`{ __typename t: __typename products(${one}) { __typename name }
      products_connection(${one}) { __typename nodes { __typename } pageInfo { __typename } } }`);
    expectData(res, {
      __typename: 'Query',
      t: 'Query',
      products: [{ __typename: 'Product', name: 'Apple' }],
      products_connection: {
        __typename: 'ProductEntityResponseCollection',
        nodes: [{ __typename: 'Product' }],
        pageInfo: { __typename: 'Pagination' },
      },
    });
  });

  test('operationName picks one of several named queries', async () => {
    const doc = `query A { products(${one}) { name } } query B { products_connection { pageInfo { total } } }`;
    expectData(await q(doc, { operationName: 'B' }), { products_connection: { pageInfo: { total: 5 } } });
    expectData(await q(doc, { operationName: 'A' }), { products: [{ name: 'Apple' }] });
  });

  test('comments, commas and a block string are ignored / read as the spec says', async () => {
    const res = await q(`# a comment
      query Named, {
        products(filters: { name: { eq: """Apple""" } },,,) { name, stock } # trailing
      }`);
    expectData(res, { products: [{ name: 'Apple', stock: 11 }] });
  });

  test('escapes in string literals', async () => {
    expectData(await q('{ products(filters: { name: { eq: "\\u0041pple" } }) { name } }'), { products: [{ name: 'Apple' }] });
  });
});

// ---- serialisation (makes more products: keep last) ------------------------------------------------

describe('serialisation of every attribute type', () => {
  const ALL = 'documentId name sku description content contact slug category stock bigValue price amount active releaseDate openingTime launchAt meta createdAt updatedAt publishedAt';

  test('a product with every attribute: GraphQL = REST minus id, bigValue a number', async () => {
    const rest = await restCreate(ctx.server, ctx.full, 'products', {
      name: 'Widget', sku: 'ABC-1', description: 'plain text', content: '# Rich\n\ntext', contact: 'a@b.co', slug: 'widget',
      category: 'beta', stock: 5, bigValue: '123456789', price: 1.5, amount: 12.34, active: false, releaseDate: '2024-05-06',
      openingTime: '09:30:00', launchAt: '2024-05-06T10:00:00+02:00', meta: { a: [1, 2], b: null }, secretNote: 'hidden',
    });
    const res = await q(`query($id: ID!) { product(documentId: $id) { ${ALL} } }`, { variables: { id: rest.documentId } });
    assert.match(rest.createdAt, ISO_DATETIME);
    expectData(res, {
      product: {
        documentId: rest.documentId, name: 'Widget', sku: 'ABC-1', description: 'plain text', content: '# Rich\n\ntext',
        contact: 'a@b.co', slug: 'widget', category: 'beta', stock: 5, bigValue: 123456789, price: 1.5, amount: 12.34,
        active: false, releaseDate: '2024-05-06', openingTime: '09:30:00.000', launchAt: '2024-05-06T08:00:00.000Z',
        meta: { a: [1, 2], b: null }, createdAt: rest.createdAt, updatedAt: rest.updatedAt, publishedAt: rest.publishedAt,
      },
    });
  });

  test('unset attributes are null; defaults filled (category alpha, active true)', async () => {
    const rest = await restCreate(ctx.server, ctx.full, 'products', { name: 'Bare' });
    const data = dataOf(await q(`{ product(documentId: "${rest.documentId}") { ${ALL} } }`));
    const p = data.product;
    assert.deepEqual(Object.keys(p), ALL.split(' '));
    assert.equal(p.documentId, rest.documentId);
    assert.match(p.documentId, DOCUMENT_ID);
    for (const k of ['sku', 'description', 'content', 'contact', 'slug', 'stock', 'bigValue', 'price', 'amount', 'releaseDate', 'openingTime', 'launchAt', 'meta']) {
      assert.equal(p[k], null, `${k} should be null`);
    }
    assert.equal(p.category, 'alpha');
    assert.equal(p.active, true);
    for (const k of ['createdAt', 'updatedAt', 'publishedAt']) assert.match(p[k], ISO_DATETIME);
  });

  test('JSON values are returned verbatim: string, number, boolean, array, nested object', async () => {
    const values = ['just text', 42, true, [1, 'two', { three: 3 }], { deep: { er: [null, false, 1.5] } }];
    const ids = [];
    for (const meta of values) ids.push((await restCreate(ctx.server, ctx.full, 'products', { name: uniq('json'), meta })).documentId);
    const data = dataOf(await q('query($ids: [ID]) { products(filters: { documentId: { in: $ids } }) { meta } }', { variables: { ids } }));
    assert.deepEqual(data.products.map((p) => p.meta), values);
  });

  test('Long: negative and zero are numbers', async () => {
    const a = await restCreate(ctx.server, ctx.full, 'products', { name: uniq('long'), bigValue: '-5' });
    const b = await restCreate(ctx.server, ctx.full, 'products', { name: uniq('long'), bigValue: 0 });
    expectData(await q(`{ a: product(documentId: "${a.documentId}") { bigValue } b: product(documentId: "${b.documentId}") { bigValue } }`), {
      a: { bigValue: -5 }, b: { bigValue: 0 },
    });
  });

  test('private attributes are not in the output type (secretNote)', async () => {
    expectRequestError(await q('{ products { secretNote } }'), 'GRAPHQL_VALIDATION_FAILED',
      'Cannot query field "secretNote" on type "Product".', [{ line: 1, column: 14 }]);
  });

  test('article and post scalars', async () => {
    const art = await restCreate(ctx.server, ctx.full, 'articles', { title: 'Ser', body: 'Body text', views: 7, published: true });
    expectData(await q(`{ article(documentId: "${art.documentId}") { documentId title body views published createdAt updatedAt publishedAt } }`), {
      article: {
        documentId: art.documentId, title: 'Ser', body: 'Body text', views: 7, published: true,
        createdAt: art.createdAt, updatedAt: art.updatedAt, publishedAt: art.publishedAt,
      },
    });
  });
});

// ---- publicationFilter (makes more posts: keep last) -----------------------------------------------

// Strapi 5's PublicationFilter: a cohort of documents by how their draft and
// published rows relate, then the rows of the requested status in it (the
// status defaults to PUBLISHED). Without i18n, the _DOCUMENT modes select
// what the plain ones do. hasPublishedVersion is the deprecated form of
// HAS_PUBLISHED_VERSION_DOCUMENT / NEVER_PUBLISHED_DOCUMENT. Documents here
// have rating >= 900, which the queries filter on to leave the earlier
// posts out:
//   never      draft only (status=draft)
//   same       published once: draft and published row updated together
//   edited     published, then its draft edited: the draft is newer
//   orphan     a published row whose draft row is gone (as after an import)
//   again      published, draft edited, published again: updated together
describe('publicationFilter (post)', () => {
  const doc = {};     // key -> documentId
  const key = {};     // documentId -> key
  const MINE = 'filters: { rating: { gte: 900 } }, sort: "rating"';

  before(async () => {
    const make = async (k, rating, query = '') => {
      const entry = await restCreate(ctx.server, ctx.full, 'posts', { title: `pf-${k}`, rating }, query);
      doc[k] = entry.documentId;
      key[entry.documentId] = k;
      return entry;
    };
    const put = async (k, data, query = '') => {
      const res = await ctx.server.put(`/api/posts/${doc[k]}${query}`, { token: ctx.full, body: { data } });
      expectStatus(res, 200);
      return res.json.data;
    };
    await make('never', 901, '?status=draft');
    await make('same', 902);
    const edited = await make('edited', 903);
    await waitPast(Date.parse(edited.updatedAt));
    await put('edited', { title: 'pf-edited (draft)' }, '?status=draft');
    await make('orphan', 904);
    ctx.project.sql(`DELETE FROM posts WHERE document_id = '${doc.orphan}' AND published_at IS NULL`);
    const again = await make('again', 905);
    await waitPast(Date.parse(again.updatedAt));
    const draft = await put('again', { title: 'pf-again (draft)' }, '?status=draft');
    await waitPast(Date.parse(draft.updatedAt));
    await put('again', { title: 'pf-again (2)' });
  });

  /** The keys of the documents a list returns, in rating order. */
  async function cohort(args) {
    const data = dataOf(await q(`{ posts(${MINE}${args ? `, ${args}` : ''}) { documentId } }`));
    return data.posts.map((p) => key[p.documentId]);
  }

  const EXPECTED = {
    // mode: [drafts, published rows]
    NEVER_PUBLISHED: [['never'], []],
    NEVER_PUBLISHED_DOCUMENT: [['never'], []],
    HAS_PUBLISHED_VERSION: [['same', 'edited', 'again'], ['same', 'edited', 'again']],
    HAS_PUBLISHED_VERSION_DOCUMENT: [['same', 'edited', 'again'], ['same', 'edited', 'again']],
    MODIFIED: [['edited'], ['edited']],
    UNMODIFIED: [['same', 'again'], ['same', 'again']],
    PUBLISHED_WITHOUT_DRAFT: [[], ['orphan']],
    PUBLISHED_WITH_DRAFT: [[], ['same', 'edited', 'again']],
  };

  test('the data set: drafts and published rows', async () => {
    assert.deepEqual(await cohort('status: DRAFT'), ['never', 'same', 'edited', 'again']);
    assert.deepEqual(await cohort(''), ['same', 'edited', 'orphan', 'again']);
  });

  for (const [mode, [drafts, published]] of Object.entries(EXPECTED)) {
    test(`${mode}: drafts ${JSON.stringify(drafts)}, published rows ${JSON.stringify(published)}`, async () => {
      assert.deepEqual(await cohort(`status: DRAFT, publicationFilter: ${mode}`), drafts, 'status: DRAFT');
      assert.deepEqual(await cohort(`status: PUBLISHED, publicationFilter: ${mode}`), published, 'status: PUBLISHED');
      assert.deepEqual(await cohort(`publicationFilter: ${mode}`), published, 'the default status');
    });
  }

  test('the rows returned are the slice asked for (the edited draft, its older published row)', async () => {
    const data = dataOf(await q(`{ d: posts(${MINE}, status: DRAFT, publicationFilter: MODIFIED) { title publishedAt }
      p: posts(${MINE}, publicationFilter: MODIFIED) { title } }`));
    assert.deepEqual(data.d, [{ title: 'pf-edited (draft)', publishedAt: null }]);
    assert.deepEqual(data.p, [{ title: 'pf-edited' }]);
  });

  test('MODIFIED and UNMODIFIED split HAS_PUBLISHED_VERSION; WITH and WITHOUT a draft split the published rows', async () => {
    for (const status of ['DRAFT', 'PUBLISHED']) {
      const mod = await cohort(`status: ${status}, publicationFilter: MODIFIED`);
      const unmod = await cohort(`status: ${status}, publicationFilter: UNMODIFIED`);
      const has = await cohort(`status: ${status}, publicationFilter: HAS_PUBLISHED_VERSION`);
      assert.deepEqual([...mod, ...unmod].sort(), [...has].sort(), status);
    }
    const all = await cohort('');
    const withDraft = await cohort('publicationFilter: PUBLISHED_WITH_DRAFT');
    const without = await cohort('publicationFilter: PUBLISHED_WITHOUT_DRAFT');
    assert.deepEqual([...withDraft, ...without].sort(), [...all].sort());
  });

  test('without the rating filter, the earlier posts are judged too', async () => {
    // One, Two and Four were published once; Three and the untitled one are drafts only
    const ids = (res) => dataOf(res).posts.map((p) => p.documentId);
    const neverAll = ids(await q('{ posts(status: DRAFT, publicationFilter: NEVER_PUBLISHED, sort: "rating") { documentId } }'));
    assert.equal(neverAll.length, 3);
    assert.equal(neverAll[2], doc.never);
    const orphans = ids(await q('{ posts(publicationFilter: PUBLISHED_WITHOUT_DRAFT) { documentId } }'));
    assert.deepEqual(orphans, [doc.orphan]);
  });

  test('hasPublishedVersion maps to the _DOCUMENT modes, for both statuses', async () => {
    assert.deepEqual(await cohort('status: DRAFT, hasPublishedVersion: true'), ['same', 'edited', 'again']);
    assert.deepEqual(await cohort('status: DRAFT, hasPublishedVersion: false'), ['never']);
    assert.deepEqual(await cohort('hasPublishedVersion: true'), ['same', 'edited', 'again']);
    assert.deepEqual(await cohort('hasPublishedVersion: false'), []);
  });

  test('publicationFilter wins over hasPublishedVersion; null is no filter', async () => {
    assert.deepEqual(await cohort('status: DRAFT, publicationFilter: MODIFIED, hasPublishedVersion: false'), ['edited']);
    assert.deepEqual(await cohort('status: DRAFT, publicationFilter: null'), ['never', 'same', 'edited', 'again']);
    assert.deepEqual(await cohort('status: DRAFT, publicationFilter: null, hasPublishedVersion: false'), ['never']);
  });

  test('combined with filters (AND) and pagination; the connection counts the cohort', async () => {
    const data = dataOf(await q(`{ posts_connection(filters: { rating: { gte: 903 } }, status: DRAFT, publicationFilter: UNMODIFIED,
      pagination: { pageSize: 1 }) { nodes { title } pageInfo { total pageCount } } }`));
    assert.deepEqual(data.posts_connection, { nodes: [{ title: 'pf-again (2)' }], pageInfo: { total: 1, pageCount: 1 } });
    const page2 = dataOf(await q(`{ posts_connection(${MINE}, publicationFilter: PUBLISHED_WITH_DRAFT, pagination: { page: 2, pageSize: 2 })
      { nodes { title } pageInfo { total page pageCount } } }`));
    assert.deepEqual(page2.posts_connection, { nodes: [{ title: 'pf-again (2)' }], pageInfo: { total: 3, page: 2, pageCount: 2 } });
    const none = dataOf(await q(`{ posts_connection(${MINE}, publicationFilter: NEVER_PUBLISHED) { nodes { title } pageInfo { total } } }`));
    assert.deepEqual(none.posts_connection, { nodes: [], pageInfo: { total: 0 } });
  });

  test('in a variable', async () => {
    const data = dataOf(await q(`query($f: PublicationFilter, $s: PublicationStatus) {
      posts(${MINE}, status: $s, publicationFilter: $f) { title } }`, { variables: { f: 'MODIFIED', s: 'DRAFT' } }));
    assert.deepEqual(data, { posts: [{ title: 'pf-edited (draft)' }] });
  });

  test('post(documentId): null when the document is not in the cohort', async () => {
    const one = async (k, args) => dataOf(await q(`{ post(documentId: "${doc[k]}", ${args}) { title } }`)).post;
    assert.deepEqual(await one('edited', 'status: DRAFT, publicationFilter: MODIFIED'), { title: 'pf-edited (draft)' });
    assert.deepEqual(await one('edited', 'publicationFilter: MODIFIED'), { title: 'pf-edited' });
    assert.equal(await one('same', 'status: DRAFT, publicationFilter: MODIFIED'), null);
    assert.deepEqual(await one('same', 'publicationFilter: UNMODIFIED'), { title: 'pf-same' });
    assert.deepEqual(await one('never', 'status: DRAFT, publicationFilter: NEVER_PUBLISHED'), { title: 'pf-never' });
    assert.equal(await one('never', 'status: DRAFT, publicationFilter: HAS_PUBLISHED_VERSION'), null);
    assert.equal(await one('same', 'status: DRAFT, hasPublishedVersion: false'), null);
    assert.deepEqual(await one('same', 'status: DRAFT, hasPublishedVersion: true'), { title: 'pf-same' });
    assert.deepEqual(await one('orphan', 'publicationFilter: PUBLISHED_WITHOUT_DRAFT'), { title: 'pf-orphan' });
    assert.equal(await one('orphan', 'publicationFilter: PUBLISHED_WITH_DRAFT'), null);
    assert.equal(await one('orphan', 'status: DRAFT'), null);
  });

  test('types without draft & publish ignore it (articles, the homepage single type)', async () => {
    const all = dataOf(await q('{ articles_connection { pageInfo { total } } }')).articles_connection.pageInfo.total;
    for (const mode of Object.keys(EXPECTED)) {
      const data = dataOf(await q(`{ articles_connection(status: DRAFT, publicationFilter: ${mode}) { pageInfo { total } }
        homepage(publicationFilter: ${mode}) { heading } }`));
      assert.equal(data.articles_connection.pageInfo.total, all, mode);
      assert.deepEqual(data.homepage, { heading: 'Welcome' }, mode);
    }
  });

  test('an unknown value is a validation error', async () => {
    const query = `{ posts(publicationFilter: MODIFIED_DRAFT) { title } }`;
    expectRequestError(await q(query), 'GRAPHQL_VALIDATION_FAILED',
      'Value "MODIFIED_DRAFT" does not exist in "PublicationFilter" enum. Did you mean the enum value "MODIFIED"?',
      [locOf(query, 'MODIFIED_DRAFT')]);
  });
});
