// GraphQL request errors (strapi-graphql.md §5, §7): syntax errors
// (GRAPHQL_PARSE_FAILED), validation errors (GRAPHQL_VALIDATION_FAILED) with
// graphql-js's messages and locations, variable errors (BAD_USER_INPUT),
// operation resolution (OPERATION_RESOLUTION_FAILURE): HTTP 400, a body of
// {"errors":[...]} only. Then the bounds against abusive documents
// (GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_ALIASES, GRAPHQL_MAX_DOCUMENT_BYTES): an
// over-limit document is a 400 GraphQL error, a document at the limit runs.
// Messages and locations not recorded in the spec are graphql-js 16's (the
// version Strapi 5.54 runs), checked against the spec's SDL.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { uniq } from './lib/harness.mjs';
import {
  MULTIPLE_OPERATIONS_MESSAGE, dataOf, expectData, expectRequestError, expectRequestErrors, expectRequestFailure, gql, gqlSetup,
  locOf, requestError,
} from './lib/graphql.mjs';

let ctx;

before(async () => {
  ctx = await gqlSetup();
});

after(async () => {
  await ctx?.teardown();
});

const q = (query, opts) => ctx.gql(query, opts);
const PARSE = 'GRAPHQL_PARSE_FAILED';
const INVALID = 'GRAPHQL_VALIDATION_FAILED';
const INPUT = 'BAD_USER_INPUT';
const at = (line, column) => [{ line, column }];

// ---- syntax ------------------------------------------------------------------------------------

describe('syntax errors -> 400 GRAPHQL_PARSE_FAILED', () => {
  const cases = [
    ['{ products { name }', 'Syntax Error: Expected Name, found <EOF>.', at(1, 20)],
    ['{ products { name } } }', 'Syntax Error: Unexpected "}".', at(1, 23)],
    ['{ products(filters: { name: { eq: "x }) { name } }', 'Syntax Error: Unterminated string.', at(1, 51)],
    ['{ products { name } } ;', 'Syntax Error: Unexpected character: ";".', at(1, 23)],
    ['query { }', 'Syntax Error: Expected Name, found "}".', at(1, 9)],
    ['{ products(filters: { stock: { eq: 1. } }) { name } }', 'Syntax Error: Invalid number, expected digit but got: " ".', at(1, 38)],
    ['query Q($x: ) { __typename }', 'Syntax Error: Expected Name, found ")".', at(1, 13)],
    ['fragment on on Product { name } { __typename }', 'Syntax Error: Unexpected Name "on".', at(1, 10)],
    ['{ "x" }', 'Syntax Error: Expected Name, found String "x".', at(1, 3)],
    ['{ products(filters: { name: { eq: "\\q" } }) { name } }', 'Syntax Error: Invalid character escape sequence: "\\q".', at(1, 36)],
    ['{\n  products {\n    name\n  }\n  posts {\n    title(\n  }\n}', 'Syntax Error: Expected Name, found "}".', at(7, 3)],
  ];
  for (const [query, message, locations] of cases) {
    test(`${JSON.stringify(query)} -> ${message}`, async () => {
      expectRequestError(await q(query), PARSE, message, locations);
    });
  }

  test('the same over GET', async () => {
    expectRequestError(await q('{ products { name }', { method: 'GET' }), PARSE, 'Syntax Error: Expected Name, found <EOF>.', at(1, 20));
  });

  test('a syntax error in a mutation writes nothing', async () => {
    const title = uniq('parse');
    const query = `mutation { createArticle(data: { title: "${title}" }) { title }`;
    expectRequestError(await q(query), PARSE, 'Syntax Error: Expected Name, found <EOF>.', at(1, query.length + 1));
    const res = await ctx.server.get(`/api/articles?filters[title][$eq]=${title}`, { token: ctx.full });
    assert.equal(res.json.meta.pagination.total, 0);
  });
});

// ---- validation ------------------------------------------------------------------------------------

