// The real client graphql-request (npm, pinned in package.json) against
// tollgate's /graphql with API tokens: GraphQLClient.request for queries and
// mutations with variables, the request()/rawRequest() functions, GET
// requests (which need a CSRF-preflight header), and the ClientError it
// raises for FORBIDDEN fields, a bad token (401) and request errors (400).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DOCUMENT_ID, ISO_DATETIME, expectStatus } from './lib/harness.mjs';
import { CSRF_MESSAGE, ENDPOINT, forbidden, gqlSetup } from './lib/graphql.mjs';

let lib;
try {
  lib = await import('graphql-request');
} catch (err) {
  throw new Error('graphql-request is not installed: run `npm ci` in tests/http (it is pinned in package.json)', { cause: err });
}
const { ClientError, GraphQLClient, gql, rawRequest, request } = lib;

let ctx;
let url;
let readOnly;

before(async () => {
  ctx = await gqlSetup();
  url = `${ctx.server.baseUrl}${ENDPOINT}`;
  readOnly = ctx.project.token({ type: 'read-only' }).accessKey;
});

after(async () => {
  await ctx?.teardown();
});

const bearer = (key) => ({ authorization: `Bearer ${key}` });

/** Run `fn`, expect a ClientError; returns it. */
async function clientError(fn) {
  let caught;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, 'expected a ClientError, but the request succeeded');
  assert.ok(caught instanceof ClientError, `${caught?.name}: ${caught?.message}`);
  return caught;
}

const CREATE = gql`
  mutation CreateArticle($data: ArticleInput!) {
    createArticle(data: $data) { documentId title views published publishedAt }
  }
`;
const LIST = gql`
  query Articles($filters: ArticleFiltersInput, $pagination: PaginationArg) {
    articles(filters: $filters, pagination: $pagination, sort: ["views:desc"]) { documentId title views }
    articles_connection(filters: $filters) { pageInfo { total page pageSize pageCount } }
  }
`;

describe('GraphQLClient with a full-access token', () => {
  let client;
  const made = [];

  before(() => {
    client = new GraphQLClient(url, { headers: bearer(ctx.full) });
  });

  test('a mutation with variables creates articles', async () => {
    for (const [title, views] of [['client one', 1], ['client two', 2], ['client three', 3]]) {
      const data = await client.request(CREATE, { data: { title, views, published: views % 2 === 1 } });
      assert.match(data.createArticle.documentId, DOCUMENT_ID);
      assert.match(data.createArticle.publishedAt, ISO_DATETIME);
      assert.deepEqual({ ...data.createArticle, documentId: 0, publishedAt: 0 }, {
        documentId: 0, title, views, published: views % 2 === 1, publishedAt: 0,
      });
      made.push(data.createArticle);
    }
    const check = await ctx.server.get(`/api/articles/${made[0].documentId}`, { token: ctx.full });
    expectStatus(check, 200);
    assert.equal(check.json.data.title, 'client one');
  });

  test('a query with variables: filters, pagination, sort and a connection', async () => {
    const data = await client.request(LIST, { filters: { title: { startsWith: 'client' } }, pagination: { pageSize: 2 } });
    assert.deepEqual(data, {
      articles: [made[2], made[1]].map(({ documentId, title, views }) => ({ documentId, title, views })),
      articles_connection: { pageInfo: { total: 3, page: 1, pageSize: 25, pageCount: 1 } },
    });
  });

  test('the object form: request({document, variables, requestHeaders})', async () => {
    const data = await client.request({
      document: 'query One($id: ID!) { article(documentId: $id) { title } }',
      variables: { id: made[1].documentId },
    });
    assert.deepEqual(data, { article: { title: 'client two' } });
  });

  test('update and delete', async () => {
    const upd = await client.request('mutation($id: ID!) { updateArticle(documentId: $id, data: { views: 20 }) { views } }', { id: made[1].documentId });
    assert.deepEqual(upd, { updateArticle: { views: 20 } });
    const del = await client.request('mutation($id: ID!) { deleteArticle(documentId: $id) { documentId } }', { id: made[2].documentId });
    assert.deepEqual(del, { deleteArticle: { documentId: made[2].documentId } });
    const after = await client.request('query($id: ID!) { article(documentId: $id) { title } }', { id: made[2].documentId });
    assert.deepEqual(after, { article: null });
  });

  test('rawRequest -> {data, status, headers}', async () => {
    const res = await client.rawRequest('{ articles_connection { pageInfo { total } } }');
    assert.equal(res.status, 200);
    assert.deepEqual(res.data, { articles_connection: { pageInfo: { total: 2 } } });
    assert.equal(res.errors, undefined);
  });

  test('errorPolicy "all" returns data and errors without throwing', async () => {
    const c = new GraphQLClient(url, { headers: bearer(readOnly), errorPolicy: 'all' });
    const res = await c.rawRequest('mutation { createArticle(data: { title: "nope" }) { title } }');
    assert.deepEqual(res.data, { createArticle: null });
    assert.deepEqual(res.errors, [forbidden(['createArticle'])]);
  });
});

