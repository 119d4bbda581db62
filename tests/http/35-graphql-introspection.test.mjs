// GraphQL introspection (strapi-graphql.md §1, §3): on in development, off in
// production with Apollo's INTROSPECTION_DISABLED error, GRAPHQL_INTROSPECTION
// overriding either way. The standard introspection query, as graphql-js's
// getIntrospectionQuery() writes it for GraphiQL, graphql-request and codegen
// tools, must answer a complete schema: graphql-js's buildClientSchema()
// accepts it, the content-API types print exactly as the spec's SDL, and the
// spec's example documents validate against it. graphql (16, graphql-request's
// peer dependency, in package-lock.json) is the reference implementation here.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectError } from './lib/harness.mjs';
import {
  ENDPOINT, INTROSPECTION_MESSAGE, dataOf, expectData, expectRequestErrors, gql, gqlSetup, locOf, show,
} from './lib/graphql.mjs';

let graphql;
let GraphQLClient;
try {
  graphql = await import('graphql');
  ({ GraphQLClient } = await import('graphql-request'));
} catch (err) {
  throw new Error('graphql / graphql-request are not installed: run `npm ci` in tests/http', { cause: err });
}
const { astFromValue, buildClientSchema, buildSchema, getIntrospectionQuery, parse, print, printType, validate } = graphql;

// ---- the spec's SDL (strapi-graphql.md §3), descriptions left out --------------------------------

const scalarFilter = (T) => `input ${T}FilterInput {
  and: [${T}] or: [${T}] not: ${T}FilterInput
  eq: ${T} eqi: ${T} ne: ${T} nei: ${T}
  startsWith: ${T} endsWith: ${T}
  contains: ${T} notContains: ${T} containsi: ${T} notContainsi: ${T}
  gt: ${T} gte: ${T} lt: ${T} lte: ${T}
  null: Boolean notNull: Boolean
  in: [${T}] notIn: [${T}] between: [${T}]
}`;
const STATUS_ARGS = 'status: PublicationStatus = PUBLISHED, hasPublishedVersion: Boolean, publicationFilter: PublicationFilter';
const LIST_ARGS = (N) => `filters: ${N}FiltersInput, pagination: PaginationArg = {}, sort: [String] = [], ${STATUS_ARGS}`;
const collectionQueries = (s, p, N) => `
  ${s}(documentId: ID!, ${STATUS_ARGS}): ${N}
  ${p}_connection(${LIST_ARGS(N)}): ${N}EntityResponseCollection
  ${p}(${LIST_ARGS(N)}): [${N}]!`;
const collectionMutations = (N) => `
  create${N}(status: PublicationStatus = PUBLISHED, data: ${N}Input!): ${N}
  update${N}(documentId: ID!, status: PublicationStatus = PUBLISHED, data: ${N}Input!): ${N}
  delete${N}(documentId: ID!): DeleteMutationResponse`;

const FILTER_SCALARS = ['String', 'ID', 'Boolean', 'Int', 'Long', 'Float', 'Date', 'Time', 'DateTime', 'JSON'];

