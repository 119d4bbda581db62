// GraphQL authentication and authorization (strapi-graphql.md §2,
// strapi-api-tokens.md §7, strapi-wire-transcript.md §13): a bad, expired or
// deleted token and admin credentials are refused with the REST 401 envelope
// before anything is parsed; otherwise every root field is checked against
// its action (<plural>/<plural>_connection/single type: find, <singular>:
// findOne, create/update/delete) and a denied field is null with a
// "Forbidden access" FORBIDDEN error; a non-null list field takes the whole
// data with it. Public permissions (/admin/content-api/public-permissions)
// apply to requests without a token.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createAdminToken, registerAdmin } from './lib/admin.mjs';
import { DOCUMENT_ID, expectStatus, expectUnauthorized, uniq } from './lib/harness.mjs';
import {
  dataOf, expectData, expectPartial, forbidden, gql, gqlSetup, restCreate,
} from './lib/graphql.mjs';

const A = (action) => `api::article.article.${action}`;
const H = (action) => `api::homepage.homepage.${action}`;
const P = (action) => `api::product.product.${action}`;
const PO = (action) => `api::post.post.${action}`;

let ctx;
let admin;        // AdminClient of the registered super admin
let article1;     // REST entries
let product1;
let post1;
const keys = {};  // label -> access key

before(async () => {
  ctx = await gqlSetup();
  admin = await registerAdmin(ctx.server);
  // the articles of transcript §13
  article1 = await restCreate(ctx.server, ctx.full, 'articles', { title: 'Article 1 (edited)', views: 11, published: true });
  await restCreate(ctx.server, ctx.full, 'articles', { title: 'Article 2', views: 20, published: false });
  await restCreate(ctx.server, ctx.full, 'articles', { title: 'by custom create' });
  product1 = await restCreate(ctx.server, ctx.full, 'products', { name: 'Auth product', stock: 1 });
  post1 = await restCreate(ctx.server, ctx.full, 'posts', { title: 'Auth post' });
  await ensureHomepage();
  const make = (label, type, permissions = []) => {
    keys[label] = ctx.project.token({ name: uniq(label), type, permissions }).accessKey;
  };
  make('read-only', 'read-only');
  make('full-access', 'full-access');
  make('article.create', 'custom', [A('create')]);
  make('article.find+findOne', 'custom', [A('find'), A('findOne')]);
  make('article.find', 'custom', [A('find')]);
  for (const action of ['find', 'findOne', 'create', 'update', 'delete']) make(`product.${action}`, 'custom', [P(action)]);
  make('product.all', 'custom', ['find', 'findOne', 'create', 'update', 'delete'].map(P));
  for (const action of ['find', 'update', 'delete']) make(`homepage.${action}`, 'custom', [H(action)]);
});

after(async () => {
  await ctx?.teardown();
});

async function ensureHomepage() {
  const res = await ctx.server.put('/api/homepage', { token: ctx.full, body: { data: { heading: 'Auth home' } } });
  expectStatus(res, 200);
  return res.json.data;
}

async function restProduct(documentId) {
  return ctx.server.get(`/api/products/${documentId}`, { token: ctx.full });
}

async function productTotal() {
  const res = await ctx.server.get('/api/products', { token: ctx.full });
  expectStatus(res, 200);
  return res.json.meta.pagination.total;
}

const ARTICLES_QUERY = '{ articles { documentId title views published } }';
const CREATE_GQL_ARTICLE = 'mutation { createArticle(data: { title: "gql" }) { documentId title } }';

// ---- 401 before execution ----------------------------------------------------------------------

