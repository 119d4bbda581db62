// GraphiQL at GET /graphql (GRAPHQL_PLAYGROUND) in headless Chromium,
// driven by playwright-core (installed under tests/http/node_modules)
// against a freshly started tollgate: the page loads its embedded files,
// the user puts "Authorization: Bearer <token>" in GraphiQL's headers pane,
// runs a query and reads the JSON in the result pane. Every request the
// page makes must go to the server's own origin, and the page must raise
// no error and no Content-Security-Policy violation. A second server in
// production with GRAPHQL_PLAYGROUND=true shows the page working with
// introspection off.
//
// Run: TOLLGATE_BIN=build/dev/tollgate node --test tests/browser/graphiql.test.mjs
// Browser: /usr/bin/chromium (Debian's package), or $CHROMIUM_BIN.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createProject, uniq } from '../http/lib/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const { chromium } = createRequire(path.join(HERE, '..', 'http', 'package.json'))('playwright-core');

const FORBIDDEN = { code: 'FORBIDDEN', error: { name: 'ForbiddenError', message: 'Forbidden access', details: {} } };

/**
 * A project with two articles, a server (with `env`), a full-access key,
 * and a Chromium context whose every request, page error and CSP
 * complaint is recorded.
 */
async function start(env) {
  const s = { requests: [], problems: [] };
  s.project = await createProject();
  s.server = await s.project.start({ env });
  s.base = s.server.baseUrl;
  s.key = s.project.token({ name: uniq('graphiql'), type: 'full-access' }).accessKey;
  for (const title of ['First light', 'Second wind']) {
    const res = await s.server.post('/api/articles', { token: s.key, body: { data: { title, views: title.length } } });
    assert.equal(res.status, 201, res.text);
  }
  s.userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tollgate-chromium-'));
  s.context = await chromium.launchPersistentContext(s.userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  s.context.setDefaultTimeout(15_000);
  s.context.on('request', (r) => s.requests.push({ url: r.url(), method: r.method(), headers: r.headers(), body: r.postData() }));
  s.page = s.context.pages()[0] ?? await s.context.newPage();
  s.page.on('pageerror', (err) => s.problems.push(`page error: ${err.message}`));
  s.page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) s.problems.push(msg.text());
  });
  return s;
}

async function stop(s) {
  if (!s) return;
  await s.context?.close().catch(() => {});
  if (s.userDataDir) await fsp.rm(s.userDataDir, { recursive: true, force: true });
  await s.server?.stop();
  await s.project?.cleanup();
}

/** The CodeMirror editor inside `section` (GraphiQL 3 uses CodeMirror 5). */
function editor(page, section) {
  if (section === 'Result Window') return page.locator('section[aria-label="Result Window"] .CodeMirror');
  return page.locator(`section[aria-label="${section}"] .graphiql-editor:not(.hidden) .CodeMirror`);
}

/** Replace the text of an editor as a person pasting would. */
async function typeInto(page, section, text) {
  const cm = editor(page, section);
  await cm.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  const value = await cm.evaluate((el) => el.CodeMirror.getValue());
  assert.equal(value, text, `the ${section} editor holds something else`);
}

/** Run the query editor's operation; the parsed JSON the result pane then shows. */
async function run(s, expectKey) {
  const before = s.requests.length;
  await s.page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
  const result = editor(s.page, 'Result Window');
  await s.page.waitForFunction(
    ([sel, key]) => document.querySelector(sel)?.CodeMirror?.getValue().includes(key),
    ['section[aria-label="Result Window"] .CodeMirror', expectKey],
  );
  const text = await result.evaluate((el) => el.CodeMirror.getValue());
  const posts = s.requests.slice(before).filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/graphql');
  assert.ok(posts.length >= 1, 'running the query sent no POST /graphql');
  return { json: JSON.parse(text), request: posts[posts.length - 1] };
}

function assertOwnOrigin(s) {
  const origin = new URL(s.base).origin;
  assert.ok(s.requests.length > 0, 'no request recorded');
  for (const r of s.requests) {
    if (r.url.startsWith('data:')) continue;
    assert.equal(new URL(r.url).origin, origin, `a request left the server's origin: ${r.method} ${r.url}`);
  }
}

// ---- development: GRAPHQL_PLAYGROUND=auto ----------------------------------------------------------

