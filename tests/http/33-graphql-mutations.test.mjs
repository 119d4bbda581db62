// GraphQL mutations (strapi-graphql.md §6): create<Name>(data),
// update<Name>(documentId, data) (partial; unknown documentId -> null, no
// error), delete<Name>(documentId) (-> {documentId}, even when unknown),
// single types (updateHomepage creates or updates, deleteHomepage),
// draft & publish (status argument), and Strapi's validation errors as
// BAD_USER_INPUT with extensions.error = the REST error without status,
// HTTP 200 and data.<field> null.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DOCUMENT_ID, ISO_DATETIME, expectStatus, uniq } from './lib/harness.mjs';
import {
  attrError, dataOf, expectData, expectPartial, gqlError, gqlSetup, locOf, restCreate, strapiError, validationError,
} from './lib/graphql.mjs';

let ctx;

before(async () => {
  ctx = await gqlSetup();
});

after(async () => {
  await ctx?.teardown();
});

const q = (query, opts) => ctx.gql(query, opts);
const rest = (path) => ctx.server.get(path, { token: ctx.full });

const CREATE_PRODUCT = 'mutation($d: ProductInput!) { createProduct(data: $d) { documentId name bigValue publishedAt } }';

// ---- createProduct ----------------------------------------------------------------------------

describe('createProduct', () => {
  test('the spec example: variables with Long as a string, JSON, enum and Time', async () => {
    const res = await q(CREATE_PRODUCT, {
      variables: { d: { name: 'GqlProd', bigValue: '12345', meta: { x: [1] }, category: 'gamma', openingTime: '10:00:00.000' } },
    });
    const data = dataOf(res);
    const created = data.createProduct;
    assert.match(created?.documentId ?? '', DOCUMENT_ID, res.text);
    assert.match(created.publishedAt ?? '', ISO_DATETIME, res.text);
    expectData(res, { createProduct: { documentId: created.documentId, name: 'GqlProd', bigValue: 12345, publishedAt: created.publishedAt } });
    const check = await rest(`/api/products/${created.documentId}`);
    expectStatus(check, 200);
    const e = check.json.data;
    assert.deepEqual(
      [e.name, e.bigValue, e.meta, e.category, e.openingTime, e.active, e.stock],
      ['GqlProd', '12345', { x: [1] }, 'gamma', '10:00:00.000', true, null],
    );
  });

  test('the same name again -> 200, BAD_USER_INPUT "This attribute must be unique" (the recorded body)', async () => {
    const res = await q(CREATE_PRODUCT, { variables: { d: { name: 'GqlProd' } } });
    expectPartial(res, { createProduct: null }, [
      validationError(['createProduct'], 'This attribute must be unique', [
        attrError('name', 'This attribute must be unique', 'GqlProd'),
      ]),
    ]);
  });

  test('literal input with every scalar type', async () => {
    const res = await q(`mutation { createProduct(data: {
      name: "Literal", sku: "LIT-1", description: "d", content: "c", contact: "l@x.io", slug: "literal",
      category: beta, stock: 3, bigValue: 42, price: 2.5, amount: 1, active: false,
      releaseDate: "2024-05-06", openingTime: "10:00:00.000", launchAt: "2024-05-06T10:00:00.000Z",
      meta: { x: [1, "y", null], ok: true }
    }) { name sku description content contact slug category stock bigValue price amount active releaseDate openingTime launchAt meta } }`);
    expectData(res, {
      createProduct: {
        name: 'Literal', sku: 'LIT-1', description: 'd', content: 'c', contact: 'l@x.io', slug: 'literal', category: 'beta',
        stock: 3, bigValue: 42, price: 2.5, amount: 1, active: false, releaseDate: '2024-05-06', openingTime: '10:00:00.000',
        launchAt: '2024-05-06T10:00:00.000Z', meta: { x: [1, 'y', null], ok: true },
      },
    });
  });

  test('literal syntax: block strings, unicode escapes, exponent floats, negative numbers', async () => {
    const res = await q(`mutation { createArticle(data: {
      title: "Caf\\u00e9 \\"quoted\\" \\\\ tab\\t"
      body: """
        Hello
          World
        \\""" kept
      """
      views: -3
    }) { title body views } createProduct(data: { name: "Exponent", price: 1.5e3, amount: -0.25 }) { price amount } }`);
    expectData(res, {
      createArticle: { title: 'Caf\u00e9 "quoted" \\ tab\t', body: 'Hello\n  World\n""" kept', views: -3 },
      createProduct: { price: 1500, amount: -0.25 },
    });
  });

  test('defaults fill omitted attributes (category alpha, active true)', async () => {
    const data = dataOf(await q('mutation { createProduct(data: { name: "Defaults" }) { category active stock } }'));
    assert.deepEqual(data, { createProduct: { category: 'alpha', active: true, stock: null } });
  });

  test('a private attribute is writable through the Input type (secretNote), never readable', async () => {
    const data = dataOf(await q('mutation { createProduct(data: { name: "Secretive", secretNote: "psst" }) { documentId } }'));
    const stored = ctx.project.sql(`SELECT secret_note FROM products WHERE document_id = '${data.createProduct.documentId}'`);
    assert.equal(stored, 'psst');
  });

  test('a required attribute missing -> "name must be defined." (no value)', async () => {
    expectPartial(await q('mutation { createProduct(data: { sku: "ABC-1" }) { name } }'), { createProduct: null }, [
      validationError(['createProduct'], 'name must be defined.', [attrError('name', 'name must be defined.')]),
    ]);
  });

  test('a required attribute null -> the string type error, value null', async () => {
    const message = 'name must be a `string` type, but the final value was: `null`.';
    expectPartial(await q('mutation { createProduct(data: { name: null }) { name } }'), { createProduct: null }, [
      validationError(['createProduct'], message, [attrError('name', message, null)]),
    ]);
  });

  test('three errors -> "3 errors occurred", details in schema attribute order', async () => {
    const res = await q(CREATE_PRODUCT, { variables: { d: { stock: 1001, contact: 'x', name: 'W' } } });
    expectPartial(res, { createProduct: null }, [
      validationError(['createProduct'], '3 errors occurred', [
        attrError('name', 'name must be at least 2 characters', 'W'),
        attrError('contact', 'contact must be a valid email', 'x'),
        attrError('stock', 'stock must be less than or equal to 1000', 1001),
      ]),
    ]);
  });

  const single = [
    [{ name: 'x'.repeat(41) }, 'name', 'name must be at most 40 characters', 'x'.repeat(41)],
    [{ name: 'Regex', sku: 'abc-1' }, 'sku', 'sku must match the following: "/^[A-Z]{3}-[0-9]+$/"', 'abc-1'],
    [{ name: 'Mail', contact: 'not-an-email' }, 'contact', 'contact must be a valid email', 'not-an-email'],
    [{ name: 'Low', stock: -1 }, 'stock', 'stock must be greater than or equal to 0', -1],
    [{ name: 'Slug', slug: 'has space' }, 'slug', 'slug must match the following: "/^[A-Za-z0-9-_.~]*$/"', 'has space'],
  ];
  for (const [d, attr, message, value] of single) {
    test(`${attr}: ${message}`, async () => {
      expectPartial(await q(CREATE_PRODUCT, { variables: { d } }), { createProduct: null }, [
        validationError(['createProduct'], message, [attrError(attr, message, value)]),
      ]);
    });
  }
});

