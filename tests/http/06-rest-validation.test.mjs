// Validation errors of create and update bodies (strapi-content-api.md §4):
// body-level errors, one test per row of the attribute table, the
// multi-error ordering example, format errors, unique, partial updates.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ANY_DETAILS, NO_DETAILS, expectError, expectFieldError, expectStatus, setup, uniq,
} from './lib/harness.mjs';

let ctx;

before(async () => {
  ctx = await setup();
});

after(async () => {
  await ctx?.teardown();
});

const MISSING_DATA = 'Missing "data" payload in the request body';

const post = (body, extra = {}) => ctx.server.post('/api/products', { token: ctx.full, body, ...extra });
const postRaw = (rawBody, contentType) => ctx.server.post('/api/products', {
  token: ctx.full, rawBody, headers: contentType ? { 'content-type': contentType } : {},
});
const put = (documentId, body) => ctx.server.put(`/api/products/${documentId}`, { token: ctx.full, body });

async function productCount() {
  const res = await ctx.server.get('/api/products', { token: ctx.full });
  expectStatus(res, 200);
  return res.json.meta.pagination.total;
}

async function createProduct(data = {}) {
  const res = await post({ data: { name: uniq('P'), ...data } });
  expectStatus(res, 201);
  return res.json.data;
}

describe('body-level errors', () => {
  test('no body -> Missing "data" payload', async () => {
    expectError(await ctx.server.post('/api/products', { token: ctx.full }), 400, 'ValidationError', MISSING_DATA);
  });

  for (const [label, raw] of [
    ['{}', '{}'],
    ['{"title":"x"}', '{"title":"x"}'],
    ['{"data":null}', '{"data":null}'],
    ['{"data":"x"}', '{"data":"x"}'],
    ['{"data":5}', '{"data":5}'],
    ['a JSON array', '[{"data":{"name":"Array"}}]'],
    ['a JSON string', '"data"'],
  ]) {
    test(`${label} -> Missing "data" payload, details {}`, async () => {
      expectError(await postRaw(raw, 'application/json'), 400, 'ValidationError', MISSING_DATA);
    });
  }

  test('a text/plain body -> Missing "data" payload', async () => {
    expectError(await postRaw('{"data":{"name":"Plain"}}', 'text/plain'), 400, 'ValidationError', MISSING_DATA);
  });

  test('{"data":[]} -> "this must be a `object` type" with path []', async () => {
    const message = 'this must be a `object` type, but the final value was: `null` (cast from the value `[]`).';
    const err = expectError(await postRaw('{"data":[]}', 'application/json'), 400, 'ValidationError', message, ANY_DETAILS);
    assert.equal(err.details.errors.length, 1);
    assert.deepEqual(err.details.errors[0].path, []);
    assert.equal(err.details.errors[0].message, message);
    assert.equal(err.details.errors[0].name, 'ValidationError');
  });

  test('malformed JSON -> 400 SyntaxError "Unexpected end of JSON input" without details', async () => {
    expectError(await postRaw('{"data":', 'application/json'), 400, 'SyntaxError', 'Unexpected end of JSON input', NO_DETAILS);
  });

  for (const raw of ['{"data":}', '{data:{}}', "{'data':{}}", '{"data":{"name":"x",}}', 'nul', '{"data":{}} trailing']) {
    test(`malformed JSON ${raw} -> 400 SyntaxError without details`, async () => {
      expectError(await postRaw(raw, 'application/json'), 400, 'SyntaxError', /./, NO_DETAILS);
    });
  }

  test('a malformed body writes nothing', async () => {
    const before = await productCount();
    await postRaw('{"data":{"name":"Broken"', 'application/json');
    assert.equal(await productCount(), before);
  });

  test('unknown attributes -> "Invalid key foo" (the first unknown only)', async () => {
    expectError(await post({ data: { name: 'x', foo: 'bar', baz: 1 } }), 400, 'ValidationError', 'Invalid key foo',
      { key: 'foo', path: null, source: 'body' });
  });

  for (const key of ['id', 'documentId']) {
    test(`"${key}" in data -> "Invalid key ${key}", details without path`, async () => {
      expectError(await post({ data: { name: uniq('P'), [key]: key === 'id' ? 5 : 'abcdefghijklmnopqrstuvwx' } }),
        400, 'ValidationError', `Invalid key ${key}`, { key, source: 'body' });
    });
  }

  for (const key of ['createdAt', 'updatedAt']) {
    test(`"${key}" in data -> "Invalid key ${key}", path "${key}"`, async () => {
      expectError(await post({ data: { name: uniq('P'), [key]: '2024-01-01T00:00:00.000Z' } }),
        400, 'ValidationError', `Invalid key ${key}`, { key, path: key, source: 'body' });
    });
  }

  test('update: missing data and unknown keys are refused the same way', async () => {
    const p = await createProduct();
    expectError(await put(p.documentId, { name: 'x' }), 400, 'ValidationError', MISSING_DATA);
    expectError(await put(p.documentId, { data: { nope: 1 } }), 400, 'ValidationError', 'Invalid key nope',
      { key: 'nope', path: null, source: 'body' });
    expectError(await put(p.documentId, { data: { id: 1 } }), 400, 'ValidationError', 'Invalid key id',
      { key: 'id', source: 'body' });
  });
});