describe('validation errors -> 400 GRAPHQL_VALIDATION_FAILED (strapi-graphql.md §7)', () => {
  const cases = [
    ['{ products { nope } }', 'Cannot query field "nope" on type "Product". Did you mean "name"?', at(1, 14)],
    ['{ products { id } }', 'Cannot query field "id" on type "Product".', at(1, 14)],
    ['{ nothing }', 'Cannot query field "nothing" on type "Query".', at(1, 3)],
    ['{ products(foo: 1) { name } }', 'Unknown argument "foo" on field "Query.products".', at(1, 12)],
    ['{ product { name } }', 'Field "product" argument "documentId" of type "ID!" is required, but it was not provided.', at(1, 3)],
    ['{ products(pagination: { page: "x" }) { name } }', 'Int cannot represent non-integer value: "x"', at(1, 32)],
    [
      'mutation { createProduct(data: { name: "x", category: delta }) { name } }',
      'Value "delta" does not exist in "ENUM_PRODUCT_CATEGORY" enum. Did you mean the enum value "beta"?', at(1, 55),
    ],
    [
      '{ products(filters: { openingTime: { eq: "10:00" } }) { name } }',
      'Expected value of type "Time", found "10:00"; Invalid time format, expected HH:mm:ss.SSS', at(1, 42),
    ],
    [
      'mutation { createProduct(data: { name: "xy", openingTime: "10:00" }) { name } }',
      'Expected value of type "Time", found "10:00"; Invalid time format, expected HH:mm:ss.SSS', at(1, 59),
    ],
    ['{ products(filters: { releaseDate: { eq: "2024-13-01" } }) { name } }', 'Date cannot represent an invalid date-string 2024-13-01.', at(1, 42)],
    ['{ products(filters: { secretNote: { eq: "x" } }) { name } }', 'Field "secretNote" is not defined by type "ProductFiltersInput".', at(1, 23)],
    [
      '{ products(filters: { name: { startsWithi: "x" } }) { name } }',
      'Field "startsWithi" is not defined by type "StringFilterInput". Did you mean "startsWith"?', at(1, 31),
    ],
  ];
  for (const [query, message, locations] of cases) {
    test(`${query} -> ${message}`, async () => {
      expectRequestError(await q(query), INVALID, message, locations);
    });
  }
});