describe('refused credentials: 401 REST envelope, before parsing', () => {
  test('invalid token (transcript §13) -> 401 "Missing or invalid credentials"', async () => {
    expectUnauthorized(await gql(ctx.server, ARTICLES_QUERY, { token: 'nope' }));
  });

  test('invalid token with a syntax error -> 401, not GRAPHQL_PARSE_FAILED', async () => {
    expectUnauthorized(await gql(ctx.server, '{ articles { title }', { token: 'nope' }));
  });

  test('invalid token with a validation error or an unknown field -> 401', async () => {
    expectUnauthorized(await gql(ctx.server, '{ nothing }', { token: 'nope' }));
    expectUnauthorized(await gql(ctx.server, '{ __typename }', { token: 'nope' }));
  });

  test('invalid token over GET (with the preflight header) -> 401', async () => {
    expectUnauthorized(await gql(ctx.server, '{ __typename }', { method: 'GET', token: 'nope' }));
  });

  test('a well-formed but unknown key -> 401', async () => {
    expectUnauthorized(await gql(ctx.server, '{ __typename }', { token: 'ab'.repeat(128) }));
  });

  test('an expired token -> 401 "Token expired", also with a syntax error and on a mutation', async () => {
    const t = ctx.project.token({ type: 'full-access', lifespan: '7d' });
    expectData(await gql(ctx.server, '{ __typename }', { token: t.accessKey }), { __typename: 'Query' });
    ctx.project.sql(`UPDATE strapi_api_tokens SET expires_at = ${Date.now() - 60_000} WHERE id = ${t.id}`);
    expectUnauthorized(await gql(ctx.server, ARTICLES_QUERY, { token: t.accessKey }), 'Token expired');
    expectUnauthorized(await gql(ctx.server, '{ articles {', { token: t.accessKey }), 'Token expired');
    expectUnauthorized(await gql(ctx.server, CREATE_GQL_ARTICLE, { token: t.accessKey }), 'Token expired');
  });

  test('a deleted token -> 401', async () => {
    const t = ctx.project.token({ type: 'read-only' });
    dataOf(await gql(ctx.server, '{ articles { title } }', { token: t.accessKey }));
    ctx.project.cli(['token', 'delete', String(t.id)]);
    expectUnauthorized(await gql(ctx.server, '{ articles { title } }', { token: t.accessKey }));
  });

  test('an admin session JWT -> 401', async () => {
    expectUnauthorized(await gql(ctx.server, ARTICLES_QUERY, { token: admin.token }));
    expectUnauthorized(await gql(ctx.server, '{ __typename }', { token: admin.token }));
  });

  test('an admin token -> 401', async () => {
    const t = await createAdminToken(admin, {});
    expectUnauthorized(await gql(ctx.server, ARTICLES_QUERY, { token: t.accessKey }));
  });
});

// ---- transcript §13 ------------------------------------------------------------------------------

describe('transcript §13', () => {
  test('read-only token: { articles { documentId title views published } } -> every article', async () => {
    const rest = await ctx.server.get('/api/articles', { token: ctx.full });
    expectStatus(rest, 200);
    const expected = rest.json.data.map(({ documentId, title, views, published }) => ({ documentId, title, views, published }));
    assert.deepEqual(expected.slice(0, 3).map((a) => [a.title, a.views, a.published]), [
      ['Article 1 (edited)', 11, true], ['Article 2', 20, false], ['by custom create', null, null],
    ]);
    expectData(await gql(ctx.server, ARTICLES_QUERY, { token: keys['read-only'] }), { articles: expected });
  });

  test('read-only token: createArticle -> 200, FORBIDDEN, data.createArticle null', async () => {
    const res = await gql(ctx.server, CREATE_GQL_ARTICLE, { token: keys['read-only'] });
    expectPartial(res, { createArticle: null }, [forbidden(['createArticle'])]);
  });

  test('custom(create) token: createArticle -> {documentId, title:"gql"}', async () => {
    const data = dataOf(await gql(ctx.server, CREATE_GQL_ARTICLE, { token: keys['article.create'] }));
    assert.deepEqual(Object.keys(data.createArticle), ['documentId', 'title']);
    assert.match(data.createArticle.documentId, DOCUMENT_ID);
    assert.equal(data.createArticle.title, 'gql');
    const check = await ctx.server.get(`/api/articles/${data.createArticle.documentId}`, { token: ctx.full });
    expectStatus(check, 200);
    assert.equal(check.json.data.title, 'gql');
  });

  test('custom(find,findOne) token: article(documentId) -> the article', async () => {
    const res = await gql(ctx.server, `{ article(documentId: "${article1.documentId}") { documentId title } }`, {
      token: keys['article.find+findOne'],
    });
    expectData(res, { article: { documentId: article1.documentId, title: 'Article 1 (edited)' } });
  });

  test('no token: { articles {...} } -> 200, FORBIDDEN on ["articles"], data null', async () => {
    expectPartial(await gql(ctx.server, ARTICLES_QUERY), null, [forbidden(['articles'])]);
  });
});