// ---- updateProduct ---------------------------------------------------------------------------------

describe('updateProduct', () => {
  let target;
  let other;

  before(async () => {
    target = await restCreate(ctx.server, ctx.full, 'products', { name: 'Updatable', stock: 1, description: 'keep me' });
    other = await restCreate(ctx.server, ctx.full, 'products', { name: 'Taken' });
  });

  test('partial: only the given attributes change; returns the updated entity', async () => {
    const res = await q(`mutation { updateProduct(documentId: "${target.documentId}", data: { stock: 9 }) { documentId name stock description updatedAt } }`);
    const data = dataOf(res);
    assert.deepEqual(
      { ...data.updateProduct, updatedAt: undefined },
      { documentId: target.documentId, name: 'Updatable', stock: 9, description: 'keep me', updatedAt: undefined },
    );
    assert.match(data.updateProduct.updatedAt, ISO_DATETIME);
    assert.ok(data.updateProduct.updatedAt >= target.updatedAt);
    const check = await rest(`/api/products/${target.documentId}`);
    assert.equal(check.json.data.stock, 9);
    assert.equal(check.json.data.description, 'keep me');
  });

  test('with variables: documentId and data', async () => {
    const res = await q('mutation Upd($id: ID!, $d: ProductInput!) { updateProduct(documentId: $id, data: $d) { name stock } }', {
      variables: { id: target.documentId, d: { stock: 10 } }, operationName: 'Upd',
    });
    expectData(res, { updateProduct: { name: 'Updatable', stock: 10 } });
  });

  test('unknown documentId -> {"data":{"updateProduct":null}}, no error', async () => {
    expectData(await q('mutation { updateProduct(documentId: "nope", data: { stock: 1 }) { name } }'), { updateProduct: null });
  });

  test('validation on update: stock 1001 -> BAD_USER_INPUT, nothing written', async () => {
    const message = 'stock must be less than or equal to 1000';
    expectPartial(await q(`mutation { updateProduct(documentId: "${target.documentId}", data: { stock: 1001 }) { stock } }`), { updateProduct: null }, [
      validationError(['updateProduct'], message, [attrError('stock', message, 1001)]),
    ]);
    assert.equal((await rest(`/api/products/${target.documentId}`)).json.data.stock, 10);
  });

  test('unique: another entry\'s name -> error; its own name -> fine', async () => {
    expectPartial(await q(`mutation { updateProduct(documentId: "${target.documentId}", data: { name: "Taken" }) { name } }`), { updateProduct: null }, [
      validationError(['updateProduct'], 'This attribute must be unique', [attrError('name', 'This attribute must be unique', 'Taken')]),
    ]);
    expectData(await q(`mutation { updateProduct(documentId: "${target.documentId}", data: { name: "Updatable" }) { name } }`), {
      updateProduct: { name: 'Updatable' },
    });
    assert.equal((await rest(`/api/products/${other.documentId}`)).json.data.name, 'Taken');
  });

  test('a required attribute set to null on update -> the string type error', async () => {
    const message = 'name must be a `string` type, but the final value was: `null`.';
    expectPartial(await q(`mutation { updateProduct(documentId: "${target.documentId}", data: { name: null }) { name } }`), { updateProduct: null }, [
      validationError(['updateProduct'], message, [attrError('name', message, null)]),
    ]);
  });
});

