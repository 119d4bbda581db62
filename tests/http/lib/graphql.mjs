// Helpers for the GraphQL tests (tests/http/3*-graphql-*.test.mjs), written
// against ../shared/spec/strapi-graphql.md (Strapi 5.54 + plugin-graphql,
// Apollo Server 4, recorded with NODE_ENV=production), strapi-api-tokens.md
// §7 and strapi-wire-transcript.md §13.
//
// gql(server, query, opts) sends one GraphQL request (POST JSON by default,
// or GET with the query in the URL and a CSRF-preflight header) and returns
// the harness's {status, headers, text, json}. gqlSetup() is the harness's
// setup() with the server in production mode (the recording's mode: Apollo's
// production error format, introspection off) unless told otherwise.
//
// Bodies are compared twice: deepEqual (content), then as JSON text (key
// order: "errors" before "data", "message" before "locations" before "path"
// before "extensions", data keys in selection order), because the spec
// records the bodies byte for byte.

import assert from 'node:assert/strict';

import { expectStatus, setup } from './harness.mjs';

export const ENDPOINT = '/graphql';

// ---- messages recorded in strapi-graphql.md §1, §2 -------------------------------

export const CSRF_MESSAGE =
  "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either specify a 'content-type' header (with a type that is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain) or provide a non-empty value for one of the following headers: x-apollo-operation-name, apollo-require-preflight\n";
export const NO_QUERY_MESSAGE =
  'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.';
export const POST_BODY_MESSAGE = 'POST body missing, invalid Content-Type, or JSON object has no keys.';
export const GET_MUTATION_MESSAGE = 'GET requests only support query operations, not mutation operations';
export const METHOD_MESSAGE = 'Apollo Server supports only GET/POST requests.';
export const INTROSPECTION_MESSAGE =
  'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production';
export const MULTIPLE_OPERATIONS_MESSAGE = 'Must provide operation name if query contains multiple operations.';

// ---- requests ---------------------------------------------------------------------------

/**
 * One GraphQL request. Options:
 *   variables, operationName: sent when given (GET: variables JSON-encoded
 *     unless already a string)
 *   token: "Authorization: Bearer <token>"
 *   headers: extra headers (override the defaults)
 *   method: 'POST' (default, JSON body), 'GET' (URL parameters) or any other
 *   preflight: GET only; false to leave out "apollo-require-preflight: true"
 *   body: POST only; a raw object sent instead of {query, variables, operationName}
 */
export function gql(server, query, {
  variables, operationName, token, headers = {}, method = 'POST', preflight = true, body,
} = {}) {
  if (method === 'GET') {
    const params = new URLSearchParams();
    if (query !== undefined) params.set('query', query);
    if (variables !== undefined) {
      params.set('variables', typeof variables === 'string' ? variables : JSON.stringify(variables));
    }
    if (operationName !== undefined) params.set('operationName', operationName);
    const qs = params.toString();
    const h = preflight ? { 'apollo-require-preflight': 'true', ...headers } : headers;
    return server.api('GET', qs === '' ? ENDPOINT : `${ENDPOINT}?${qs}`, { token, headers: h });
  }
  let payload = body;
  if (payload === undefined) {
    payload = {};
    if (query !== undefined) payload.query = query;
    if (variables !== undefined) payload.variables = variables;
    if (operationName !== undefined) payload.operationName = operationName;
  }
  return server.api(method, ENDPOINT, { token, body: payload, headers });
}

/**
 * The harness's setup() for a GraphQL test file: fixture project, server
 * (NODE_ENV=production unless `env` says otherwise, plus `env`), the
 * full-access key in ctx.full, and ctx.gql(query, opts) = gql() with the
 * full-access token unless opts.token is given (pass token: undefined to
 * send none).
 */
export async function gqlSetup({ env = {} } = {}) {
  const ctx = await setup({ server: { env: { NODE_ENV: 'production', ...env } } });
  ctx.gql = (query, opts = {}) => gql(ctx.server, query, { token: ctx.full, ...opts });
  return ctx;
}

// ---- assertions -------------------------------------------------------------------------

function shorten(s, n = 3000) {
  return s.length > n ? `${s.slice(0, n)}...(${s.length} chars)` : s;
}

export function show(res) {
  return `${res.method} ${shorten(res.path, 300)} -> ${res.status}\n${shorten(res.text)}`;
}

/** Content equal, then key order equal (JSON text). */
export function assertSameJson(actual, expected, context = '') {
  assert.deepEqual(actual, expected, context);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), `same content but different key order\n${context}`);
}

/** Status, a JSON content type and exactly this body (content and key order). */
export function expectBody(res, status, expected) {
  expectStatus(res, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, show(res));
  assert.ok(res.json !== undefined, `body is not JSON: ${show(res)}`);
  assertSameJson(res.json, expected, show(res));
  return res.json;
}

/** 200 and exactly {"data": data}, no "errors" key. */
export function expectData(res, data) {
  return expectBody(res, 200, { data });
}

/** 200, no errors; returns body.data (for bodies with generated values). */
export function dataOf(res) {
  expectStatus(res, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, show(res));
  assert.ok(res.json && typeof res.json === 'object', `body is not JSON: ${show(res)}`);
  assert.deepEqual(Object.keys(res.json), ['data'], `expected only a data key: ${show(res)}`);
  return res.json.data;
}