// ---- without a token ------------------------------------------------------------------------------

describe('without a token', () => {
  test('createProduct -> the recorded body (strapi-graphql.md §2), nothing created', async () => {
    const before = await productTotal();
    const res = await gql(ctx.server, `mutation { createProduct(data: { name: "${uniq('anon')}" }) { documentId } }`);
    expectPartial(res, { createProduct: null }, [forbidden(['createProduct'])]);
    assert.equal(await productTotal(), before);
  });

  test('product(documentId), products_connection, homepage -> null with FORBIDDEN each', async () => {
    const res = await gql(ctx.server, `{ product(documentId: "${product1.documentId}") { name } products_connection { pageInfo { total } } homepage { heading } }`);
    expectPartial(res, { product: null, products_connection: null, homepage: null }, [
      forbidden(['product']), forbidden(['products_connection']), forbidden(['homepage']),
    ]);
  });

  test('__typename next to a denied field still resolves', async () => {
    const res = await gql(ctx.server, '{ __typename products_connection { __typename } }');
    expectPartial(res, { __typename: 'Query', products_connection: null }, [forbidden(['products_connection'])]);
  });

  test('a header that is not "Bearer <key>" counts as no token -> FORBIDDEN, not 401', async () => {
    for (const authorization of [`Basic ${keys['full-access']}`, `Bearer ${keys['full-access']} extra`, keys['full-access']]) {
      const res = await gql(ctx.server, '{ products_connection { pageInfo { total } } }', { headers: { authorization } });
      expectPartial(res, { products_connection: null }, [forbidden(['products_connection'])]);
    }
  });

  test('the scheme is case-insensitive: "bearer <key>" is the token', async () => {
    const res = await gql(ctx.server, '{ products_connection { pageInfo { total } } }', {
      headers: { authorization: `bearer ${keys['read-only']}` },
    });
    dataOf(res);
  });
});

// ---- null propagation -----------------------------------------------------------------------------

describe('denied fields and null propagation (token: product.find)', () => {
  test('{ products {name} posts {title} } -> data null, FORBIDDEN on ["posts"]', async () => {
    const res = await gql(ctx.server, '{ products { name } posts { title } }', { token: keys['product.find'] });
    expectPartial(res, null, [forbidden(['posts'])]);
  });

  test('a nullable denied field leaves the others: products_connection + post(documentId)', async () => {
    const total = await productTotal();
    const res = await gql(ctx.server, `{ products_connection { pageInfo { total } } post(documentId: "${post1.documentId}") { title } }`, {
      token: keys['product.find'],
    });
    expectPartial(res, { products_connection: { pageInfo: { total } }, post: null }, [forbidden(['post'])]);
  });

  test('the error path is the response key (alias)', async () => {
    const res = await gql(ctx.server, `{ mine: products_connection { pageInfo { total } } theirs: post(documentId: "${post1.documentId}") { title } }`, {
      token: keys['product.find'],
    });
    assert.deepEqual(res.json?.errors, [forbidden(['theirs'])], res.text);
    assert.equal(res.json.data.theirs, null);
  });

  test('a mutation document: the allowed field runs, the denied one is null, order kept', async () => {
    const before = await productTotal();
    const title = uniq('mixed');
    const res = await gql(ctx.server, `mutation { a: createProduct(data: { name: "${uniq('mixed')}" }) { name } b: createArticle(data: { title: "${title}" }) { title } }`, {
      token: keys['article.create'],
    });
    expectPartial(res, { a: null, b: { title } }, [forbidden(['a'])]);
    assert.equal(await productTotal(), before);
  });
});

// ---- the token matrix on product and homepage ---------------------------------------------------

