// What the seed asks beyond Strapi's API: a token's duration can be edited
// (renewing it from that moment), and a custom token may hold no permission.
// Also: paths outside /api are 404 in the envelope.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DAY_MS, ISO_DATETIME, expectError, setup, uniq } from './lib/harness.mjs';

let ctx;

before(async () => {
  ctx = await setup();
});

after(async () => {
  await ctx?.teardown();
});

function near(iso, expectedMs, what) {
  assert.match(iso, ISO_DATETIME, what);
  const d = Math.abs(Date.parse(iso) - expectedMs);
  assert.ok(d <= 5000, `${what}: ${iso} is ${d} ms from ${new Date(expectedMs).toISOString()}`);
}

describe('editing a token duration', () => {
  test('update --lifespan renews the token from now', () => {
    const t = ctx.project.token({ name: uniq('dur'), lifespan: '7d' });
    assert.equal(t.lifespan, '604800000');
    const u = ctx.project.cli(['token', 'update', String(t.id), '--lifespan', '90d']);
    assert.equal(u.lifespan, '7776000000');
    near(u.expiresAt, Date.now() + 90 * DAY_MS, 'expiresAt after update');
    const shown = ctx.project.cli(['token', 'show', String(t.id)]);
    assert.equal(shown.expiresAt, u.expiresAt);
  });

  test('update --lifespan unlimited clears the expiry', () => {
    const t = ctx.project.token({ name: uniq('dur'), lifespan: '30d' });
    const u = ctx.project.cli(['token', 'update', String(t.id), '--lifespan', 'unlimited']);
    assert.equal(u.lifespan, null);
    assert.equal(u.expiresAt, null);
  });

  test('renewing an expired token makes it work again; the key is unchanged', async () => {
    const t = ctx.project.token({ name: uniq('dur'), type: 'read-only', lifespan: '7d' });
    ctx.project.sql(`UPDATE strapi_api_tokens SET expires_at = ${Date.now() - 60_000} WHERE id = ${t.id}`);
    expectError(await ctx.server.api('GET', '/api/articles', { token: t.accessKey }),
      401, 'UnauthorizedError', 'Token expired');
    ctx.project.cli(['token', 'update', String(t.id), '--lifespan', '7d']);
    const res = await ctx.server.api('GET', '/api/articles', { token: t.accessKey });
    assert.equal(res.status, 200, res.text);
  });
});

describe('custom token without permissions', () => {
  test('--permissions "" creates one; it may call nothing', async () => {
    const t = ctx.project.cli(['token', 'create', '--name', uniq('empty'), '--type', 'custom',
      '--permissions', '']);
    assert.equal(t.type, 'custom');
    assert.deepEqual(t.permissions, []);
    expectError(await ctx.server.api('GET', '/api/articles', { token: t.accessKey }),
      403, 'ForbiddenError', 'Forbidden');
  });

  test('--permissions takes a comma-separated list', async () => {
    const t = ctx.project.cli(['token', 'create', '--name', uniq('list'), '--type', 'custom',
      '--permissions', 'api::article.article.find,api::article.article.findOne']);
    assert.deepEqual([...t.permissions].sort(),
      ['api::article.article.find', 'api::article.article.findOne']);
    assert.equal((await ctx.server.api('GET', '/api/articles', { token: t.accessKey })).status, 200);
  });
});

describe('paths outside /api', () => {
  for (const p of ['/', '/nope', '/api', '/apix/articles', '/content-manager']) {
    test(`GET ${p} -> 404 envelope`, async () => {
      expectError(await ctx.server.api('GET', p, { token: ctx.full }), 404, 'NotFoundError', 'Not Found');
    });
  }
});