describe('the request() and rawRequest() functions', () => {
  test('request(url, document, variables, headers) with a read-only token', async () => {
    const data = await request(url, 'query($t: String) { articles(filters: { title: { eq: $t } }) { title } }', { t: 'client one' }, bearer(readOnly));
    assert.deepEqual(data, { articles: [{ title: 'client one' }] });
  });

  test('rawRequest({url, query, requestHeaders})', async () => {
    const res = await rawRequest({ url, query: '{ __typename }', requestHeaders: bearer(readOnly) });
    assert.deepEqual(res.data, { __typename: 'Query' });
    assert.equal(res.status, 200);
  });
});

describe('GET requests', () => {
  test('GET with the apollo-require-preflight header works', async () => {
    const c = new GraphQLClient(url, { method: 'GET', headers: { ...bearer(readOnly), 'apollo-require-preflight': 'true' } });
    const data = await c.request('query Named($t: String) { articles(filters: { title: { eq: $t } }) { views } }', { t: 'client one' });
    assert.deepEqual(data, { articles: [{ views: 1 }] });
  });

  test('a GET client still sends mutations as POST', async () => {
    const c = new GraphQLClient(url, { method: 'GET', headers: bearer(ctx.full) });
    const data = await c.request('mutation { createArticle(data: { title: "via GET client" }) { title } }');
    assert.deepEqual(data, { createArticle: { title: 'via GET client' } });
  });

  test('GET without a preflight header -> ClientError 400 with the CSRF message', async () => {
    const c = new GraphQLClient(url, { method: 'GET', headers: bearer(readOnly) });
    const err = await clientError(() => c.request('{ __typename }'));
    assert.equal(err.response.status, 400);
    assert.deepEqual(err.response.errors, [{ message: CSRF_MESSAGE, extensions: { code: 'BAD_REQUEST' } }]);
  });
});

describe('errors as graphql-request reports them', () => {
  test('a read-only token on a mutation -> ClientError: status 200, FORBIDDEN, data.createArticle null', async () => {
    const c = new GraphQLClient(url, { headers: bearer(readOnly) });
    const err = await clientError(() => c.request(CREATE, { data: { title: 'denied' } }));
    assert.equal(err.response.status, 200);
    assert.deepEqual(err.response.errors, [forbidden(['createArticle'])]);
    assert.deepEqual(err.response.data, { createArticle: null });
  });

  test('no token -> ClientError with FORBIDDEN on the list field, data null', async () => {
    const err = await clientError(() => request(url, '{ articles { title } }'));
    assert.equal(err.response.status, 200);
    assert.deepEqual(err.response.errors, [forbidden(['articles'])]);
    assert.equal(err.response.data, null);
  });

  test('a bad token -> ClientError with status 401', async () => {
    const c = new GraphQLClient(url, { headers: bearer('nope') });
    const err = await clientError(() => c.request('{ articles { title } }'));
    assert.equal(err.response.status, 401);
  });

  test('a syntax error -> ClientError 400 GRAPHQL_PARSE_FAILED', async () => {
    const c = new GraphQLClient(url, { headers: bearer(readOnly) });
    const err = await clientError(() => c.request('{ articles { title }'));
    assert.equal(err.response.status, 400);
    assert.deepEqual(err.response.errors, [{
      message: 'Syntax Error: Expected Name, found <EOF>.',
      locations: [{ line: 1, column: 21 }],
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    }]);
  });

  test('a bad variable -> ClientError 400 BAD_USER_INPUT', async () => {
    const c = new GraphQLClient(url, { headers: bearer(readOnly) });
    const err = await clientError(() => c.request('query($n: Int) { articles(pagination: { pageSize: $n }) { title } }', { n: 'abc' }));
    assert.equal(err.response.status, 400);
    assert.equal(err.response.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.equal(err.response.errors[0].message, 'Variable "$n" got invalid value "abc"; Int cannot represent non-integer value: "abc"');
  });
});