describe('attribute errors (one per row of the table)', () => {
  test('required, missing -> "name must be defined." without value', async () => {
    expectFieldError(await post({ data: { sku: 'ABC-1' } }), 'name', 'name must be defined.');
  });

  test('required, missing in an empty data object', async () => {
    expectFieldError(await post({ data: {} }), 'name', 'name must be defined.');
  });

  test('required, null -> string type error with value null', async () => {
    expectFieldError(await post({ data: { name: null } }), 'name',
      'name must be a `string` type, but the final value was: `null`.', null);
  });

  test('unique on create -> "This attribute must be unique"', async () => {
    const p = await createProduct();
    expectFieldError(await post({ data: { name: p.name } }), 'name', 'This attribute must be unique', p.name);
  });

  for (const value of ['W', '']) {
    test(`minLength: ${JSON.stringify(value)} -> "name must be at least 2 characters"`, async () => {
      expectFieldError(await post({ data: { name: value } }), 'name', 'name must be at least 2 characters', value);
    });
  }

  test('maxLength: 41 characters -> "name must be at most 40 characters"', async () => {
    const value = 'x'.repeat(41);
    expectFieldError(await post({ data: { name: value } }), 'name', 'name must be at most 40 characters', value);
  });

  test('exactly 2 and 40 characters are fine', async () => {
    expectStatus(await post({ data: { name: 'Ab' } }), 201);
    expectStatus(await post({ data: { name: uniq('L').padEnd(40, 'x') } }), 201);
  });

  test('enumeration -> oneOf message with the trailing ", "', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), category: 'delta' } }), 'category',
      'category must be one of the following values: alpha, beta, gamma, ', 'delta');
  });

  test('email -> "contact must be a valid email"', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), contact: 'not-an-email' } }), 'contact',
      'contact must be a valid email', 'not-an-email');
  });

  test('email empty -> "contact cannot be empty"', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), contact: '' } }), 'contact', 'contact cannot be empty', '');
  });

  test('regex -> sku must match the pattern', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), sku: 'abc-1' } }), 'sku',
      'sku must match the following: "/^[A-Z]{3}-[0-9]+$/"', 'abc-1');
  });

  test('uid charset -> slug must match the uid pattern', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), slug: 'has space' } }), 'slug',
      'slug must match the following: "/^[A-Za-z0-9-_.~]*$/"', 'has space');
  });

  test('uid duplicate -> "This attribute must be unique"', async () => {
    const slug = uniq('slug');
    await createProduct({ slug });
    expectFieldError(await post({ data: { name: uniq('P'), slug } }), 'slug', 'This attribute must be unique', slug);
  });

  test('min -> "stock must be greater than or equal to 0"', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), stock: -1 } }), 'stock',
      'stock must be greater than or equal to 0', -1);
  });

  test('max -> "stock must be less than or equal to 1000"', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), stock: 1001 } }), 'stock',
      'stock must be less than or equal to 1000', 1001);
  });

  test('the bounds themselves (0 and 1000) are fine', async () => {
    expectStatus(await post({ data: { name: uniq('P'), stock: 0 } }), 201);
    expectStatus(await post({ data: { name: uniq('P'), stock: 1000 } }), 201);
  });

  test('integer not whole -> "stock must be an integer"', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), stock: 1.5 } }), 'stock', 'stock must be an integer', 1.5);
  });

  test('number not numeric -> NaN message with value null', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), stock: 'abc' } }), 'stock',
      'stock must be a `number` type, but the final value was: `NaN` (cast from the value `"abc"`).', null);
  });

  for (const value of [1.5, 'abc', true]) {
    test(`biginteger ${JSON.stringify(value)} -> "bigValue must be a valid integer"`, async () => {
      expectFieldError(await post({ data: { name: uniq('P'), bigValue: value } }), 'bigValue',
        'bigValue must be a valid integer', value);
    });
  }

  test('boolean "abc" -> boolean type error', async () => {
    expectFieldError(await post({ data: { name: uniq('P'), active: 'abc' } }), 'active',
      'active must be a `boolean` type, but the final value was: `"abc"`.', 'abc');
  });

  test('string given a number -> string type error', async () => {
    expectFieldError(await post({ data: { name: 12345 } }), 'name',
      'name must be a `string` type, but the final value was: `12345`.', 12345);
  });

  test('a failed create writes nothing', async () => {
    const before = await productCount();
    await post({ data: { name: uniq('P'), stock: 1001 } });
    assert.equal(await productCount(), before);
  });
});