describe('GraphiQL in development (auto)', () => {
  let s;

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_BIN)`);
    s = await start({ NODE_ENV: 'development', GRAPHQL_PLAYGROUND: 'auto' });
  });
  after(async () => { await stop(s); });

  test('opening /graphql shows GraphiQL, its schema fetched from the server', async () => {
    await s.page.goto(`${s.base}/graphql`);
    await s.page.locator('.graphiql-container').waitFor();
    assert.equal(await s.page.title(), 'GraphiQL');
    // the headers pane is open from the start
    await editor(s.page, 'Headers').waitFor();
    // introspection is on in development: the documentation explorer lists the root types
    await s.page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await s.page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
    await s.page.locator('.graphiql-doc-explorer .graphiql-doc-explorer-type-name', { hasText: 'Query' }).first().click();
    await s.page.locator('.graphiql-doc-explorer').getByText('articles_connection').first().waitFor();
    const intro = s.requests.find((r) => r.method === 'POST' && /__schema/.test(r.body ?? ''));
    assert.ok(intro, 'GraphiQL did not ask for the schema');
  });

  test('without a token the query is refused field by field (FORBIDDEN)', async () => {
    await typeInto(s.page, 'Query Editor', '{ articles { title } }');
    const { json, request } = await run(s, 'errors');
    assert.equal(request.headers.authorization, undefined);
    assert.equal(json.data, null);
    assert.deepEqual(json.errors.map((e) => e.extensions), [FORBIDDEN]);
  });

  test('with "Authorization: Bearer <token>" in the headers pane, the result pane shows the data', async () => {
    await typeInto(s.page, 'Headers', JSON.stringify({ Authorization: `Bearer ${s.key}` }, null, 2));
    await typeInto(s.page, 'Query Editor', '{ articles(sort: "title") { title views } articles_connection { pageInfo { total } } }');
    const { json, request } = await run(s, 'pageInfo');
    assert.equal(request.headers.authorization, `Bearer ${s.key}`);
    assert.match(request.headers['content-type'], /^application\/json/);
    assert.deepEqual(json, {
      data: {
        articles: [{ title: 'First light', views: 11 }, { title: 'Second wind', views: 11 }],
        articles_connection: { pageInfo: { total: 2 } },
      },
    });
  });

  test('a mutation runs from the page too', async () => {
    await typeInto(s.page, 'Query Editor', 'mutation { createArticle(data: { title: "From GraphiQL" }) { title } }');
    const { json } = await run(s, 'createArticle');
    assert.deepEqual(json, { data: { createArticle: { title: 'From GraphiQL' } } });
    const res = await s.server.get('/api/articles?filters[title][$eq]=From%20GraphiQL', { token: s.key });
    assert.equal(res.json.meta.pagination.total, 1);
  });

  test('GraphiQL\'s dialogs work under the page\'s CSP (their style element carries the nonce)', async () => {
    await s.page.getByRole('button', { name: 'Open settings dialog' }).click();
    await s.page.getByRole('dialog').waitFor();
    await s.page.keyboard.press('Escape');
    await s.page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  test('the history is kept, the token is not (GraphiQL saves headers with its history)', async () => {
    const stored = await s.page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes(s.key), `the API token was written to web storage: ${stored}`);
    const history = await s.page.evaluate(() => JSON.parse(localStorage.getItem('graphiql:queries') ?? '{}'));
    assert.ok(history.queries.some((q) => q.query.includes('articles_connection')), JSON.stringify(history));
    // and GraphiQL still holds it for this page
    await s.page.getByRole('button', { name: 'Show History' }).click();
    await s.page.locator('.graphiql-history-item').first().waitFor();
  });

  test('every request went to the server\'s own origin; no page error, no CSP violation', async () => {
    assertOwnOrigin(s);
    const paths = new Set(s.requests.map((r) => new URL(r.url).pathname));
    for (const p of ['/graphql']) assert.ok(paths.has(p), `no request for ${p}`);
    assert.ok([...paths].some((p) => p.endsWith('/graphiql.min.js')), 'graphiql.min.js was not loaded');
    assert.deepEqual(s.problems, []);
  });
});

// ---- production with GRAPHQL_PLAYGROUND=true: introspection off -------------------------------------

describe('GraphiQL in production (GRAPHQL_PLAYGROUND=true), introspection off', () => {
  let s;

  before(async () => {
    s = await start({ NODE_ENV: 'production', GRAPHQL_PLAYGROUND: 'true' });
  });
  after(async () => { await stop(s); });

  test('the page loads, the schema request is refused, and queries still run', async () => {
    await s.page.goto(`${s.base}/graphql`);
    await s.page.locator('.graphiql-container').waitFor();
    await s.page.waitForFunction(() => document.querySelector('section[aria-label="Result Window"] .CodeMirror')
      ?.CodeMirror?.getValue().includes('introspection'));
    await typeInto(s.page, 'Headers', `{ "Authorization": "Bearer ${s.key}" }`);
    await typeInto(s.page, 'Query Editor', '{ articles(sort: "title:desc") { title } }');
    const { json } = await run(s, 'Second wind');
    assert.deepEqual(json, { data: { articles: [{ title: 'Second wind' }, { title: 'First light' }] } });
  });

  test('every request went to the server\'s own origin; no page error, no CSP violation', async () => {
    assertOwnOrigin(s);
    assert.deepEqual(s.problems, []);
  });
});