const SPEC_SDL = `
scalar JSON
scalar DateTime
scalar Date
scalar Time
scalar Long
type Product {
  documentId: ID! name: String! sku: String description: String content: String contact: String slug: String
  category: ENUM_PRODUCT_CATEGORY stock: Int bigValue: Long price: Float amount: Float active: Boolean
  releaseDate: Date openingTime: Time launchAt: DateTime meta: JSON
  createdAt: DateTime updatedAt: DateTime publishedAt: DateTime
}
enum ENUM_PRODUCT_CATEGORY { alpha beta gamma }
type ProductEntityResponseCollection { nodes: [Product!]! pageInfo: Pagination! }
type ArticleEntityResponseCollection { nodes: [Article!]! pageInfo: Pagination! }
type PostEntityResponseCollection { nodes: [Post!]! pageInfo: Pagination! }
type Pagination { total: Int! page: Int! pageSize: Int! pageCount: Int! }
type DeleteMutationResponse { documentId: ID! }
input PaginationArg { page: Int pageSize: Int start: Int limit: Int }
enum PublicationStatus { DRAFT PUBLISHED }
enum PublicationFilter { NEVER_PUBLISHED HAS_PUBLISHED_VERSION MODIFIED UNMODIFIED NEVER_PUBLISHED_DOCUMENT
  HAS_PUBLISHED_VERSION_DOCUMENT PUBLISHED_WITHOUT_DRAFT PUBLISHED_WITH_DRAFT }
input ProductInput {
  name: String sku: String description: String content: String contact: String slug: String
  category: ENUM_PRODUCT_CATEGORY stock: Int bigValue: Long price: Float amount: Float active: Boolean
  releaseDate: Date openingTime: Time launchAt: DateTime meta: JSON secretNote: String
  publishedAt: DateTime locale: String
}
input ProductFiltersInput {
  documentId: IDFilterInput
  name: StringFilterInput sku: StringFilterInput description: StringFilterInput content: StringFilterInput
  contact: StringFilterInput slug: StringFilterInput category: StringFilterInput
  stock: IntFilterInput bigValue: LongFilterInput price: FloatFilterInput amount: FloatFilterInput
  active: BooleanFilterInput releaseDate: DateFilterInput openingTime: TimeFilterInput
  launchAt: DateTimeFilterInput meta: JSONFilterInput
  createdAt: DateTimeFilterInput updatedAt: DateTimeFilterInput publishedAt: DateTimeFilterInput
  and: [ProductFiltersInput] or: [ProductFiltersInput] not: ProductFiltersInput
}
${FILTER_SCALARS.map(scalarFilter).join('\n')}
type Article { documentId: ID! title: String body: String views: Int published: Boolean
  createdAt: DateTime updatedAt: DateTime publishedAt: DateTime }
input ArticleInput { title: String body: String views: Int published: Boolean publishedAt: DateTime locale: String }
input ArticleFiltersInput { documentId: IDFilterInput title: StringFilterInput body: StringFilterInput
  views: IntFilterInput published: BooleanFilterInput createdAt: DateTimeFilterInput updatedAt: DateTimeFilterInput
  publishedAt: DateTimeFilterInput and: [ArticleFiltersInput] or: [ArticleFiltersInput] not: ArticleFiltersInput }
type Post { documentId: ID! title: String! rating: Int createdAt: DateTime updatedAt: DateTime publishedAt: DateTime }
input PostInput { title: String rating: Int publishedAt: DateTime locale: String }
input PostFiltersInput { documentId: IDFilterInput title: StringFilterInput rating: IntFilterInput
  createdAt: DateTimeFilterInput updatedAt: DateTimeFilterInput
  publishedAt: DateTimeFilterInput and: [PostFiltersInput] or: [PostFiltersInput] not: PostFiltersInput }
type Homepage { documentId: ID! heading: String! tagline: String featured: Int
  createdAt: DateTime updatedAt: DateTime publishedAt: DateTime }
input HomepageInput { heading: String tagline: String featured: Int publishedAt: DateTime locale: String }
type Query {
  ${collectionQueries('article', 'articles', 'Article')}
  homepage(${STATUS_ARGS}): Homepage
  ${collectionQueries('post', 'posts', 'Post')}
  ${collectionQueries('product', 'products', 'Product')}
}
type Mutation {
  ${collectionMutations('Article')}
  updateHomepage(status: PublicationStatus = PUBLISHED, data: HomepageInput!): Homepage
  deleteHomepage: DeleteMutationResponse
  ${collectionMutations('Post')}
  ${collectionMutations('Product')}
}
`;
const spec = buildSchema(SPEC_SDL);

/** One line per field: name(args with defaults): type. */
function fieldSig(field) {
  const args = field.args.map((a) => {
    const dflt = a.defaultValue === undefined ? '' : ` = ${print(astFromValue(a.defaultValue, a.type))}`;
    return `${a.name}: ${a.type}${dflt}`;
  });
  return `${field.name}${args.length ? `(${args.join(', ')})` : ''}: ${field.type}`;
}