describe('several errors', () => {
  test('the spec example: 3 errors in schema order (name, contact, stock)', async () => {
    const res = await post({ data: { name: 'W', stock: 1001, contact: 'x' } });
    expectStatus(res, 400);
    assert.deepEqual(res.json, {
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: '3 errors occurred',
        details: {
          errors: [
            { path: ['name'], message: 'name must be at least 2 characters', name: 'ValidationError', value: 'W' },
            { path: ['contact'], message: 'contact must be a valid email', name: 'ValidationError', value: 'x' },
            { path: ['stock'], message: 'stock must be less than or equal to 1000', name: 'ValidationError', value: 1001 },
          ],
        },
      },
    });
  });

  test('body order does not matter: errors follow the schema', async () => {
    const res = await post({ data: { stock: 1001, active: 'abc', category: 'delta', sku: 'bad' } });
    expectError(res, 400, 'ValidationError', '5 errors occurred', {
      errors: [
        { path: ['name'], message: 'name must be defined.', name: 'ValidationError' },
        { path: ['sku'], message: 'sku must match the following: "/^[A-Z]{3}-[0-9]+$/"', name: 'ValidationError', value: 'bad' },
        { path: ['category'], message: 'category must be one of the following values: alpha, beta, gamma, ', name: 'ValidationError', value: 'delta' },
        { path: ['stock'], message: 'stock must be less than or equal to 1000', name: 'ValidationError', value: 1001 },
        { path: ['active'], message: 'active must be a `boolean` type, but the final value was: `"abc"`.', name: 'ValidationError', value: 'abc' },
      ],
    });
  });
});

describe('format errors of date, time and datetime (details {})', () => {
  test('date 2024-13-45 -> "Invalid format, expected yyyy-MM-dd"', async () => {
    expectError(await post({ data: { name: uniq('P'), releaseDate: '2024-13-45' } }), 400, 'ValidationError',
      'Invalid format, expected yyyy-MM-dd');
  });

  for (const value of ['09:30', '9:30:00', '25:00:00', 'abc']) {
    test(`time ${value} -> "Invalid time format, expected HH:mm:ss.SSS"`, async () => {
      expectError(await post({ data: { name: uniq('P'), openingTime: value } }), 400, 'ValidationError',
        'Invalid time format, expected HH:mm:ss.SSS');
    });
  }

  test('datetime "yesterday" -> "Invalid format, expected a timestamp or an ISO date"', async () => {
    expectError(await post({ data: { name: uniq('P'), launchAt: 'yesterday' } }), 400, 'ValidationError',
      'Invalid format, expected a timestamp or an ISO date');
  });
});

describe('update', () => {
  test('partial: required attributes are not re-checked when not given', async () => {
    const p = await createProduct({ stock: 1 });
    const res = await put(p.documentId, { data: { stock: 7 } });
    expectStatus(res, 200);
    assert.equal(res.json.data.stock, 7);
    assert.equal(res.json.data.name, p.name);
  });

  test('a required attribute given as null -> string type error', async () => {
    const p = await createProduct();
    expectFieldError(await put(p.documentId, { data: { name: null } }), 'name',
      'name must be a `string` type, but the final value was: `null`.', null);
  });

  test('constraints apply to given attributes', async () => {
    const p = await createProduct();
    expectFieldError(await put(p.documentId, { data: { stock: -1 } }), 'stock', 'stock must be greater than or equal to 0', -1);
    expectFieldError(await put(p.documentId, { data: { name: 'W' } }), 'name', 'name must be at least 2 characters', 'W');
  });

  test('unique: another row\'s value is refused; the row\'s own value is fine', async () => {
    const a = await createProduct({ slug: uniq('a-slug') });
    const b = await createProduct({ slug: uniq('b-slug') });
    expectFieldError(await put(b.documentId, { data: { name: a.name } }), 'name', 'This attribute must be unique', a.name);
    expectFieldError(await put(b.documentId, { data: { slug: a.slug } }), 'slug', 'This attribute must be unique', a.slug);
    const own = await put(a.documentId, { data: { name: a.name, slug: a.slug } });
    expectStatus(own, 200);
    assert.equal(own.json.data.name, a.name);
  });

  test('a failed update writes nothing', async () => {
    const p = await createProduct({ stock: 3 });
    await put(p.documentId, { data: { stock: 4, name: 'W' } });
    const now = await ctx.server.get(`/api/products/${p.documentId}`, { token: ctx.full });
    assert.equal(now.json.data.stock, 3);
  });

  test('unique is freed when the row is deleted', async () => {
    const p = await createProduct();
    expectStatus(await ctx.server.del(`/api/products/${p.documentId}`, { token: ctx.full }), 204);
    expectStatus(await post({ data: { name: p.name } }), 201);
  });
});
