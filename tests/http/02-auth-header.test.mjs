// Parsing of the Authorization header on /api (transcript §8,
// strapi-api-tokens.md §6.2): "<scheme> <token>" split on runs of whitespace,
// scheme "bearer" in any case, exactly two parts. An ignored header means the
// public role (403); a well-formed bearer with an unknown token is 401.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  expectForbidden, expectNotFound, expectStatus, expectUnauthorized, setup,
} from './lib/harness.mjs';

let ctx;
let key; // a read-only token's key

before(async () => {
  ctx = await setup();
  key = ctx.project.token({ type: 'read-only' }).accessKey;
  const res = await ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title: 'header probe' } } });
  expectStatus(res, 201);
});

after(async () => {
  await ctx?.teardown();
});

const find = (authorization) => ctx.server.get('/api/articles', { headers: { authorization } });

function expectList(res) {
  expectStatus(res, 200);
  assert.ok(Array.isArray(res.json.data));
  assert.equal(res.json.data[0].title, 'header probe');
}

describe('accepted forms', () => {
  test('"Bearer <key>" -> 200', async () => {
    expectList(await find(`Bearer ${key}`));
  });

  test('lowercase "bearer <key>" -> 200', async () => {
    expectList(await find(`bearer ${key}`));
  });

  test('uppercase "BEARER <key>" -> 200', async () => {
    expectList(await find(`BEARER ${key}`));
  });

  test('mixed case "bEaReR <key>" -> 200', async () => {
    expectList(await find(`bEaReR ${key}`));
  });

  test('several spaces between scheme and key -> 200', async () => {
    expectList(await find(`Bearer    ${key}`));
  });

  test('a tab between scheme and key -> 200', async () => {
    expectList(await find(`Bearer\t${key}`));
  });
});

describe('ignored headers fall back to the public role (403)', () => {
  test('no Authorization header -> 403', async () => {
    expectForbidden(await ctx.server.get('/api/articles'));
  });

  test('bare key without a scheme -> 403', async () => {
    expectForbidden(await find(key));
  });

  test('"Basic <key>" -> 403', async () => {
    expectForbidden(await find(`Basic ${key}`));
  });

  test('"Token <key>" -> 403', async () => {
    expectForbidden(await find(`Token ${key}`));
  });

  test('"Bearer <key> extra" (three parts) -> 403', async () => {
    expectForbidden(await find(`Bearer ${key} extra`));
  });

  test('"Bearer " with an empty token -> 403', async () => {
    expectForbidden(await find('Bearer '));
  });

  test('"Bearer<key>" without a separator -> 403', async () => {
    expectForbidden(await find(`Bearer${key}`));
  });

  test('no header on a write route -> 403', async () => {
    expectForbidden(await ctx.server.post('/api/articles', { body: { data: { title: 'x' } } }));
  });

  test('"Basic <key>" on a write route -> 403', async () => {
    expectForbidden(await ctx.server.post('/api/articles', {
      headers: { authorization: `Basic ${key}` }, body: { data: { title: 'x' } },
    }));
  });
});

describe('well-formed bearer with an unknown token (401)', () => {
  test('"Bearer not-a-real-token" -> 401 Missing or invalid credentials', async () => {
    expectUnauthorized(await find('Bearer not-a-real-token'));
  });

  test('a JWT-looking value -> 401', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6MSwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlc2lnbmF0dXJl';
    expectUnauthorized(await find(`Bearer ${jwt}`));
  });

  test('the key in upper case -> 401 (keys are case-sensitive)', async () => {
    expectUnauthorized(await find(`Bearer ${key.toUpperCase()}`));
  });

  test('the key with one extra character -> 401', async () => {
    expectUnauthorized(await find(`Bearer ${key}0`));
  });

  test('the key missing its last character -> 401', async () => {
    expectUnauthorized(await find(`Bearer ${key.slice(0, -1)}`));
  });

  test('a 10 kB token -> 401, and the server keeps serving', async () => {
    expectUnauthorized(await find(`Bearer ${'a'.repeat(10 * 1024)}`));
    expectUnauthorized(await find(`Bearer ${key}${'0'.repeat(10 * 1024)}`));
    expectList(await find(`Bearer ${key}`));
  });

  test('unknown token on a write route -> 401', async () => {
    expectUnauthorized(await ctx.server.post('/api/articles', { token: 'nope', body: { data: { title: 'x' } } }));
  });

  test('unknown token on an unknown route -> 404 (no route, no authentication)', async () => {
    expectNotFound(await ctx.server.get('/api/nope', { token: 'nope' }));
  });
});
