// Server basics: /_health, CORS (Strapi's strapi::cors defaults: any origin,
// credentials, so the request origin is echoed), JSON content type, and a
// clean exit on SIGTERM (checked by every file's teardown).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createProject, expectStatus, setup } from './lib/harness.mjs';

const ORIGIN = 'http://frontend.example';

describe('default configuration', () => {
  let ctx;

  before(async () => {
    ctx = await setup();
  });

  after(async () => {
    await ctx?.teardown();
  });

  test('GET /_health -> 204 with no body', async () => {
    const res = await ctx.server.get('/_health');
    expectStatus(res, 204);
    assert.equal(res.text, '');
  });

  test('HEAD /_health -> 204 with no body', async () => {
    const res = await ctx.server.api('HEAD', '/_health');
    expectStatus(res, 204);
    assert.equal(res.text, '');
  });

  test('/_health needs no token and ignores a bad one', async () => {
    expectStatus(await ctx.server.get('/_health', { token: 'nope' }), 204);
  });

  test('OPTIONS preflight with Origin -> 204 with Allow-Origin and Allow-Methods', async () => {
    const res = await ctx.server.api('OPTIONS', '/api/articles', {
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expectStatus(res, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    const methods = (res.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim());
    for (const m of ['GET', 'POST', 'PUT', 'DELETE']) assert.ok(methods.includes(m), `Allow-Methods lacks ${m}: ${methods}`);
    const allowHeaders = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    assert.match(allowHeaders, /authorization/);
    assert.match(allowHeaders, /content-type/);
  });

  test('preflight needs no token, even on a write route', async () => {
    const res = await ctx.server.api('OPTIONS', '/api/homepage', {
      headers: { origin: ORIGIN, 'access-control-request-method': 'DELETE' },
    });
    expectStatus(res, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  });

  test('a simple GET with Origin gets Access-Control-Allow-Origin', async () => {
    const res = await ctx.server.get('/api/articles', { token: ctx.full, headers: { origin: ORIGIN } });
    expectStatus(res, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  });

  test('JSON responses are "application/json; charset=utf-8"', async () => {
    for (const res of [
      await ctx.server.get('/api/articles', { token: ctx.full }),
      await ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title: 't' } } }),
      await ctx.server.get('/api/articles'),
      await ctx.server.get('/api/articles', { token: 'nope' }),
      await ctx.server.get('/api/nothing', { token: ctx.full }),
      await ctx.server.post('/api/articles', { token: ctx.full, body: { nodata: 1 } }),
    ]) {
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8', `${res.method} ${res.path} -> ${res.status}`);
    }
  });

  test('204 responses have no body and no JSON content type', async () => {
    const created = await ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title: 'bye' } } });
    const res = await ctx.server.del(`/api/articles/${created.json.data.documentId}`, { token: ctx.full });
    expectStatus(res, 204);
    assert.equal(res.text, '');
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /json/);
  });
});

describe('CORS_ORIGIN with a list of origins', () => {
  let project;
  let server;
  let key;

  before(async () => {
    project = await createProject();
    server = await project.start({ env: { CORS_ORIGIN: 'http://a.example,http://b.example' } });
    key = project.token({ type: 'read-only' }).accessKey;
  });

  after(async () => {
    try {
      await server?.stop();
    } finally {
      await server?.kill();
      await project?.cleanup();
    }
  });

  test('a listed origin is echoed', async () => {
    for (const origin of ['http://a.example', 'http://b.example']) {
      const res = await server.get('/api/articles', { token: key, headers: { origin } });
      expectStatus(res, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
    }
  });

  test('another origin gets no Access-Control-Allow-Origin', async () => {
    const res = await server.get('/api/articles', { token: key, headers: { origin: 'http://evil.example' } });
    expectStatus(res, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});