describe('validation errors -> 400 GRAPHQL_VALIDATION_FAILED (graphql-js rules)', () => {
  const cases = [
    ['{ products }', 'Field "products" of type "[Product]!" must have a selection of subfields. Did you mean "products { ... }"?', at(1, 3)],
    ['{ products { name { x } } }', 'Field "name" must not have a selection since type "String!" has no subfields.', at(1, 19)],
    ['{ products { name @nope } }', 'Unknown directive "@nope".', at(1, 19)],
    ['{ ...Nope }', 'Unknown fragment "Nope".', at(1, 6)],
    ['fragment F on Product { name } { __typename }', 'Fragment "F" is never used.', at(1, 1)],
    ['query($x: Int) { __typename }', 'Variable "$x" is never used.', at(1, 7)],
    ['{ products(pagination: { pageSize: $x }) { name } }', 'Variable "$x" is not defined.', [{ line: 1, column: 36 }, { line: 1, column: 1 }]],
    ['query Q { products(pagination: { page: $n }) { name } }', 'Variable "$n" is not defined by operation "Q".', [{ line: 1, column: 40 }, { line: 1, column: 1 }]],
    [
      'query($n: String) { products(pagination: { pageSize: $n }) { name } }',
      'Variable "$n" of type "String" used in position expecting type "Int".', [{ line: 1, column: 7 }, { line: 1, column: 54 }],
    ],
    ['{ products(sort: 5) { name } }', 'String cannot represent a non string value: 5', at(1, 18)],
    ['{ products(status: published) { name } }', 'Value "published" does not exist in "PublicationStatus" enum. Did you mean the enum value "PUBLISHED"?', at(1, 20)],
    ['{ products(filters: { stock: { eq: 1.5 } }) { name } }', 'Int cannot represent non-integer value: 1.5', at(1, 36)],
    ['{ products(filters: { active: { eq: "true" } }) { name } }', 'Boolean cannot represent a non boolean value: "true"', at(1, 37)],
    ['{ products(pagination: { pageSize: 3000000000 }) { name } }', 'Int cannot represent non 32-bit signed integer value: 3000000000', at(1, 36)],
    ['{ products(pagination: { nope: 1 }) { name } }', 'Field "nope" is not defined by type "PaginationArg".', at(1, 26)],
    ['{ product(documentId: null) { name } }', 'Expected value of type "ID!", found null.', at(1, 23)],
    ['mutation { createProduct(data: { stock: "5" }) { name } }', 'Int cannot represent non-integer value: "5"', at(1, 41)],
    ['mutation { createProduct { name } }', 'Field "createProduct" argument "data" of type "ProductInput!" is required, but it was not provided.', at(1, 12)],
    ['mutation { createProduct(data: {nope: 1}) { name } }', 'Field "nope" is not defined by type "ProductInput". Did you mean "name"?', at(1, 33)],
    [
      '{ products { a: name a: sku } }',
      'Fields "a" conflict because "name" and "sku" are different fields. Use different aliases on the fields to fetch both if this was intentional.',
      [{ line: 1, column: 14 }, { line: 1, column: 22 }],
    ],
    [
      '{ products(pagination: { page: 1 }) { name } products(pagination: { page: 2 }) { name } }',
      'Fields "products" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional.',
      [{ line: 1, column: 3 }, { line: 1, column: 46 }],
    ],
    ['{ products { ... on Article { title } } }', 'Fragment cannot be spread here as objects of type "Product" can never be of type "Article".', at(1, 14)],
    ['{ ...F } fragment F on Query { ...G } fragment G on Query { ...F }', 'Cannot spread fragment "F" within itself via "G".', [{ line: 1, column: 32 }, { line: 1, column: 61 }]],
    ['query Q { __typename } query Q { __typename }', 'There can be only one operation named "Q".', [{ line: 1, column: 7 }, { line: 1, column: 30 }]],
    ['{ a: __typename } query B { __typename }', 'This anonymous operation must be the only defined operation.', at(1, 1)],
    ['{ products(sort: "a", sort: "b") { name } }', 'There can be only one argument named "sort".', [{ line: 1, column: 12 }, { line: 1, column: 23 }]],
    ['{ products(filters: { name: { eq: "a" }, name: { eq: "b" } }) { name } }', 'There can be only one input field named "name".', [{ line: 1, column: 23 }, { line: 1, column: 42 }]],
    ['query($x: Int, $x: Int) { products(pagination: {page: $x}) { name } }', 'There can be only one variable named "$x".', [{ line: 1, column: 8 }, { line: 1, column: 17 }]],
    ['{ __typename @include }', 'Directive "@include" argument "if" of type "Boolean!" is required, but it was not provided.', at(1, 14)],
    ['query @skip(if: true) { __typename }', 'Directive "@skip" may not be used on QUERY.', at(1, 7)],
  ];
  for (const [query, message, locations] of cases) {
    test(`${query} -> ${message}`, async () => {
      expectRequestError(await q(query), INVALID, message, locations);
    });
  }

  test('every error of the document, in document order', async () => {
    expectRequestErrors(await q('{ products { nope1 name nope2 } }'), [
      requestError(INVALID, 'Cannot query field "nope1" on type "Product". Did you mean "name"?', at(1, 14)),
      requestError(INVALID, 'Cannot query field "nope2" on type "Product". Did you mean "name"?', at(1, 25)),
    ]);
  });

  test('several rules: unknown type and an unused variable', async () => {
    expectRequestErrors(await q('query($n: Nope) { __typename }'), [
      requestError(INVALID, 'Unknown type "Nope".', at(1, 11)),
      requestError(INVALID, 'Variable "$n" is never used.', at(1, 7)),
    ]);
  });

  test('a variable of an output type', async () => {
    expectRequestErrors(await q('query($p: Product) { __typename }'), [
      requestError(INVALID, 'Variable "$p" cannot be non-input type "Product".', at(1, 11)),
      requestError(INVALID, 'Variable "$p" is never used.', at(1, 7)),
    ]);
  });

  test('locations on a later line', async () => {
    const query = '{\n  products {\n    name\n    nope\n  }\n}';
    expectRequestError(await q(query), INVALID, 'Cannot query field "nope" on type "Product". Did you mean "name"?', [locOf(query, 'nope')]);
  });

  test('an invalid mutation writes nothing, even with a valid field next to it', async () => {
    const title = uniq('invalid');
    const res = await q(`mutation { a: createArticle(data: { title: "${title}" }) { title } b: createArticle(data: { nope: 1 }) { title } }`);
    assert.equal(res.status, 400, res.text);
    const check = await ctx.server.get(`/api/articles?filters[title][$eq]=${title}`, { token: ctx.full });
    assert.equal(check.json.meta.pagination.total, 0);
  });
});