// ---- deleteProduct ------------------------------------------------------------------------------

describe('deleteProduct', () => {
  test('-> {documentId}; the entry is gone', async () => {
    const p = await restCreate(ctx.server, ctx.full, 'products', { name: uniq('del') });
    expectData(await q(`mutation { deleteProduct(documentId: "${p.documentId}") { documentId } }`), { deleteProduct: { documentId: p.documentId } });
    expectStatus(await rest(`/api/products/${p.documentId}`), 404);
    expectData(await q(`{ product(documentId: "${p.documentId}") { name } }`), { product: null });
  });

  test('already deleted or unknown -> {documentId} all the same (quirk)', async () => {
    const p = await restCreate(ctx.server, ctx.full, 'products', { name: uniq('del') });
    const del = `mutation { deleteProduct(documentId: "${p.documentId}") { documentId } }`;
    expectData(await q(del), { deleteProduct: { documentId: p.documentId } });
    expectData(await q(del), { deleteProduct: { documentId: p.documentId } });
    expectData(await q('mutation { deleteProduct(documentId: "unknown") { documentId } }'), { deleteProduct: { documentId: 'unknown' } });
  });

  test('__typename of the response type', async () => {
    expectData(await q('mutation { deleteProduct(documentId: "unknown") { __typename documentId } }'), {
      deleteProduct: { __typename: 'DeleteMutationResponse', documentId: 'unknown' },
    });
  });
});

// ---- article --------------------------------------------------------------------------------------