// The spec's example documents (§5, §6), which a codegen tool would validate.
const SPEC_DOCUMENTS = [
  '{ products(filters: { stock: { gte: 10 } }, sort: ["stock:desc"], pagination: { page: 1, pageSize: 2 }) { documentId name stock bigValue amount releaseDate openingTime launchAt meta category active } }',
  '{ products_connection(pagination: { page: 1, pageSize: 2 }, sort: "name") { nodes { name } pageInfo { total page pageSize pageCount } } }',
  'fragment P on Product { name stock } query Q { cheap: products(filters: { price: { lt: 2 } }, sort: "price") { ...P } pricey: products(filters: { price: { gte: 2 } }, sort: "price") { ...P price } }',
  'mutation($d: ProductInput!) { createProduct(data: $d) { documentId name bigValue publishedAt } }',
  '{ posts(status: DRAFT) { documentId title publishedAt } homepage { heading } }',
  'mutation { updateHomepage(data: { heading: "h" }) { documentId } deleteHomepage { documentId } deleteProduct(documentId: "x") { documentId } }',
];

const TYPENAME = '{ __typename }';
const SCHEMA_QUERY = '{ __schema { queryType { name } } }';
const disabled = (locations) => ({
  message: INTROSPECTION_MESSAGE,
  locations,
  extensions: { validationErrorCode: 'INTROSPECTION_DISABLED', code: 'GRAPHQL_VALIDATION_FAILED' },
});

// ---- development: on ------------------------------------------------------------------------------