// ---- variables ---------------------------------------------------------------------------------

describe('variable errors -> 400 BAD_USER_INPUT', () => {
  const cases = [
    [
      'query($n: Int) { products(pagination: { pageSize: $n }) { name } }', { n: 'abc' },
      'Variable "$n" got invalid value "abc"; Int cannot represent non-integer value: "abc"', at(1, 7),
    ],
    [
      'query($f: ProductFiltersInput) { products(filters: $f) { name } }', { f: { name: { endsWithi: 'a' } } },
      'Variable "$f" got invalid value { endsWithi: "a" } at "f.name"; Field "endsWithi" is not defined by type "StringFilterInput". Did you mean "endsWith"?',
      at(1, 7),
    ],
    [
      'query($n: Int!) { products(pagination: { pageSize: $n }) { name } }', {},
      'Variable "$n" of required type "Int!" was not provided.', at(1, 7),
    ],
    [
      'query($n: Int!) { products(pagination: { pageSize: $n }) { name } }', { n: null },
      'Variable "$n" of non-null type "Int!" must not be null.', at(1, 7),
    ],
    [
      'query($s: PublicationStatus) { posts(status: $s) { title } }', { s: 'published' },
      'Variable "$s" got invalid value "published"; Value "published" does not exist in "PublicationStatus" enum. Did you mean the enum value "PUBLISHED"?',
      at(1, 7),
    ],
    [
      'query($n: Int) { products(pagination: { pageSize: $n }) { name } }', { n: 3000000000 },
      'Variable "$n" got invalid value 3000000000; Int cannot represent non 32-bit signed integer value: 3000000000', at(1, 7),
    ],
    [
      'query($n: Int) { products(pagination: { pageSize: $n }) { name } }', { n: 1.5 },
      'Variable "$n" got invalid value 1.5; Int cannot represent non-integer value: 1.5', at(1, 7),
    ],
    [
      'query($p: Float) { products(filters: { price: { lt: $p } }) { name } }', { p: 'x' },
      'Variable "$p" got invalid value "x"; Float cannot represent non numeric value: "x"', at(1, 7),
    ],
    [
      'query($b: Boolean!) { __typename @include(if: $b) }', { b: 'true' },
      'Variable "$b" got invalid value "true"; Boolean cannot represent a non boolean value: "true"', at(1, 7),
    ],
    [
      'mutation($d: ProductInput!) { createProduct(data: $d) { name } }', { d: 'x' },
      'Variable "$d" got invalid value "x"; Expected type "ProductInput" to be an object.', at(1, 10),
    ],
    [
      'mutation($d: ProductInput!) { createProduct(data: $d) { name } }', { d: { name: 'ok', nope: 1 } },
      'Variable "$d" got invalid value { name: "ok", nope: 1 }; Field "nope" is not defined by type "ProductInput". Did you mean "name"?', at(1, 10),
    ],
    [
      'mutation($d: ProductInput!) { createProduct(data: $d) { name } }', { d: { name: 'ok', stock: 'five' } },
      'Variable "$d" got invalid value "five" at "d.stock"; Int cannot represent non-integer value: "five"', at(1, 10),
    ],
    [
      'mutation($d: ProductInput!) { createProduct(data: $d) { name } }', { d: { name: 'ok', category: 'delta' } },
      'Variable "$d" got invalid value "delta" at "d.category"; Value "delta" does not exist in "ENUM_PRODUCT_CATEGORY" enum. Did you mean the enum value "beta"?',
      at(1, 10),
    ],
    [
      'mutation($t: Time) { createProduct(data: { name: "ok", openingTime: $t }) { name } }', { t: '10:00' },
      'Variable "$t" got invalid value "10:00"; Expected type "Time". Invalid time format, expected HH:mm:ss.SSS', at(1, 10),
    ],
    [
      'query($ids: [ID!]) { products(filters: { documentId: { in: $ids } }) { name } }', { ids: ['a', null] },
      'Variable "$ids" got invalid value null at "ids[1]"; Expected non-nullable type "ID!" not to be null.', at(1, 7),
    ],
  ];
  for (const [query, variables, message, locations] of cases) {
    test(`${JSON.stringify(variables)} -> ${message}`, async () => {
      expectRequestError(await q(query, { variables }), INPUT, message, locations);
    });
  }

  test('one error per bad variable', async () => {
    const res = await q('query($a: Int, $b: Int) { products(filters: { stock: { in: [$a, $b] } }) { name } }', { variables: { a: 'x', b: 'y' } });
    expectRequestErrors(res, [
      requestError(INPUT, 'Variable "$a" got invalid value "x"; Int cannot represent non-integer value: "x"', at(1, 7)),
      requestError(INPUT, 'Variable "$b" got invalid value "y"; Int cannot represent non-integer value: "y"', at(1, 16)),
    ]);
  });

  test('a bad variable in a mutation writes nothing', async () => {
    const name = uniq('badvar');
    const query = 'mutation($d: ProductInput!, $n: Int) { createProduct(data: $d) { name } x: updateProduct(documentId: "x", data: { stock: $n }) { name } }';
    const res = await q(query, { variables: { d: { name }, n: 'nope' } });
    expectRequestError(res, INPUT, 'Variable "$n" got invalid value "nope"; Int cannot represent non-integer value: "nope"', [locOf(query, '$n')]);
    const check = await ctx.server.get(`/api/products?filters[name][$eq]=${name}`, { token: ctx.full });
    assert.equal(check.json.meta.pagination.total, 0);
  });
});

