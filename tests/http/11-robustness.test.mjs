// Hostile and malformed input: every answer is a clean HTTP response (never
// a crash or a hang), errors use the envelope, and /_health still answers 204
// afterwards. Bounds: body size (TOLLGATE_MAX_BODY), JSON depth, filter depth.

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import {
  ANY_DETAILS, NO_DETAILS, expectError, expectNotFound, expectStatus, setup, uniq,
} from './lib/harness.mjs';

/** A request with node:http, so that oversize and chunked bodies are under our control. */
function rawRequest(server, { method = 'POST', path, headers = {}, chunks = [] }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, headers });
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path}: no response within 15 s`)));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ method, path, status: res.statusCode, headers: h, text, json });
      });
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

/** Write bytes on a raw TCP connection; resolve with what came back when the server closes (or after 3 s). */
function rawSocket(server, bytes) {
  return new Promise((resolve) => {
    const sock = net.connect(server.port, '127.0.0.1');
    const got = [];
    const done = () => resolve(Buffer.concat(got).toString('latin1'));
    sock.setTimeout(3000, () => { sock.destroy(); done(); });
    sock.on('data', (d) => got.push(d));
    sock.on('error', done);
    sock.on('close', done);
    sock.on('connect', () => sock.end(bytes));
  });
}

async function expectHealthy(server) {
  const res = await server.get('/_health');
  expectStatus(res, 204);
}

/** A 4xx answer in the error envelope with the status repeated inside. */
function expectCleanClientError(res, status = 400) {
  expectStatus(res, status);
  assert.ok(res.json && res.json.data === null && res.json.error, `not an error envelope: ${res.text.slice(0, 300)}`);
  assert.equal(res.json.error.status, status);
  assert.equal(typeof res.json.error.name, 'string');
  assert.equal(typeof res.json.error.message, 'string');
}

describe('with the default body limit', () => {
  let ctx;

  before(async () => {
    ctx = await setup();
    const res = await ctx.server.post('/api/products', { token: ctx.full, body: { data: { name: 'Apple', stock: 10 } } });
    expectStatus(res, 201);
  });

  after(async () => {
    await ctx?.teardown();
  });

  const post = (rawBody, contentType = 'application/json') => ctx.server.post('/api/products', {
    token: ctx.full, rawBody, headers: { 'content-type': contentType },
  });

  test('10,000 nested arrays inside data -> 400', async () => {
    expectCleanClientError(await post(`{"data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`));
    await expectHealthy(ctx.server);
  });

  test('10,000 nested arrays as the whole body -> 400', async () => {
    expectCleanClientError(await post(`${'['.repeat(10_000)}${']'.repeat(10_000)}`));
    await expectHealthy(ctx.server);
  });

  test('10,000 unclosed arrays -> 400', async () => {
    expectCleanClientError(await post('['.repeat(10_000)));
    await expectHealthy(ctx.server);
  });

  test('10,000 nested objects -> 400', async () => {
    expectCleanClientError(await post(`{"data":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`));
    await expectHealthy(ctx.server);
  });

  test('deeply nested $and filters -> 400', async () => {
    const res = await ctx.server.get(`/api/products?filters${'[$and][0]'.repeat(50)}[name][$eq]=Apple`, { token: ctx.full });
    expectError(res, 400, 'ValidationError', /./, ANY_DETAILS);
    await expectHealthy(ctx.server);
  });

  test('deeply nested $not filters -> 400', async () => {
    const res = await ctx.server.get(`/api/products?filters${'[$not]'.repeat(200)}[name][$eq]=Apple`, { token: ctx.full });
    expectError(res, 400, 'ValidationError', /./, ANY_DETAILS);
    await expectHealthy(ctx.server);
  });

  test('deeply nested bracket keys of any parameter -> 400 or ignored, never a crash', async () => {
    const res = await ctx.server.get(`/api/products?sort${'[a]'.repeat(500)}=name`, { token: ctx.full });
    assert.ok(res.status === 200 || res.status === 400, `status ${res.status}`);
    if (res.status === 400) expectCleanClientError(res);
    await expectHealthy(ctx.server);
  });

  test('a wide but shallow $or (50 branches) works', async () => {
    const q = Array.from({ length: 50 }, (_, i) => `filters[$or][${i}][name][$eq]=${i === 49 ? 'Apple' : `n${i}`}`).join('&');
    const res = await ctx.server.get(`/api/products?${q}`, { token: ctx.full });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data.map((e) => e.name), ['Apple']);
  });

  test('1000 query parameters -> 200', async () => {
    const q = Array.from({ length: 1000 }, (_, i) => `foo${i}=${i}`).join('&');
    const res = await ctx.server.get(`/api/products?${q}`, { token: ctx.full, timeoutMs: 5000 });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data.map((e) => e.name), ['Apple']);
  });

  test('1000 repetitions of one parameter -> 200 or 400, never a crash', async () => {
    const q = Array.from({ length: 1000 }, () => 'sort=name').join('&');
    const res = await ctx.server.get(`/api/products?${q}`, { token: ctx.full, timeoutMs: 5000 });
    assert.ok(res.status === 200 || res.status === 400, `status ${res.status}`);
    if (res.status === 400) expectCleanClientError(res);
    await expectHealthy(ctx.server);
  });

  test('invalid UTF-8 in a JSON body -> 400, or stored as U+FFFD; responses stay valid JSON', async () => {
    const name = Buffer.concat([Buffer.from('{"data":{"name":"ok'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}')]);
    const res = await post(name);
    if (res.status === 201) {
      assert.equal(res.json.data.name, 'ok\uFFFD\uFFFD\uFFFD');
    } else {
      expectCleanClientError(res);
    }
    const list = await ctx.server.get('/api/products', { token: ctx.full });
    expectStatus(list, 200);
    assert.ok(list.json, 'the list must stay valid JSON');
  });

  test('invalid UTF-8 in a filter value -> 200 with no match', async () => {
    const res = await ctx.server.get('/api/products?filters[name][$eq]=%FF%FE', { token: ctx.full });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, []);
  });

  test('binary garbage as JSON -> 400 SyntaxError without details', async () => {
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37 + 11) % 256));
    expectError(await post(garbage), 400, 'SyntaxError', /./, NO_DETAILS);
    await expectHealthy(ctx.server);
  });

  test('binary garbage as application/octet-stream -> 400 Missing "data" payload', async () => {
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 91 + 7) % 256));
    expectError(await post(garbage, 'application/octet-stream'), 400, 'ValidationError',
      'Missing "data" payload in the request body');
  });

  test('a NUL character in a string is refused or round-trips exactly', async () => {
    const name = uniq('nul\u0000byte');
    const res = await ctx.server.post('/api/products', { token: ctx.full, body: { data: { name } } });
    if (res.status === 201) {
      const one = await ctx.server.get(`/api/products/${res.json.data.documentId}`, { token: ctx.full });
      assert.equal(one.json.data.name, name);
    } else {
      expectCleanClientError(res);
    }
  });

  test('encoded slashes and invalid UTF-8 in a documentId -> 404', async () => {
    for (const path of ['/api/products/..%2F..%2Fetc%2Fpasswd', '/api/products/%FF', '/api/products/a%2Fb']) {
      expectNotFound(await ctx.server.get(path, { token: ctx.full }));
    }
  });

  test('an encoded NUL in a documentId -> 404 envelope (Strapi on SQLite: no such document)', async () => {
    expectNotFound(await ctx.server.get('/api/products/%00', { token: ctx.full }));
  });

  test('SQL-looking values are just values', async () => {
    const res = await ctx.server.get(`/api/products?filters[name][$eq]=${encodeURIComponent("x' OR '1'='1")}`, { token: ctx.full });
    expectStatus(res, 200);
    assert.deepEqual(res.json.data, []);
    const sort = await ctx.server.get(`/api/products?sort=${encodeURIComponent('name; DROP TABLE products')}`, { token: ctx.full });
    expectCleanClientError(sort);
    const still = await ctx.server.get('/api/products', { token: ctx.full });
    expectStatus(still, 200);
  });

  test('a 100 kB URL gets a 4xx answer', async () => {
    const res = await rawRequest(ctx.server, { method: 'GET', path: `/api/products?x=${'a'.repeat(100 * 1024)}` });
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    await expectHealthy(ctx.server);
  });

  test('non-HTTP bytes on the socket do not hurt the server', async () => {
    await rawSocket(ctx.server, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 13 + 5) % 256)));
    await rawSocket(ctx.server, 'GET /_health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n');
    await rawSocket(ctx.server, 'POST /api/products HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"data":');
    await expectHealthy(ctx.server);
  });

  test('50 concurrent requests all succeed', async () => {
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2
      ? ctx.server.get('/api/products', { token: ctx.full })
      : ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title: `c${i}` } } }))));
    for (const [i, res] of all.entries()) expectStatus(res, i % 2 ? 200 : 201);
    const articles = await ctx.server.get('/api/articles?pagination[pageSize]=100', { token: ctx.full });
    assert.equal(articles.json.meta.pagination.total, 25);
    assert.equal(new Set(articles.json.data.map((a) => a.documentId)).size, 25);
  });

  test('after all that, /_health answers 204', async () => {
    await expectHealthy(ctx.server);
  });
});