const PRODUCT_FIELDS = ['products', 'products_connection', 'product', 'createProduct', 'updateProduct', 'deleteProduct'];
const ACTION_OF = {
  products: 'find', products_connection: 'find', product: 'findOne',
  createProduct: 'create', updateProduct: 'update', deleteProduct: 'delete',
  homepage: 'find', updateHomepage: 'update', deleteHomepage: 'delete',
};

const MATRIX = [
  { label: 'read-only', product: ['find', 'findOne'], homepage: ['find'] },
  { label: 'full-access', product: ['find', 'findOne', 'create', 'update', 'delete'], homepage: ['find', 'update', 'delete'] },
  { label: 'product.find', product: ['find'], homepage: [] },
  { label: 'product.findOne', product: ['findOne'], homepage: [] },
  { label: 'product.create', product: ['create'], homepage: [] },
  { label: 'product.update', product: ['update'], homepage: [] },
  { label: 'product.delete', product: ['delete'], homepage: [] },
  { label: 'product.all', product: ['find', 'findOne', 'create', 'update', 'delete'], homepage: [] },
  { label: 'article.find+findOne', product: [], homepage: [] },
  { label: 'homepage.find', product: [], homepage: ['find'] },
  { label: 'homepage.update', product: [], homepage: ['update'] },
  { label: 'homepage.delete', product: [], homepage: ['delete'] },
];

/** Run `field` with `token`; returns {res, target} (target: the product touched, if any). */
async function runProductField(field, token) {
  if (field === 'products') return { res: await gql(ctx.server, '{ products { name } }', { token }) };
  if (field === 'products_connection') {
    return { res: await gql(ctx.server, '{ products_connection { pageInfo { total } } }', { token }) };
  }
  if (field === 'product') {
    return { res: await gql(ctx.server, `{ product(documentId: "${product1.documentId}") { name } }`, { token }) };
  }
  if (field === 'createProduct') {
    const name = uniq('mx');
    return { res: await gql(ctx.server, `mutation { createProduct(data: { name: "${name}" }) { name } }`, { token }), name };
  }
  const target = await restCreate(ctx.server, ctx.full, 'products', { name: uniq('target'), stock: 1 });
  if (field === 'updateProduct') {
    const res = await gql(ctx.server, `mutation { updateProduct(documentId: "${target.documentId}", data: { stock: 7 }) { stock } }`, { token });
    return { res, target };
  }
  const res = await gql(ctx.server, `mutation { deleteProduct(documentId: "${target.documentId}") { documentId } }`, { token });
  return { res, target };
}

async function checkAllowedProduct(field, { res, target, name }) {
  const data = dataOf(res);
  if (field === 'products') assert.ok(data.products.some((p) => p.name === 'Auth product'), res.text);
  if (field === 'products_connection') assert.equal(data.products_connection.pageInfo.total, await productTotal());
  if (field === 'product') assert.deepEqual(data, { product: { name: 'Auth product' } });
  if (field === 'createProduct') assert.deepEqual(data, { createProduct: { name } });
  if (field === 'updateProduct') {
    assert.deepEqual(data, { updateProduct: { stock: 7 } });
    assert.equal((await restProduct(target.documentId)).json.data.stock, 7);
  }
  if (field === 'deleteProduct') {
    assert.deepEqual(data, { deleteProduct: { documentId: target.documentId } });
    expectStatus(await restProduct(target.documentId), 404);
  }
}

async function checkDeniedProduct(field, { res, target, name }) {
  expectPartial(res, field === 'products' ? null : { [field]: null }, [forbidden([field])]);
  if (field === 'createProduct') {
    const r = await ctx.server.get(`/api/products?filters[name][$eq]=${encodeURIComponent(name)}`, { token: ctx.full });
    assert.equal(r.json.meta.pagination.total, 0, 'a denied createProduct wrote the entry');
  }
  if (field === 'updateProduct') assert.equal((await restProduct(target.documentId)).json.data.stock, 1, 'a denied update wrote');
  if (field === 'deleteProduct') expectStatus(await restProduct(target.documentId), 200);
}

