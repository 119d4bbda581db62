// The GraphiQL page at GET /graphql and its files (GRAPHQL_PLAYGROUND).
// auto follows NODE_ENV as Strapi's default does (on in development, off in
// production), true and false force it. When on, a browser (Accept prefers
// text/html) gets GraphiQL with a strict Content-Security-Policy, and
// /graphql/assets/<hash>/<file> serves the embedded files (the vendored
// GraphiQL, React and their licences, plus our small mount script) with a
// year's immutable caching; the hash is the start of the file's SHA-256.
// When off, a browser gets the small landing page Strapi serves in
// production, and the asset paths are unknown (404 in Strapi's envelope).
// Requests that are not a browser's behave as before either way.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, createProject, expectNotFound, expectStatus, setup } from './lib/harness.mjs';
import {
  CSRF_MESSAGE, ENDPOINT, INTROSPECTION_MESSAGE, expectData, expectRequestError, gql, show,
} from './lib/graphql.mjs';

const VENDORED = path.join(REPO_ROOT, 'third_party', 'graphiql', 'assets');
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ASSET_PATH = /^\/graphql\/assets\/([0-9a-f]{16})\/([A-Za-z0-9.-]+)$/;

const page = (server, headers = {}) => server.api('GET', ENDPOINT, { headers: { accept: BROWSER_ACCEPT, ...headers } });

/** Every src/href of an HTML page. */
function references(html) {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
}

/** The CSP header as {directive: [values]}. */
function parseCsp(header) {
  const out = {};
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name] = values;
  }
  return out;
}

function expectGraphiqlPage(res) {
  expectStatus(res, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8$/, show(res));
  assert.match(res.text, /<title>GraphiQL<\/title>/, show(res));
  assert.match(res.text, /<div id="graphiql" data-endpoint="\/graphql"/, show(res));
}

function expectLandingPage(res) {
  expectStatus(res, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/, show(res));
  assert.match(res.text, /<title>Apollo Server<\/title>/, show(res));
  assert.doesNotMatch(res.text, /graphiql|<script/i, show(res));
}

/** The asset paths the GraphiQL page refers to. */
async function assetPaths(server) {
  const res = await page(server);
  expectGraphiqlPage(res);
  return references(res.text).filter((r) => r.startsWith('/graphql/assets/'));
}

async function serverWith(env) {
  return setup({ server: { env: { GRAPHQL_INTROSPECTION: '', ...env } } });
}

// ---- on (auto in development) ----------------------------------------------------------------------

