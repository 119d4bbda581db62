// GraphQL transport (strapi-graphql.md §1): POST JSON and GET with a query
// string, Apollo Server 4's CSRF prevention (a GET or a POST with a "simple"
// content type needs a preflight header), mutations over GET (405), other
// methods (405), bodies Apollo refuses (400 BAD_REQUEST, no "data" key),
// malformed JSON (400 in the REST envelope, from the body parser) and
// __typename, which needs no token. The server runs with NODE_ENV=production,
// as in the recording.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectError, expectStatus, NO_DETAILS, uniq } from './lib/harness.mjs';
import {
  CSRF_MESSAGE, ENDPOINT, GET_MUTATION_MESSAGE, METHOD_MESSAGE, NO_QUERY_MESSAGE, POST_BODY_MESSAGE,
  expectData, expectRequestError, expectRequestFailure, gql, gqlSetup, show,
} from './lib/graphql.mjs';

let ctx;

before(async () => {
  ctx = await gqlSetup();
});

after(async () => {
  await ctx?.teardown();
});

const TYPENAME = '{ __typename }';
const raw = (method, opts) => ctx.server.api(method, ENDPOINT, opts);
const get = (query, opts = {}) => gql(ctx.server, query, { method: 'GET', ...opts });
const expectCsrf = (res) => expectRequestError(res, 'BAD_REQUEST', CSRF_MESSAGE);

async function articleCount(title) {
  const res = await ctx.server.get(`/api/articles?filters[title][$eq]=${encodeURIComponent(title)}`, { token: ctx.full });
  expectStatus(res, 200);
  return res.json.meta.pagination.total;
}