async function runHomepageField(field, token) {
  if (field === 'homepage') return gql(ctx.server, '{ homepage { heading } }', { token });
  if (field === 'updateHomepage') return gql(ctx.server, 'mutation { updateHomepage(data: { heading: "Auth home" }) { heading } }', { token });
  return gql(ctx.server, 'mutation { deleteHomepage { documentId } }', { token });
}

for (const row of MATRIX) {
  describe(`token matrix: ${row.label}`, () => {
    for (const field of PRODUCT_FIELDS) {
      const allowed = row.product.includes(ACTION_OF[field]);
      test(`${field} -> ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const run = await runProductField(field, keys[row.label]);
        if (allowed) await checkAllowedProduct(field, run);
        else await checkDeniedProduct(field, run);
      });
    }
    for (const field of ['homepage', 'updateHomepage', 'deleteHomepage']) {
      const allowed = row.homepage.includes(ACTION_OF[field]);
      test(`${field} -> ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const home = await ensureHomepage();
        const res = await runHomepageField(field, keys[row.label]);
        if (!allowed) {
          expectPartial(res, { [field]: null }, [forbidden([field])]);
          const check = await ctx.server.get('/api/homepage', { token: ctx.full });
          expectStatus(check, 200);
          assert.equal(check.json.data.documentId, home.documentId, 'a denied homepage mutation changed the entry');
        } else if (field === 'deleteHomepage') {
          expectData(res, { deleteHomepage: { documentId: home.documentId } });
          expectStatus(await ctx.server.get('/api/homepage', { token: ctx.full }), 404);
        } else {
          expectData(res, { [field]: { heading: 'Auth home' } });
        }
      });
    }
  });
}

describe('read-only and full-access on every type', () => {
  const readAll = () => `{
    articles { title } articles_connection { pageInfo { total } } article(documentId: "${article1.documentId}") { title }
    posts { title } posts_connection { pageInfo { total } } post(documentId: "${post1.documentId}") { title }
    products { name } products_connection { pageInfo { total } } product(documentId: "${product1.documentId}") { name }
    homepage { heading }
  }`;

  test('read-only: every query field resolves without errors', async () => {
    await ensureHomepage();
    const data = dataOf(await gql(ctx.server, readAll(), { token: keys['read-only'] }));
    assert.deepEqual(Object.keys(data), [
      'articles', 'articles_connection', 'article', 'posts', 'posts_connection', 'post',
      'products', 'products_connection', 'product', 'homepage',
    ]);
    assert.equal(data.article.title, 'Article 1 (edited)');
    assert.equal(data.post.title, 'Auth post');
    assert.equal(data.product.name, 'Auth product');
    assert.equal(data.homepage.heading, 'Auth home');
  });

  test('read-only: every mutation field is FORBIDDEN, in document order, nothing written', async () => {
    const home = await ensureHomepage();
    const victim = await restCreate(ctx.server, ctx.full, 'products', { name: uniq('ro-victim'), stock: 3 });
    const res = await gql(ctx.server, `mutation {
      createArticle(data: { title: "ro" }) { title }
      updateArticle(documentId: "${article1.documentId}", data: { title: "ro" }) { title }
      deleteArticle(documentId: "${article1.documentId}") { documentId }
      updateHomepage(data: { heading: "ro" }) { heading }
      deleteHomepage { documentId }
      createPost(data: { title: "ro" }) { title }
      updatePost(documentId: "${post1.documentId}", data: { title: "ro" }) { title }
      deletePost(documentId: "${post1.documentId}") { documentId }
      createProduct(data: { name: "ro-product" }) { name }
      updateProduct(documentId: "${victim.documentId}", data: { stock: 4 }) { stock }
      deleteProduct(documentId: "${victim.documentId}") { documentId }
    }`, { token: keys['read-only'] });
    const fields = [
      'createArticle', 'updateArticle', 'deleteArticle', 'updateHomepage', 'deleteHomepage',
      'createPost', 'updatePost', 'deletePost', 'createProduct', 'updateProduct', 'deleteProduct',
    ];
    expectPartial(res, Object.fromEntries(fields.map((f) => [f, null])), fields.map((f) => forbidden([f])));
    assert.equal((await ctx.server.get(`/api/articles/${article1.documentId}`, { token: ctx.full })).json.data.title, 'Article 1 (edited)');
    assert.equal((await ctx.server.get(`/api/posts/${post1.documentId}`, { token: ctx.full })).json.data.title, 'Auth post');
    assert.equal((await restProduct(victim.documentId)).json.data.stock, 3);
    const h = await ctx.server.get('/api/homepage', { token: ctx.full });
    assert.equal(h.json.data.documentId, home.documentId);
    assert.equal(h.json.data.heading, 'Auth home');
  });

  test('full-access: create, update and delete on article, post and product', async () => {
    const data = dataOf(await gql(ctx.server, `mutation {
      a: createArticle(data: { title: "fa" }) { title }
      p: createPost(data: { title: "fa" }) { title }
      r: createProduct(data: { name: "${uniq('fa')}" }) { stock }
    }`, { token: keys['full-access'] }));
    assert.deepEqual(data, { a: { title: 'fa' }, p: { title: 'fa' }, r: { stock: null } });
  });

  test('custom article.find: articles yes, article(documentId) FORBIDDEN', async () => {
    const res = await gql(ctx.server, `{ articles_connection { pageInfo { total } } article(documentId: "${article1.documentId}") { title } }`, {
      token: keys['article.find'],
    });
    assert.deepEqual(res.json?.errors, [forbidden(['article'])], res.text);
    assert.equal(res.json.data.article, null);
    assert.equal(typeof res.json.data.articles_connection.pageInfo.total, 'number');
  });
});