describe('GRAPHQL_PLAYGROUND=auto, NODE_ENV=development: GraphiQL', () => {
  let ctx;
  let assets; // name -> path

  before(async () => {
    ctx = await serverWith({ NODE_ENV: 'development', GRAPHQL_PLAYGROUND: 'auto' });
    assets = {};
    for (const p of await assetPaths(ctx.server)) assets[ASSET_PATH.exec(p)[2]] = p;
  });
  after(async () => { await ctx?.teardown(); });

  test('a browser gets the GraphiQL page, which refers to nothing but our own files', async () => {
    const res = await page(ctx.server);
    expectGraphiqlPage(res);
    const refs = references(res.text);
    assert.ok(refs.length >= 5, show(res));
    for (const r of refs) assert.ok(r.startsWith('/graphql/assets/') || r === 'data:,', `unexpected reference ${r}`);
    assert.doesNotMatch(res.text, /https?:\/\//, 'the page names an absolute URL');
    assert.deepEqual(Object.keys(assets).sort(), [
      'graphiql.min.css', 'graphiql.min.js', 'react-dom.production.min.js', 'react.production.min.js', 'tollgate-graphiql.js',
    ]);
    // React first, then GraphiQL, then the script that mounts it
    const scripts = [...res.text.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => ASSET_PATH.exec(m[1])[2]);
    assert.deepEqual(scripts, ['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'tollgate-graphiql.js']);
    assert.doesNotMatch(res.text, /<script>|<script [^>]*>[^<]/, 'no inline script');
  });

  test('the page has a strict Content-Security-Policy: own origin only, no inline script, no eval', async () => {
    const res = await page(ctx.server);
    const header = res.headers.get('content-security-policy') ?? '';
    const csp = parseCsp(header);
    const nonce = /<style nonce="([0-9a-f]{32})">/.exec(res.text)?.[1];
    assert.ok(nonce, show(res));
    assert.deepEqual(csp, {
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", `'nonce-${nonce}'`],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    assert.doesNotMatch(header, /unsafe-inline|unsafe-eval|https?:|\*/);
    assert.match(res.text, new RegExp(`data-style-nonce="${nonce}"`));
    // a fresh nonce each time, and the page is not kept
    const again = await page(ctx.server);
    const nonce2 = /<style nonce="([0-9a-f]{32})">/.exec(again.text)?.[1];
    assert.notEqual(nonce2, nonce);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('vary') ?? '', /Accept/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('any Accept preferring HTML gets the page; a token is not needed', async () => {
    for (const accept of ['text/html', 'text/html, application/json;q=0.9', '*/*;q=0.1, text/html']) {
      expectGraphiqlPage(await page(ctx.server, { accept }));
    }
  });

  test('an invalid token is still a 401 before the page (as for every /graphql request)', async () => {
    const res = await page(ctx.server, { authorization: 'Bearer not-a-token' });
    expectStatus(res, 401);
  });

  test('each file: 200, its Content-Type, immutable caching, the bytes its hash names', async () => {
    const types = {
      'graphiql.min.css': 'text/css; charset=utf-8',
      'graphiql.min.js': 'text/javascript; charset=utf-8',
      'react.production.min.js': 'text/javascript; charset=utf-8',
      'react-dom.production.min.js': 'text/javascript; charset=utf-8',
      'tollgate-graphiql.js': 'text/javascript; charset=utf-8',
    };
    for (const [name, p] of Object.entries(assets)) {
      const res = await fetch(ctx.server.baseUrl + p);
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(res.status, 200, p);
      assert.equal(res.headers.get('content-type'), types[name], p);
      assert.equal(res.headers.get('cache-control'), IMMUTABLE, p);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
      assert.equal(Number(res.headers.get('content-length')), body.length, p);
      const sha = createHash('sha256').update(body).digest('hex');
      assert.equal(sha.slice(0, 16), ASSET_PATH.exec(p)[1], `${p}: the hash in the path is not the body's`);
      if (name !== 'tollgate-graphiql.js') {
        assert.ok(body.equals(fs.readFileSync(path.join(VENDORED, name))), `${p} differs from third_party/graphiql/assets/${name}`);
      }
    }
  });

  test('the mount script asks GraphiQL for the headers pane, posting to /graphql', async () => {
    const res = await fetch(ctx.server.baseUrl + assets['tollgate-graphiql.js']);
    const js = await res.text();
    assert.match(js, /GraphiQL\.createFetcher/);
    assert.match(js, /isHeadersEditorEnabled: true/);
    assert.match(js, /shouldPersistHeaders: false/);
    assert.doesNotMatch(js, /https?:\/\//);
  });

  test('the licences are served too, as text', async () => {
    const hashOf = (name) => createHash('sha256').update(fs.readFileSync(path.join(VENDORED, name))).digest('hex').slice(0, 16);
    for (const name of ['LICENSE-graphiql.txt', 'LICENSE-react.txt', 'LICENSE-react-dom.txt']) {
      const res = await ctx.server.get(`/graphql/assets/${hashOf(name)}/${name}`);
      expectStatus(res, 200);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match(res.text, /MIT License/);
    }
  });

  test('HEAD of a file: the same headers, no body', async () => {
    const p = assets['graphiql.min.js'];
    const get = await fetch(ctx.server.baseUrl + p);
    const full = await get.arrayBuffer();
    const res = await ctx.server.api('HEAD', p);
    expectStatus(res, 200);
    assert.equal(res.text, '');
    assert.equal(res.headers.get('content-type'), get.headers.get('content-type'));
    assert.equal(res.headers.get('cache-control'), IMMUTABLE);
    assert.equal(Number(res.headers.get('content-length')), full.byteLength);
  });

  test('unknown files, wrong hashes and malformed paths -> 404 in Strapi\'s envelope', async () => {
    const js = assets['graphiql.min.js'];
    const hash = ASSET_PATH.exec(js)[1];
    const other = ASSET_PATH.exec(assets['graphiql.min.css'])[1];
    for (const p of [
      `/graphql/assets/${hash}/nope.js`,
      `/graphql/assets/${other}/graphiql.min.js`,
      `/graphql/assets/${'0'.repeat(16)}/graphiql.min.js`,
      `/graphql/assets/${hash.slice(0, 15)}/graphiql.min.js`,
      `/graphql/assets/${hash}x/graphiql.min.js`,
      `/graphql/assets/${hash}/graphiql.min.js/`,
      `/graphql/assets/${hash}/`,
      `/graphql/assets/${hash}`,
      '/graphql/assets/graphiql.min.js',
      '/graphql/assets/',
      `/graphql/assets/${hash}/%2e%2e%2fgraphiql.min.js`,
    ]) {
      expectNotFound(await ctx.server.get(p));
    }
  });

  test('a file with another method -> 405, Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await ctx.server.api(method, assets['graphiql.min.js']);
      expectStatus(res, 405);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    }
  });

  test('requests that are not a browser\'s are answered as before', async () => {
    // plain GET: the CSRF rule
    expectRequestError(await ctx.server.get(ENDPOINT), 'BAD_REQUEST', CSRF_MESSAGE);
    // GET with a query and a preflight header, POST JSON: GraphQL
    expectData(await gql(ctx.server, '{ __typename }', { method: 'GET' }), { __typename: 'Query' });
    expectData(await gql(ctx.server, '{ __typename }'), { __typename: 'Query' });
    // JSON preferred to HTML
    const res = await ctx.server.api('GET', `${ENDPOINT}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json, text/html;q=0.5', 'apollo-require-preflight': '1' },
    });
    expectData(res, { __typename: 'Query' });
    // introspection follows GRAPHQL_INTROSPECTION (on in development)
    const intro = await gql(ctx.server, '{ __schema { queryType { name } } }');
    expectData(intro, { __schema: { queryType: { name: 'Query' } } });
  });
});

// ---- off (auto in production) ----------------------------------------------------------------------

describe('GRAPHQL_PLAYGROUND=auto, NODE_ENV=production: the landing page, no files', () => {
  let ctx;
  let paths; // asset paths taken from a server with the playground on

  before(async () => {
    const on = await serverWith({ NODE_ENV: 'development' });
    try {
      paths = await assetPaths(on.server);
    } finally {
      await on.teardown();
    }
    ctx = await serverWith({ NODE_ENV: 'production', GRAPHQL_PLAYGROUND: 'auto' });
  });
  after(async () => { await ctx?.teardown(); });

  test('a browser gets the landing page', async () => {
    const res = await page(ctx.server);
    expectLandingPage(res);
    assert.equal(res.headers.get('content-security-policy'), null);
  });

  test('the GraphiQL files are not served (GET and HEAD)', async () => {
    assert.equal(paths.length, 5);
    for (const p of paths) {
      expectNotFound(await ctx.server.get(p));
      expectStatus(await ctx.server.api('HEAD', p), 404);
    }
  });
});

describe('GRAPHQL_PLAYGROUND=true in production: GraphiQL, introspection still off', () => {
  let ctx;

  before(async () => { ctx = await serverWith({ NODE_ENV: 'production', GRAPHQL_PLAYGROUND: 'true' }); });
  after(async () => { await ctx?.teardown(); });

  test('a browser gets GraphiQL, and its files are served', async () => {
    const paths = await assetPaths(ctx.server);
    assert.equal(paths.length, 5);
    for (const p of paths) expectStatus(await ctx.server.get(p), 200);
  });

  test('introspection stays off (GRAPHQL_INTROSPECTION decides), queries still run', async () => {
    const res = await gql(ctx.server, '{ __schema { queryType { name } } }');
    expectStatus(res, 400);
    assert.equal(res.json.errors[0].message, INTROSPECTION_MESSAGE);
    assert.equal(res.json.errors[0].extensions.validationErrorCode, 'INTROSPECTION_DISABLED');
    expectData(await gql(ctx.server, '{ articles { title } }', { token: ctx.full }), { articles: [] });
  });
});

describe('GRAPHQL_PLAYGROUND=false in development: the landing page', () => {
  let ctx;

  before(async () => { ctx = await serverWith({ NODE_ENV: 'development', GRAPHQL_PLAYGROUND: 'false' }); });
  after(async () => { await ctx?.teardown(); });

  test('a browser gets the landing page and no file is served', async () => {
    expectLandingPage(await page(ctx.server));
    expectNotFound(await ctx.server.get(`/graphql/assets/${'0'.repeat(16)}/graphiql.min.js`));
  });

  test('introspection is independent of the playground (on in development)', async () => {
    expectData(await gql(ctx.server, '{ __type(name: "Query") { name } }'), { __type: { name: 'Query' } });
  });
});

describe('GRAPHQL_PLAYGROUND with another value', () => {
  test('the server refuses to start, naming the setting', async () => {
    const project = await createProject();
    try {
      const r = project.run(['serve'], { env: { GRAPHQL_PLAYGROUND: 'sometimes' }, timeoutMs: 5000 });
      assert.notEqual(r.status, 0, `serve started: ${r.stdout}${r.stderr}`);
      assert.notEqual(r.status, null, 'serve did not exit');
      assert.match(r.stderr + r.stdout, /GRAPHQL_PLAYGROUND/);
    } finally {
      await project.cleanup();
    }
  });
});