// ---- operation resolution ----------------------------------------------------------------------

describe('operation resolution -> 400 OPERATION_RESOLUTION_FAILURE', () => {
  test('two operations without operationName -> the recorded body (no locations)', async () => {
    expectRequestError(await q('query A { __typename } query B { __typename }'), 'OPERATION_RESOLUTION_FAILURE', MULTIPLE_OPERATIONS_MESSAGE);
  });

  test('an unknown operationName -> "Unknown operation named \\"Nope\\"."', async () => {
    expectRequestError(await q('query A { __typename }', { operationName: 'Nope' }), 'OPERATION_RESOLUTION_FAILURE', 'Unknown operation named "Nope".');
  });

  test('only fragments, no operation -> 400', async () => {
    expectRequestFailure(await q('fragment F on Query { __typename }'), 400);
  });
});

// ---- bounds --------------------------------------------------------------------------------------

const aliases = (n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
/** `{ __typename }` padded with blanks to exactly `bytes` bytes. */
const padded = (bytes) => {
  const core = '{ __typename';
  return `${core}${' '.repeat(bytes - core.length - 1)}}`;
};

describe('bounds with the defaults (30 aliases, 65536 bytes)', () => {
  test('30 aliases run; 31 -> 400, a GraphQL error naming aliases', async () => {
    const res = await gql(ctx.server, aliases(30));
    const data = res.json?.data;
    assert.equal(res.status, 200, res.text);
    assert.equal(Object.keys(data).length, 30);
    expectRequestFailure(await gql(ctx.server, aliases(31)), 400, undefined, /alias/i);
  });

  test('a document of 65536 bytes runs; 65537 -> 400', async () => {
    expectData(await gql(ctx.server, padded(65536)), { __typename: 'Query' });
    expectRequestFailure(await gql(ctx.server, padded(65537)), 400);
  });

  test('the size is counted in bytes, not characters', async () => {
    const doc = `{ __typename } #${'é'.repeat(33000)}`; // 33016 characters, 66016 bytes
    assert.ok(doc.length < 65536 && Buffer.byteLength(doc) > 65536);
    expectRequestFailure(await gql(ctx.server, doc), 400);
  });

  test('a bounded document still needs valid credentials: bad token -> 401', async () => {
    const res = await gql(ctx.server, aliases(31), { token: 'nope' });
    assert.equal(res.status, 401, res.text);
  });
});

describe('bounds from the settings (GRAPHQL_MAX_DEPTH=1, GRAPHQL_MAX_ALIASES=2, GRAPHQL_MAX_DOCUMENT_BYTES=200)', () => {
  let small;

  before(async () => {
    small = await gqlSetup({ env: { GRAPHQL_MAX_DEPTH: '1', GRAPHQL_MAX_ALIASES: '2', GRAPHQL_MAX_DOCUMENT_BYTES: '200' } });
  });

  after(async () => {
    await small?.teardown();
  });

  test('depth: { products { name } } runs; products_connection { pageInfo { total } } -> 400 naming depth', async () => {
    expectData(await small.gql('{ products { name } }'), { products: [] });
    expectData(await small.gql('{ products_connection { __typename } }'), { products_connection: { __typename: 'ProductEntityResponseCollection' } });
    expectRequestFailure(await small.gql('{ products_connection { pageInfo { total } } }'), 400, undefined, /depth/i);
    expectRequestFailure(await small.gql('{ products_connection { nodes { name } } }'), 400, undefined, /depth/i);
  });

  test('depth counts through fragments and inline fragments', async () => {
    expectRequestFailure(
      await small.gql('{ products_connection { ...C } } fragment C on ProductEntityResponseCollection { pageInfo { total } }'),
      400, undefined, /depth/i,
    );
    expectRequestFailure(await small.gql('{ products_connection { ... on ProductEntityResponseCollection { pageInfo { total } } } }'), 400, undefined, /depth/i);
  });

  test('aliases: 2 run, 3 -> 400 naming aliases', async () => {
    expectData(await gql(small.server, aliases(2)), { a0: 'Query', a1: 'Query' });
    expectRequestFailure(await gql(small.server, aliases(3)), 400, undefined, /alias/i);
  });

  test('size: 200 bytes run, 201 -> 400', async () => {
    expectData(await gql(small.server, padded(200)), { __typename: 'Query' });
    expectRequestFailure(await gql(small.server, padded(201)), 400);
  });

  test('the same limits over GET', async () => {
    expectRequestFailure(await gql(small.server, aliases(3), { method: 'GET' }), 400, undefined, /alias/i);
    expectRequestFailure(await gql(small.server, padded(201), { method: 'GET' }), 400);
  });
});

// ---- abusive documents: answered, bounded, and the server keeps serving -----------------------

describe('abusive documents', () => {
  const alive = async () => expectData(await gql(ctx.server, '{ __typename }'), { __typename: 'Query' });

  test('20000 nested list brackets in an argument (40 kB) -> 400, no crash', async () => {
    const n = 20000;
    const res = await q(`{ products(sort: ${'['.repeat(n)}"name"${']'.repeat(n)}) { name } }`);
    expectRequestFailure(res, 400);
    await alive();
  });

  test('4000 nested input objects (a well-formed 36 kB filter) -> answered, no crash', async () => {
    const n = 4000;
    const res = await q(`{ products_connection(filters: ${'{ not: '.repeat(n)}{}${' }'.repeat(n)}) { pageInfo { total } } }`);
    assert.ok([200, 400].includes(res.status), res.text.slice(0, 500));
    assert.ok(res.json && typeof res.json === 'object', res.text.slice(0, 500));
    await alive();
  });

  test('the same document cut short (unterminated, 8000 levels) -> 400, no crash', async () => {
    const n = 20000;
    const res = await q(`{ products(filters: ${'{ not: '.repeat(n)}{}${' }'.repeat(n)}) { name } }`.slice(0, 65000));
    expectRequestFailure(res, 400);
    await alive();
  });

  test('nested not (within TOLLGATE_MAX_FILTER_DEPTH): an even count keeps the filter, an odd one negates it', async () => {
    const nots = (n) => `${'{ not: '.repeat(n)}{ name: { eq: "None such" } }${' }'.repeat(n)}`;
    const all = dataOf(await q('{ products_connection { pageInfo { total } } }')).products_connection.pageInfo.total;
    for (const n of [2, 4]) {
      expectData(await q(`{ products_connection(filters: ${nots(n)}) { pageInfo { total } } }`), { products_connection: { pageInfo: { total: 0 } } });
      expectData(await q(`{ products_connection(filters: ${nots(n + 1)}) { pageInfo { total } } }`), { products_connection: { pageInfo: { total: all } } });
    }
  });

  test('10000 nested selection sets -> 400, no crash', async () => {
    const n = 10000;
    const res = await q(`${'{ a '.repeat(n)}${'}'.repeat(n)}`);
    expectRequestFailure(res, 400);
    await alive();
  });

  test('fragments spreading the next one twice, 24 levels (2^24 paths, 1.4 kB) -> answered within 1 s', async () => {
    const levels = 24;
    let doc = 'query { ...F0 }';
    for (let i = 0; i < levels; i += 1) doc += ` fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`;
    doc += ` fragment F${levels} on Query { __typename }`;
    const started = Date.now();
    expectData(await q(doc), { __typename: 'Query' });
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  test('a long chain of fragments (2000) -> answered, no crash', async () => {
    const n = 2000;
    let doc = 'query { ...F0 }';
    for (let i = 0; i < n; i += 1) doc += ` fragment F${i} on Query { ...F${i + 1} }`;
    doc += ` fragment F${n} on Query { __typename }`;
    const res = await q(doc);
    assert.ok(res.status === 200 || res.status === 400, res.text.slice(0, 500));
    if (res.status === 200) expectData(res, { __typename: 'Query' });
    await alive();
  });

  test('1000 unused variables -> 400, graphql-js\'s cap: 100 errors and "Validation aborted."', async () => {
    const n = 1000;
    const defs = Array.from({ length: n }, (_, i) => `$v${i}: Int`).join(', ');
    const query = `query(${defs}) { __typename }`;
    const res = await q(query);
    expectRequestFailure(res, 400, INVALID);
    assert.equal(res.json.errors.length, 101);
    assert.deepEqual(res.json.errors[99], requestError(INVALID, 'Variable "$v99" is never used.', [locOf(query, '$v99:')]));
    assert.deepEqual(res.json.errors[100], requestError(INVALID, 'Too many validation errors, error limit reached. Validation aborted.'));
    await alive();
  });

  test('5000 variables (over 20000 tokens) -> 400, no crash', async () => {
    const defs = Array.from({ length: 5000 }, (_, i) => `$v${i}: Int`).join(', ');
    expectRequestFailure(await q(`query(${defs}) { __typename }`), 400);
    await alive();
  });
});