// ---- public permissions ----------------------------------------------------------------------------

describe('public permissions apply without a token', () => {
  const setPublic = async (actions) => {
    const res = await admin.put('/admin/content-api/public-permissions', { body: { actions } });
    expectStatus(res, 200);
  };

  after(async () => {
    await setPublic([]);
  });

  test('product.find public: products without a token; product(documentId) and createProduct stay FORBIDDEN', async () => {
    await setPublic([P('find')]);
    const data = dataOf(await gql(ctx.server, '{ products { name } }'));
    assert.ok(data.products.some((p) => p.name === 'Auth product'));
    dataOf(await gql(ctx.server, '{ products_connection { pageInfo { total } } }'));
    expectPartial(await gql(ctx.server, `{ product(documentId: "${product1.documentId}") { name } }`), { product: null }, [forbidden(['product'])]);
    expectPartial(await gql(ctx.server, `mutation { createProduct(data: { name: "${uniq('pub')}" }) { name } }`), { createProduct: null }, [forbidden(['createProduct'])]);
    expectPartial(await gql(ctx.server, '{ articles { title } }'), null, [forbidden(['articles'])]);
  });

  test('product.create public: createProduct without a token works', async () => {
    await setPublic([P('find'), P('create')]);
    const name = uniq('pub');
    expectData(await gql(ctx.server, `mutation { createProduct(data: { name: "${name}" }) { name } }`), { createProduct: { name } });
  });

  test('homepage.find and post.findOne public', async () => {
    await ensureHomepage();
    await setPublic([H('find'), PO('findOne')]);
    expectData(await gql(ctx.server, '{ homepage { heading } }'), { homepage: { heading: 'Auth home' } });
    expectData(await gql(ctx.server, `{ post(documentId: "${post1.documentId}") { title } }`), { post: { title: 'Auth post' } });
    expectPartial(await gql(ctx.server, '{ posts_connection { pageInfo { total } } }'), { posts_connection: null }, [forbidden(['posts_connection'])]);
  });

  test('credentials are still checked: an invalid token -> 401 even for a public field', async () => {
    await setPublic([P('find')]);
    expectUnauthorized(await gql(ctx.server, '{ products { name } }', { token: 'nope' }));
  });

  test('revoked again: FORBIDDEN', async () => {
    await setPublic([]);
    expectPartial(await gql(ctx.server, '{ products { name } }'), null, [forbidden(['products'])]);
  });
});