describe('article: create, update, delete', () => {
  test('a full cycle', async () => {
    const created = dataOf(await q('mutation($d: ArticleInput!) { createArticle(data: $d) { documentId title body views published publishedAt } }', {
      variables: { d: { title: 'Cycle', views: 1, published: false } },
    })).createArticle;
    assert.match(created.documentId, DOCUMENT_ID);
    assert.match(created.publishedAt, ISO_DATETIME);
    assert.deepEqual({ ...created, documentId: 0, publishedAt: 0 }, {
      documentId: 0, title: 'Cycle', body: null, views: 1, published: false, publishedAt: 0,
    });
    expectData(await q(`mutation { updateArticle(documentId: "${created.documentId}", data: { body: "Text", views: 2 }) { title body views } }`), {
      updateArticle: { title: 'Cycle', body: 'Text', views: 2 },
    });
    expectData(await q(`{ article(documentId: "${created.documentId}") { title body views published } }`), {
      article: { title: 'Cycle', body: 'Text', views: 2, published: false },
    });
    expectData(await q(`mutation { deleteArticle(documentId: "${created.documentId}") { documentId } }`), {
      deleteArticle: { documentId: created.documentId },
    });
    expectData(await q(`{ article(documentId: "${created.documentId}") { title } }`), { article: null });
  });

  test('mutations in one document run one after the other, in order', async () => {
    const a = await restCreate(ctx.server, ctx.full, 'articles', { title: 'Serial', views: 0 });
    const res = await q(`mutation {
      one: updateArticle(documentId: "${a.documentId}", data: { views: 1 }) { views }
      two: updateArticle(documentId: "${a.documentId}", data: { views: 2 }) { views }
      three: updateArticle(documentId: "${a.documentId}", data: { title: "Serial 3" }) { title views }
    }`);
    expectData(res, { one: { views: 1 }, two: { views: 2 }, three: { title: 'Serial 3', views: 2 } });
    assert.equal((await rest(`/api/articles/${a.documentId}`)).json.data.views, 2);
  });

  test('a failing mutation field does not stop the next one', async () => {
    const title = uniq('after-failure');
    const message = 'name must be at least 2 characters';
    const res = await q(`mutation { a: createProduct(data: { name: "x" }) { name } b: createArticle(data: { title: "${title}" }) { title } }`);
    expectPartial(res, { a: null, b: { title } }, [validationError(['a'], message, [attrError('name', message, 'x')])]);
  });
});

// ---- homepage ------------------------------------------------------------------------------------

describe('homepage (single type)', () => {
  const NOT_FOUND = strapiError(['deleteHomepage'], 'STRAPI_NOT_FOUND_ERROR', 'NotFoundError', 'Document not found');

  test('deleteHomepage when none exists -> 200, STRAPI_NOT_FOUND_ERROR, data.deleteHomepage null', async () => {
    expectPartial(await q('mutation { deleteHomepage { documentId } }'), { deleteHomepage: null }, [NOT_FOUND]);
  });

  test('updateHomepage when none exists validates like create: "heading must be defined."', async () => {
    expectPartial(await q('mutation { updateHomepage(data: { tagline: "t" }) { heading } }'), { updateHomepage: null }, [
      validationError(['updateHomepage'], 'heading must be defined.', [attrError('heading', 'heading must be defined.')]),
    ]);
    expectData(await q('{ homepage { heading } }'), { homepage: null });
  });

  let homeId;

  test('updateHomepage creates the entry', async () => {
    const data = dataOf(await q('mutation { updateHomepage(data: { heading: "Hello", featured: 1 }) { documentId heading tagline featured publishedAt } }'));
    homeId = data.updateHomepage.documentId;
    assert.match(homeId, DOCUMENT_ID);
    assert.match(data.updateHomepage.publishedAt, ISO_DATETIME);
    assert.deepEqual({ ...data.updateHomepage, documentId: 0, publishedAt: 0 }, {
      documentId: 0, heading: 'Hello', tagline: null, featured: 1, publishedAt: 0,
    });
    const check = await rest('/api/homepage');
    expectStatus(check, 200);
    assert.equal(check.json.data.documentId, homeId);
  });

  test('updateHomepage again updates it, partially, same documentId', async () => {
    expectData(await q('mutation { updateHomepage(data: { tagline: "Sub" }) { documentId heading tagline featured } }'), {
      updateHomepage: { documentId: homeId, heading: 'Hello', tagline: 'Sub', featured: 1 },
    });
    expectData(await q('{ homepage { documentId heading tagline featured } }'), {
      homepage: { documentId: homeId, heading: 'Hello', tagline: 'Sub', featured: 1 },
    });
  });

  test('updateHomepage with an invalid value -> BAD_USER_INPUT', async () => {
    const message = 'heading must be a `string` type, but the final value was: `null`.';
    expectPartial(await q('mutation { updateHomepage(data: { heading: null }) { heading } }'), { updateHomepage: null }, [
      validationError(['updateHomepage'], message, [attrError('heading', message, null)]),
    ]);
  });

  test('deleteHomepage -> {documentId}; then homepage null; again -> STRAPI_NOT_FOUND_ERROR', async () => {
    expectData(await q('mutation { deleteHomepage { documentId } }'), { deleteHomepage: { documentId: homeId } });
    expectData(await q('{ homepage { heading } }'), { homepage: null });
    expectStatus(await rest('/api/homepage'), 404);
    expectPartial(await q('mutation { deleteHomepage { documentId } }'), { deleteHomepage: null }, [NOT_FOUND]);
  });
});