describe('with TOLLGATE_MAX_BODY=4096', () => {
  let ctx;

  before(async () => {
    ctx = await setup({ server: { env: { TOLLGATE_MAX_BODY: '4096' } } });
  });

  after(async () => {
    await ctx?.teardown();
  });

  const bodyOf = (size) => {
    const head = `{"data":{"name":"${uniq('Big')}","description":"`;
    const tail = '"}}';
    return head + 'x'.repeat(size - head.length - tail.length) + tail;
  };

  test('a 10 kB body -> 413 PayloadTooLargeError', async () => {
    const body = bodyOf(10 * 1024);
    const res = await rawRequest(ctx.server, {
      path: '/api/products',
      headers: { authorization: `Bearer ${ctx.full}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      chunks: [body],
    });
    expectError(res, 413, 'PayloadTooLargeError', /./, ANY_DETAILS);
    await expectHealthy(ctx.server);
  });

  test('a 10 kB chunked body (no Content-Length) -> 413 PayloadTooLargeError', async () => {
    const body = bodyOf(10 * 1024);
    const chunks = [];
    for (let i = 0; i < body.length; i += 1024) chunks.push(body.slice(i, i + 1024));
    const res = await rawRequest(ctx.server, {
      path: '/api/products',
      headers: { authorization: `Bearer ${ctx.full}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks,
    });
    expectError(res, 413, 'PayloadTooLargeError', /./, ANY_DETAILS);
    await expectHealthy(ctx.server);
  });

  test('nothing was written by the refused bodies', async () => {
    const res = await ctx.server.get('/api/products', { token: ctx.full });
    expectStatus(res, 200);
    assert.equal(res.json.meta.pagination.total, 0);
  });

  test('a 3 kB body is accepted', async () => {
    const res = await ctx.server.post('/api/products', {
      token: ctx.full, rawBody: bodyOf(3 * 1024), headers: { 'content-type': 'application/json' },
    });
    expectStatus(res, 201);
  });

  test('after the refusals, /_health answers 204', async () => {
    await expectHealthy(ctx.server);
  });
});