describe('development (introspection on by default)', () => {
  let ctx;
  let raw;      // the __schema of the standard query (descriptions off)
  let client;   // buildClientSchema(raw)

  before(async () => {
    ctx = await gqlSetup({ env: { NODE_ENV: 'development' } });
  });

  after(async () => {
    await ctx?.teardown();
  });

  test('the standard introspection query (getIntrospectionQuery(), operationName IntrospectionQuery) -> 200, a schema buildClientSchema accepts', async () => {
    const res = await gql(ctx.server, getIntrospectionQuery({ descriptions: false }), { operationName: 'IntrospectionQuery' });
    const data = dataOf(res);
    raw = data.__schema;
    client = buildClientSchema(data);
    assert.equal(client.getQueryType()?.name, 'Query');
    assert.equal(client.getMutationType()?.name, 'Mutation');
  });

  test('the same without a token, over GET, and with the full-access token', async () => {
    const query = getIntrospectionQuery();
    buildClientSchema(dataOf(await gql(ctx.server, query, { token: ctx.full })));
    buildClientSchema(dataOf(await gql(ctx.server, query, { method: 'GET' })));
  });

  test('as GraphiQL sends it (all options on, its Accept header) -> 200, buildClientSchema accepts it', async () => {
    const query = getIntrospectionQuery({
      descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true,
    });
    const res = await ctx.server.api('POST', ENDPOINT, {
      body: { query, operationName: 'IntrospectionQuery' },
      headers: { accept: 'application/graphql-response+json, application/json, multipart/mixed' },
    });
    assert.equal(res.status, 200, show(res));
    const body = JSON.parse(res.text);
    assert.deepEqual(Object.keys(body), ['data'], show(res));
    const schema = buildClientSchema(body.data);
    assert.equal(schema.getType('Time')?.description, 'A time string with format HH:mm:ss.SSS');
  });

  test('as graphql-request sends it (GraphQLClient.request) -> the schema', async () => {
    const data = await new GraphQLClient(`${ctx.server.baseUrl}${ENDPOINT}`).request(getIntrospectionQuery());
    assert.equal(buildClientSchema(data).getQueryType().name, 'Query');
  });

  test('every content-API type prints exactly as the spec\'s SDL', () => {
    assert.ok(client, 'the standard introspection query failed');
    const names = Object.keys(spec.getTypeMap()).filter((n) => !n.startsWith('__') && !['Query', 'Mutation', 'String', 'Int', 'Float', 'Boolean', 'ID'].includes(n));
    const mismatches = [];
    for (const name of names) {
      const got = client.getType(name);
      if (!got) mismatches.push(`missing type ${name}`);
      else if (printType(got) !== printType(spec.getType(name))) mismatches.push(`${printType(got)}\n  expected\n${printType(spec.getType(name))}`);
    }
    assert.deepEqual(mismatches, []);
  });

  test('Query: the content-API fields, their arguments and defaults, in the spec\'s order', () => {
    assert.ok(client, 'the standard introspection query failed');
    const expected = Object.values(spec.getQueryType().getFields()).map(fieldSig);
    const wanted = new Set(Object.keys(spec.getQueryType().getFields()));
    const got = Object.values(client.getQueryType().getFields()).filter((f) => wanted.has(f.name)).map(fieldSig);
    assert.deepEqual(got, expected);
  });

  test('Mutation: the content-API fields, their arguments and defaults, in the spec\'s order', () => {
    assert.ok(client, 'the standard introspection query failed');
    const expected = Object.values(spec.getMutationType().getFields()).map(fieldSig);
    const wanted = new Set(Object.keys(spec.getMutationType().getFields()));
    const got = Object.values(client.getMutationType().getFields()).filter((f) => wanted.has(f.name)).map(fieldSig);
    assert.deepEqual(got, expected);
  });

  test('default values as introspection text: pagination "{}", sort "[]", status "PUBLISHED"', () => {
    assert.ok(raw, 'the standard introspection query failed');
    const query = raw.types.find((t) => t.name === 'Query');
    const args = query.fields.find((f) => f.name === 'articles').args.map((a) => [a.name, a.defaultValue]);
    assert.deepEqual(args, [
      ['filters', null], ['pagination', '{}'], ['sort', '[]'], ['status', 'PUBLISHED'],
      ['hasPublishedVersion', null], ['publicationFilter', null],
    ]);
  });

  test('single types get no FiltersInput and no _connection; no id field anywhere', () => {
    assert.ok(client, 'the standard introspection query failed');
    assert.equal(client.getType('HomepageFiltersInput'), undefined);
    assert.equal(client.getType('HomepageEntityResponseCollection'), undefined);
    assert.equal(client.getQueryType().getFields().homepages_connection, undefined);
    assert.equal(client.getQueryType().getFields().homepages, undefined);
    assert.equal(client.getMutationType().getFields().createHomepage, undefined);
    for (const name of ['Article', 'Product', 'Post', 'Homepage']) assert.equal(client.getType(name).getFields().id, undefined);
  });

  test('the spec\'s example documents validate against the introspected schema', () => {
    assert.ok(client, 'the standard introspection query failed');
    for (const doc of SPEC_DOCUMENTS) assert.deepEqual(validate(client, parse(doc)).map((e) => e.message), [], doc);
  });

  test('__type(name: "Article") -> its fields, as the SDL says', async () => {
    const res = await gql(ctx.server, `{ __type(name: "Article") { kind name
      fields { name args { name } type { kind name ofType { kind name } } isDeprecated deprecationReason }
      inputFields { name } interfaces { name } enumValues { name } possibleTypes { name } } }`);
    const scalar = (name) => ({ kind: 'SCALAR', name, ofType: null });
    const field = (name, type) => ({ name, args: [], type, isDeprecated: false, deprecationReason: null });
    expectData(res, {
      __type: {
        kind: 'OBJECT',
        name: 'Article',
        fields: [
          field('documentId', { kind: 'NON_NULL', name: null, ofType: { kind: 'SCALAR', name: 'ID' } }),
          field('title', scalar('String')),
          field('body', scalar('String')),
          field('views', scalar('Int')),
          field('published', scalar('Boolean')),
          field('createdAt', scalar('DateTime')),
          field('updatedAt', scalar('DateTime')),
          field('publishedAt', scalar('DateTime')),
        ],
        inputFields: null,
        interfaces: [],
        enumValues: null,
        possibleTypes: null,
      },
    });
  });

  test('__type of an enum, an input object, a scalar and an unknown name', async () => {
    const res = await gql(ctx.server, `{
      e: __type(name: "ENUM_PRODUCT_CATEGORY") { kind enumValues { name isDeprecated } fields { name } }
      i: __type(name: "PaginationArg") { kind inputFields { name defaultValue type { kind name } } }
      s: __type(name: "Time") { kind name description }
      n: __type(name: "Nope") { name }
    }`);
    expectData(res, {
      e: { kind: 'ENUM', enumValues: ['alpha', 'beta', 'gamma'].map((name) => ({ name, isDeprecated: false })), fields: null },
      i: {
        kind: 'INPUT_OBJECT',
        inputFields: ['page', 'pageSize', 'start', 'limit'].map((name) => ({ name, defaultValue: null, type: { kind: 'SCALAR', name: 'Int' } })),
      },
      s: { kind: 'SCALAR', name: 'Time', description: 'A time string with format HH:mm:ss.SSS' },
      n: null,
    });
  });

  test('__schema: root types and the @include/@skip directives', async () => {
    const data = dataOf(await gql(ctx.server, `{ __schema { __typename queryType { name } mutationType { name }
      directives { name locations args { name type { kind ofType { name } } } } } }`));
    const s = data.__schema;
    assert.equal(s.__typename, '__Schema');
    assert.deepEqual(s.queryType, { name: 'Query' });
    assert.deepEqual(s.mutationType, { name: 'Mutation' });
    for (const name of ['include', 'skip']) {
      const d = s.directives.find((x) => x.name === name);
      assert.ok(d, `no @${name}`);
      assert.deepEqual(d.locations, ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT']);
      assert.deepEqual(d.args, [{ name: 'if', type: { kind: 'NON_NULL', ofType: { name: 'Boolean' } } }]);
    }
    assert.ok(s.directives.some((x) => x.name === 'deprecated'), 'no @deprecated');
  });

  test('introspection fields mix with content fields', async () => {
    const data = dataOf(await ctx.gql('{ products { __typename } t: __type(name: "Pagination") { fields { name } } }'));
    assert.deepEqual(data, { products: [], t: { fields: ['total', 'page', 'pageSize', 'pageCount'].map((name) => ({ name })) } });
  });
});

// ---- production: off ---------------------------------------------------------------------------------

describe('production (introspection off by default)', () => {
  let ctx;

  before(async () => {
    ctx = await gqlSetup();
  });

  after(async () => {
    await ctx?.teardown();
  });

  test('{ __schema {...} } -> 400, the recorded INTROSPECTION_DISABLED body', async () => {
    expectRequestErrors(await gql(ctx.server, SCHEMA_QUERY), [disabled([{ line: 1, column: 3 }])]);
  });

  test('{ __type(name: "Article") {...} } -> 400 INTROSPECTION_DISABLED, also with a token', async () => {
    expectRequestErrors(await gql(ctx.server, '{ __type(name: "Article") { name } }'), [disabled([{ line: 1, column: 3 }])]);
    expectRequestErrors(await ctx.gql('{ __type(name: "Article") { name } }'), [disabled([{ line: 1, column: 3 }])]);
  });

  test('the standard introspection query -> 400, located at __schema', async () => {
    const query = getIntrospectionQuery();
    expectRequestErrors(await gql(ctx.server, query, { operationName: 'IntrospectionQuery' }), [disabled([locOf(query, '__schema')])]);
  });

  test('over GET too', async () => {
    expectRequestErrors(await gql(ctx.server, SCHEMA_QUERY, { method: 'GET' }), [disabled([{ line: 1, column: 3 }])]);
  });

  test('one error per introspection field', async () => {
    const query = '{ __schema { queryType { name } } t: __type(name: "Query") { name } }';
    expectRequestErrors(await gql(ctx.server, query), [disabled([locOf(query, '__schema')]), disabled([locOf(query, 't:')])]);
  });

  test('__typename always works: {"data":{"__typename":"Query"}}', async () => {
    expectData(await gql(ctx.server, TYPENAME), { __typename: 'Query' });
    expectData(await ctx.gql('{ products { __typename } }'), { products: [] });
  });

  test('a bad token is still 401 first', async () => {
    expectError(await gql(ctx.server, SCHEMA_QUERY, { token: 'nope' }), 401, 'UnauthorizedError', 'Missing or invalid credentials');
  });
});

describe('GRAPHQL_INTROSPECTION overrides NODE_ENV', () => {
  test('production + GRAPHQL_INTROSPECTION=true -> the standard query works', async () => {
    const ctx = await gqlSetup({ env: { GRAPHQL_INTROSPECTION: 'true' } });
    try {
      buildClientSchema(dataOf(await gql(ctx.server, getIntrospectionQuery())));
    } finally {
      await ctx.teardown();
    }
  });

  test('development + GRAPHQL_INTROSPECTION=false -> 400 INTROSPECTION_DISABLED', async () => {
    const ctx = await gqlSetup({ env: { NODE_ENV: 'development', GRAPHQL_INTROSPECTION: 'false' } });
    try {
      expectRequestErrors(await gql(ctx.server, SCHEMA_QUERY), [disabled([{ line: 1, column: 3 }])]);
      expectData(await gql(ctx.server, TYPENAME), { __typename: 'Query' });
    } finally {
      await ctx.teardown();
    }
  });
});