// ---- post (draft & publish) -------------------------------------------------------------------------

describe('post: draft & publish', () => {
  test('createPost (default status PUBLISHED) -> published', async () => {
    const data = dataOf(await q('mutation { createPost(data: { title: "Pub", rating: 1 }) { documentId title publishedAt } }'));
    assert.match(data.createPost.publishedAt ?? '', ISO_DATETIME);
    expectData(await q(`{ post(documentId: "${data.createPost.documentId}") { title } }`), { post: { title: 'Pub' } });
  });

  test('createPost(status: DRAFT) -> a draft, publishedAt null, invisible to the default status', async () => {
    const data = dataOf(await q('mutation { createPost(status: DRAFT, data: { title: "Draft", rating: 2 }) { documentId title publishedAt } }'));
    const docId = data.createPost.documentId;
    assert.deepEqual(data.createPost, { documentId: docId, title: 'Draft', publishedAt: null });
    expectData(await q(`{ post(documentId: "${docId}") { title } }`), { post: null });
    expectData(await q(`{ post(documentId: "${docId}", status: DRAFT) { title publishedAt } }`), { post: { title: 'Draft', publishedAt: null } });
  });

  test('a draft without its required title is accepted, but selecting title breaks the non-null Post.title', async () => {
    const query = 'mutation { createPost(status: DRAFT, data: { rating: 77 }) { rating title } }';
    expectPartial(await q(query), { createPost: null }, [gqlError({
      message: 'Cannot return null for non-nullable field Post.title.',
      locations: [locOf(query, 'title')],
      path: ['createPost', 'title'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    })]);
    const drafts = await rest('/api/posts?status=draft&filters[rating][$eq]=77');
    assert.equal(drafts.json.meta.pagination.total, 1);
  });

  test('createPost published without its title -> the string type error (the draft is written first)', async () => {
    const message = 'title must be a `string` type, but the final value was: `null`.';
    expectPartial(await q('mutation { createPost(data: { rating: 3 }) { rating } }'), { createPost: null }, [
      validationError(['createPost'], message, [attrError('title', message, null)]),
    ]);
  });

  test('updatePost(status: DRAFT) edits the draft only; updatePost without status publishes', async () => {
    const docId = dataOf(await q('mutation { createPost(data: { title: "V1" }) { documentId } }')).createPost.documentId;
    expectData(await q(`mutation { updatePost(documentId: "${docId}", status: DRAFT, data: { title: "V2" }) { title publishedAt } }`), {
      updatePost: { title: 'V2', publishedAt: null },
    });
    expectData(await q(`{ p: post(documentId: "${docId}") { title } d: post(documentId: "${docId}", status: DRAFT) { title } }`), {
      p: { title: 'V1' }, d: { title: 'V2' },
    });
    const res = await q(`mutation { updatePost(documentId: "${docId}", data: { rating: 5 }) { title rating publishedAt } }`);
    const data = dataOf(res);
    assert.equal(data.updatePost.title, 'V2');
    assert.equal(data.updatePost.rating, 5);
    assert.match(data.updatePost.publishedAt ?? '', ISO_DATETIME);
    expectData(await q(`{ post(documentId: "${docId}") { title rating } }`), { post: { title: 'V2', rating: 5 } });
  });

  test('updatePost without status publishes a never-published draft', async () => {
    const docId = dataOf(await q('mutation { createPost(status: DRAFT, data: { title: "Never" }) { documentId } }')).createPost.documentId;
    expectData(await q(`{ post(documentId: "${docId}") { title } }`), { post: null });
    dataOf(await q(`mutation { updatePost(documentId: "${docId}", data: { rating: 1 }) { title } }`));
    expectData(await q(`{ post(documentId: "${docId}") { title } }`), { post: { title: 'Never' } });
  });

  test('deletePost removes every version', async () => {
    const docId = dataOf(await q('mutation { createPost(data: { title: "Gone" }) { documentId } }')).createPost.documentId;
    await q(`mutation { updatePost(documentId: "${docId}", status: DRAFT, data: { title: "Gone (draft)" }) { title } }`);
    expectData(await q(`mutation { deletePost(documentId: "${docId}") { documentId } }`), { deletePost: { documentId: docId } });
    expectData(await q(`{ p: post(documentId: "${docId}") { title } d: post(documentId: "${docId}", status: DRAFT) { title } }`), { p: null, d: null });
  });
});