describe('POST application/json', () => {
  test('{ __typename } without a token -> 200 {"data":{"__typename":"Query"}}', async () => {
    const res = await gql(ctx.server, TYPENAME);
    expectData(res, { __typename: 'Query' });
    assert.match(res.headers.get('content-type'), /^application\/json/);
  });

  test('mutation { __typename } without a token -> {"data":{"__typename":"Mutation"}}', async () => {
    expectData(await gql(ctx.server, 'mutation { __typename }'), { __typename: 'Mutation' });
  });

  test('a content type with parameters (application/json; charset=utf-8) is JSON', async () => {
    const res = await raw('POST', {
      rawBody: JSON.stringify({ query: TYPENAME }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expectData(res, { __typename: 'Query' });
  });

  test('operationName selects the operation and variables feed it', async () => {
    const query = 'query A { a: __typename } query B($x: Boolean!) { b: __typename @include(if: $x) c: __typename @skip(if: $x) }';
    expectData(await gql(ctx.server, query, { operationName: 'B', variables: { x: true } }), { b: 'Query' });
    expectData(await gql(ctx.server, query, { operationName: 'B', variables: { x: false } }), { c: 'Query' });
    expectData(await gql(ctx.server, query, { operationName: 'A' }), { a: 'Query' });
  });

  test('variables: null and operationName: null are the same as absent', async () => {
    expectData(await gql(ctx.server, null, { body: { query: TYPENAME, variables: null, operationName: null } }), { __typename: 'Query' });
  });

  test('a query with the full-access token works the same', async () => {
    expectData(await gql(ctx.server, TYPENAME, { token: ctx.full }), { __typename: 'Query' });
  });
});

describe('GET', () => {
  test('with apollo-require-preflight -> 200', async () => {
    expectData(await get(TYPENAME), { __typename: 'Query' });
  });

  test('with x-apollo-operation-name (any non-empty value) -> 200', async () => {
    expectData(await get(TYPENAME, { preflight: false, headers: { 'x-apollo-operation-name': 'whatever' } }), { __typename: 'Query' });
  });

  test('with a non-simple content-type and no preflight header -> 200', async () => {
    for (const type of ['application/json', 'application/graphql', 'application/xml']) {
      expectData(await get(TYPENAME, { preflight: false, headers: { 'content-type': type } }), { __typename: 'Query' });
    }
  });

  test('plain GET (no preflight header, no content-type) -> 400 CSRF', async () => {
    expectCsrf(await get(TYPENAME, { preflight: false }));
  });

  test('GET with a simple content-type and no preflight header -> 400 CSRF', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'TEXT/PLAIN; charset=utf-8']) {
      expectCsrf(await get(TYPENAME, { preflight: false, headers: { 'content-type': type } }));
    }
  });

  test('an empty apollo-require-preflight does not count -> 400 CSRF', async () => {
    expectCsrf(await get(TYPENAME, { preflight: false, headers: { 'apollo-require-preflight': '' } }));
  });

  test('variables (JSON in the URL) and operationName', async () => {
    const query = 'query One { a: __typename } query Two($x: Boolean = false) { b: __typename @include(if: $x) }';
    expectData(await get(query, { operationName: 'Two', variables: { x: true } }), { b: 'Query' });
    expectData(await get(query, { operationName: 'Two' }), {});
    expectData(await get(query, { operationName: 'One' }), { a: 'Query' });
  });

  test('variables that are not JSON -> 400 BAD_REQUEST', async () => {
    expectRequestFailure(await get('query($x: Boolean = false) { __typename @include(if: $x) }', { variables: '{x' }), 400, 'BAD_REQUEST');
  });

  test('preflight header and no query -> 400 "must contain a non-empty `query`"', async () => {
    expectRequestError(await get(undefined), 'BAD_REQUEST', NO_QUERY_MESSAGE);
    expectRequestError(await get(''), 'BAD_REQUEST', NO_QUERY_MESSAGE);
  });

  test('JSON content-type and no query -> 400 "must contain a non-empty `query`"', async () => {
    expectRequestError(await raw('GET', { headers: { 'content-type': 'application/json' } }), 'BAD_REQUEST', NO_QUERY_MESSAGE);
  });

  test('plain GET /graphql (curl, no query) -> 400 CSRF', async () => {
    expectCsrf(await raw('GET', {}));
  });

  test('a browser (Accept: text/html) gets an HTML page, 200', async () => {
    const res = await raw('GET', { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expectStatus(res, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/, show(res));
    assert.match(res.text, /<html/i, show(res));
  });

  test('a mutation over GET -> 405 BAD_REQUEST, nothing written', async () => {
    const title = uniq('get-mutation');
    const res = await get(`mutation { createArticle(data: { title: "${title}" }) { documentId } }`, { token: ctx.full });
    expectRequestError(res, 'BAD_REQUEST', GET_MUTATION_MESSAGE, undefined, 405);
    assert.equal(await articleCount(title), 0);
  });

  test('a mutation over GET without a token -> 405 too (not FORBIDDEN)', async () => {
    expectRequestError(await get('mutation { __typename }'), 'BAD_REQUEST', GET_MUTATION_MESSAGE, undefined, 405);
  });

  test('GET picks the operation by operationName: the query runs, the mutation is 405', async () => {
    const title = uniq('get-pick');
    const doc = `query Q { __typename } mutation M { createArticle(data: { title: "${title}" }) { title } }`;
    expectData(await get(doc, { operationName: 'Q', token: ctx.full }), { __typename: 'Query' });
    expectRequestError(await get(doc, { operationName: 'M', token: ctx.full }), 'BAD_REQUEST', GET_MUTATION_MESSAGE, undefined, 405);
    assert.equal(await articleCount(title), 0);
  });
});

describe('other methods', () => {
  test('PUT /graphql -> 405 "Apollo Server supports only GET/POST requests."', async () => {
    const res = await raw('PUT', { body: { query: TYPENAME } });
    expectRequestError(res, 'BAD_REQUEST', METHOD_MESSAGE, undefined, 405);
  });
});

describe('POST bodies Apollo refuses', () => {
  test('text/plain (even with a JSON body) -> 400 CSRF', async () => {
    expectCsrf(await raw('POST', { rawBody: JSON.stringify({ query: TYPENAME }), headers: { 'content-type': 'text/plain' } }));
  });

  test('application/x-www-form-urlencoded -> 400 CSRF', async () => {
    const res = await raw('POST', {
      rawBody: `query=${encodeURIComponent(TYPENAME)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectCsrf(res);
  });

  test('multipart/form-data -> 400 CSRF', async () => {
    const form = new FormData();
    form.set('query', TYPENAME);
    expectCsrf(await raw('POST', { rawBody: form }));
  });

  test('application/graphql -> 400 "POST body missing, invalid Content-Type, or JSON object has no keys."', async () => {
    const res = await raw('POST', { rawBody: TYPENAME, headers: { 'content-type': 'application/graphql' } });
    expectRequestError(res, 'BAD_REQUEST', POST_BODY_MESSAGE);
  });

  test('{} -> 400 "POST body missing, ..."', async () => {
    expectRequestError(await raw('POST', { body: {} }), 'BAD_REQUEST', POST_BODY_MESSAGE);
  });

  test('no body with content-type application/json -> 400 "POST body missing, ..."', async () => {
    expectRequestError(await raw('POST', { headers: { 'content-type': 'application/json' } }), 'BAD_REQUEST', POST_BODY_MESSAGE);
  });

  test('{"query":""} -> 400 "must contain a non-empty `query`"', async () => {
    expectRequestError(await raw('POST', { body: { query: '' } }), 'BAD_REQUEST', NO_QUERY_MESSAGE);
  });

  test('{"query":null} and a body without query -> 400 "must contain a non-empty `query`"', async () => {
    expectRequestError(await raw('POST', { body: { query: null } }), 'BAD_REQUEST', NO_QUERY_MESSAGE);
    expectRequestError(await raw('POST', { body: { variables: {} } }), 'BAD_REQUEST', NO_QUERY_MESSAGE);
    expectRequestError(await raw('POST', { body: { operationName: 'Q' } }), 'BAD_REQUEST', NO_QUERY_MESSAGE);
  });

  test('a query of blanks -> 400 GRAPHQL_PARSE_FAILED "Syntax Error: Unexpected <EOF>."', async () => {
    expectRequestError(await raw('POST', { body: { query: '   ' } }), 'GRAPHQL_PARSE_FAILED', 'Syntax Error: Unexpected <EOF>.', [{ line: 1, column: 4 }]);
  });

  test('malformed JSON -> 400 REST envelope SyntaxError "Unexpected end of JSON input"', async () => {
    const res = await raw('POST', { rawBody: '{"query":', headers: { 'content-type': 'application/json' } });
    expectError(res, 400, 'SyntaxError', 'Unexpected end of JSON input', NO_DETAILS);
  });

  test('other malformed JSON -> 400 REST envelope SyntaxError', async () => {
    const res = await raw('POST', { rawBody: '{"query": x}', headers: { 'content-type': 'application/json' } });
    expectError(res, 400, 'SyntaxError', /./, NO_DETAILS);
  });

  test('a query that is not a string -> 400 BAD_REQUEST', async () => {
    for (const query of [123, ['{ __typename }'], { kind: 'Document' }, true]) {
      expectRequestFailure(await raw('POST', { body: { query } }), 400, 'BAD_REQUEST');
    }
  });

  test('variables that are not an object -> 400 BAD_REQUEST', async () => {
    for (const variables of ['{"x":1}', [1], 5]) {
      expectRequestFailure(await raw('POST', { body: { query: TYPENAME, variables } }), 400, 'BAD_REQUEST');
    }
  });

  test('an operationName that is not a string -> 400 BAD_REQUEST', async () => {
    expectRequestFailure(await raw('POST', { body: { query: TYPENAME, operationName: 5 } }), 400, 'BAD_REQUEST');
  });

  test('a JSON array (a batch; batching is off) -> 400', async () => {
    expectRequestFailure(await raw('POST', { body: [{ query: TYPENAME }] }), 400);
  });
});

describe('authentication runs first', () => {
  test('a bad token on a CSRF-blocked GET -> 401 REST envelope, not the CSRF error', async () => {
    expectError(await get(TYPENAME, { preflight: false, token: 'nope' }), 401, 'UnauthorizedError', 'Missing or invalid credentials');
  });

  test('a bad token on a plain POST of { __typename } -> 401', async () => {
    expectError(await gql(ctx.server, TYPENAME, { token: 'nope' }), 401, 'UnauthorizedError', 'Missing or invalid credentials');
  });
});