/** A GraphQL error object, keys in graphql-js order. */
export function gqlError({ message, locations, path, extensions }) {
  const e = { message };
  if (locations !== undefined) e.locations = locations;
  if (path !== undefined) e.path = path;
  if (extensions !== undefined) e.extensions = extensions;
  return e;
}

/** A request error (parse, validation, variables): {message, locations?, extensions: {code}}. */
export function requestError(code, message, locations) {
  return gqlError({ message, locations, extensions: { code } });
}

/** A request-level failure: status (400 by default) and {"errors": [...]} only, no "data" key. */
export function expectRequestErrors(res, errors, status = 400) {
  return expectBody(res, status, { errors });
}

/** One request-level error: {"errors":[{message, locations?, extensions:{code}}]}. */
export function expectRequestError(res, code, message, locations, status = 400) {
  return expectRequestErrors(res, [requestError(code, message, locations)], status);
}

/**
 * A request-level failure whose message the spec does not record: the status,
 * an {"errors":[...]} body without "data", and errors[0].extensions.code;
 * `message` (a RegExp) is matched when given.
 */
export function expectRequestFailure(res, status, code, message) {
  expectStatus(res, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, show(res));
  assert.ok(res.json && typeof res.json === 'object', `body is not JSON: ${show(res)}`);
  assert.deepEqual(Object.keys(res.json), ['errors'], `expected only an errors key: ${show(res)}`);
  assert.ok(Array.isArray(res.json.errors) && res.json.errors.length > 0, show(res));
  const e = res.json.errors[0];
  assert.equal(typeof e.message, 'string', show(res));
  if (code !== undefined) assert.equal(e.extensions?.code, code, show(res));
  if (message !== undefined) assert.match(e.message, message, show(res));
  return e;
}

/** The resolver error of a denied field (strapi-graphql.md §2, transcript §13). */
export function forbidden(path) {
  return gqlError({
    message: 'Forbidden access',
    path,
    extensions: { code: 'FORBIDDEN', error: { name: 'ForbiddenError', message: 'Forbidden access', details: {} } },
  });
}

/** A Strapi error raised in a resolver: {message, path, extensions:{code, error:{name, message, details}}}. */
export function strapiError(path, code, name, message, details = {}) {
  return gqlError({ message, path, extensions: { code, error: { name, message, details } } });
}

/** A Strapi ValidationError on one or more attributes (BAD_USER_INPUT). */
export function validationError(path, message, errors) {
  return strapiError(path, 'BAD_USER_INPUT', 'ValidationError', message, { errors });
}

/** One entry of details.errors; pass `value` to include it ("must be defined" has none). */
export function attrError(attr, message, ...value) {
  const e = { path: [attr], message, name: 'ValidationError' };
  if (value.length > 0) e.value = value[0];
  return e;
}

/** 200 with {"errors": errors, "data": data} exactly. */
export function expectPartial(res, data, errors) {
  return expectBody(res, 200, { errors, data });
}

/** {line, column} (1-based) of the nth occurrence of `needle` in `text`. */
export function locOf(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i += 1) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (#${nth}) not found in the query`);
  }
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// ---- content -----------------------------------------------------------------------------

/**
 * The product data set of strapi-graphql.md §5's examples, in creation order:
 * binary name order Apple, Cherry, Elderberry, banana, date; stock >= 10
 * sorted desc gives Cherry, banana; price < 2 gives banana, Apple and
 * price >= 2 gives Cherry, Elderberry (date has no price).
 */
export const PRODUCTS = [
  {
    name: 'Apple', stock: 11, description: 'Red fruit', category: 'beta', price: 1.5, amount: 1.25, bigValue: '100',
    active: true, releaseDate: '2024-01-10', openingTime: '08:00:00', launchAt: '2024-01-20T10:00:00.000Z',
    meta: { color: 'red' },
  },
  {
    name: 'banana', stock: 20, description: 'yellow FRUIT', category: 'alpha', price: 0.5, amount: 2.5, bigValue: '200',
    active: false, releaseDate: '2024-02-10', openingTime: null, launchAt: '2024-02-20T10:00:00.000Z',
    meta: { color: 'yellow' },
  },
  {
    name: 'Cherry', stock: 30, description: null, category: 'gamma', price: 3, amount: 30, bigValue: '300',
    active: true, releaseDate: '2024-03-31', openingTime: null, launchAt: '2024-03-31T23:59:59.000Z', meta: null,
  },
  {
    name: 'date', stock: null, description: 'Dried fruit', category: 'alpha', price: null, amount: null, bigValue: null,
    active: false, releaseDate: null, openingTime: null, launchAt: null, meta: null,
  },
  {
    name: 'Elderberry', stock: 0, description: 'Berry 100%', category: 'beta', price: 10, amount: 0.75, bigValue: '50',
    active: true, releaseDate: '2023-12-31', openingTime: '23:30:00', launchAt: '2023-12-31T23:00:00.000Z',
    meta: { color: 'purple' },
  },
];

/** POST one entry through REST with `token`; returns the created entry. */
export async function restCreate(server, token, plural, data, query = '') {
  const res = await server.post(`/api/${plural}${query}`, { token, body: { data } });
  expectStatus(res, 201);
  return res.json.data;
}

/** Create PRODUCTS (with a secretNote each) through REST; returns the entries (REST shapes). */
export async function seedProducts(server, token, list = PRODUCTS) {
  const out = [];
  for (const p of list) out.push(await restCreate(server, token, 'products', { ...p, secretNote: `secret of ${p.name}` }));
  return out;
}
