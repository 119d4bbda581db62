// The response cache of Content API reads (TOLLGATE_CONTENT_CACHE_BYTES):
// a cached read must never be staler than the data it was made from, and
// must never answer a request the caller may not make. Every write path
// (this server's API, the CLI in another process, SQL behind the server's
// back) is followed by reads of URLs that were cached just before.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  SETTLE_MS, createProject, expectForbidden, expectNotFound, expectStatus, expectUnauthorized, uniq,
} from './lib/harness.mjs';

const titles = (res) => res.json.data.map((a) => a.title);

for (const cacheBytes of ['8388608', '0']) {
  describe(`content reads with TOLLGATE_CONTENT_CACHE_BYTES=${cacheBytes}`, () => {
    let project;
    let server;
    let full;
    let ro;

    before(async () => {
      project = await createProject();
      server = await project.start({ env: { TOLLGATE_CONTENT_CACHE_BYTES: cacheBytes } });
      full = project.token({ name: uniq('full'), type: 'full-access' }).accessKey;
      ro = project.token({ name: uniq('ro'), type: 'read-only' }).accessKey;
    });

    after(async () => {
      await server?.stop();
      await project?.cleanup();
    });

    const get = (p, token = ro) => server.get(p, { token });
    const create = async (data) => {
      const res = await server.post('/api/articles', { token: full, body: { data } });
      expectStatus(res, 201);
      return res.json.data;
    };

    test('a create, an update and a delete are seen by the very next read', async () => {
      const url = '/api/articles?sort=title:asc&pagination[pageSize]=100';
      const before = await get(url);
      expectStatus(before, 200);
      assert.deepEqual(await get(url).then((r) => r.text), before.text, 'a repeated read answers the same');

      const a = await create({ title: 'cache-b', views: 1 });
      let res = await get(url);
      assert.ok(titles(res).includes('cache-b'), 'created entry listed');
      assert.equal(res.json.meta.pagination.total, before.json.meta.pagination.total + 1);

      const one = `/api/articles/${a.documentId}`;
      assert.equal((await get(one)).json.data.views, 1);
      const upd = await server.put(one, { token: full, body: { data: { views: 2 } } });
      expectStatus(upd, 200);
      assert.equal((await get(one)).json.data.views, 2, 'findOne after update');
      assert.equal((await get(url)).json.data.find((x) => x.documentId === a.documentId).views, 2, 'find after update');

      expectStatus(await server.del(one, { token: full }), 204);
      expectNotFound(await get(one));
      res = await get(url);
      assert.ok(!titles(res).includes('cache-b'), 'deleted entry gone from the list');
    });

    test('each query string is its own answer', async () => {
      await create({ title: 'cache-a1', views: 5 });
      await create({ title: 'cache-a2', views: 6 });
      const asc = await get('/api/articles?sort=views:asc&filters[title][$startsWith]=cache-a');
      const desc = await get('/api/articles?sort=views:desc&filters[title][$startsWith]=cache-a');
      assert.deepEqual(titles(asc), ['cache-a1', 'cache-a2']);
      assert.deepEqual(titles(desc), ['cache-a2', 'cache-a1']);
      const fields = await get('/api/articles?fields[0]=title&filters[title][$eq]=cache-a1');
      assert.deepEqual(Object.keys(fields.json.data[0]), ['id', 'documentId', 'title']);
      // the same query again, after the others were cached
      assert.deepEqual(titles(await get('/api/articles?sort=views:asc&filters[title][$startsWith]=cache-a')), ['cache-a1', 'cache-a2']);
    });

    test('a change made with SQL behind the server is seen', async () => {
      const a = await create({ title: 'cache-sql', views: 7 });
      const one = `/api/articles/${a.documentId}`;
      assert.equal((await get(one)).json.data.views, 7);
      assert.equal((await get(one)).json.data.views, 7);
      project.sql(`UPDATE articles SET views = 8 WHERE document_id = '${a.documentId}'`);
      assert.equal((await get(one)).json.data.views, 8);
    });

    test('entries seeded by the CLI (another process) are seen', async () => {
      const url = '/api/articles?filters[title][$startsWith]=cache-cli';
      assert.equal((await get(url)).json.data.length, 0);
      assert.equal((await get(url)).json.data.length, 0);
      const file = path.join(project.dir, 'seed.jsonl');
      await fsp.writeFile(file, '{"data":{"title":"cache-cli-1"}}\n{"data":{"title":"cache-cli-2"}}\n');
      assert.deepEqual(project.cli(['seed', '--type', 'articles', file]).created, 2);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      assert.deepEqual(titles(await get(url)).sort(), ['cache-cli-1', 'cache-cli-2']);
    });

    test('a single type follows its updates', async () => {
      const put = (title) => server.put('/api/homepage', { token: full, body: { data: { heading: title } } });
      expectStatus(await put('Home 1'), 200);
      assert.equal((await get('/api/homepage')).json.data.heading, 'Home 1');
      expectStatus(await put('Home 2'), 200);
      assert.equal((await get('/api/homepage')).json.data.heading, 'Home 2');
    });

    test('draft & publish: what is published follows publishing', async () => {
      const res = await server.post('/api/posts?status=draft', { token: full, body: { data: { title: 'cache-post' } } });
      expectStatus(res, 201);
      const doc = res.json.data.documentId;
      expectNotFound(await get(`/api/posts/${doc}`));
      assert.equal((await get(`/api/posts/${doc}?status=draft`)).json.data.title, 'cache-post');
      expectStatus(await server.put(`/api/posts/${doc}`, { token: full, body: { data: { title: 'cache-post 2' } } }), 200);
      assert.equal((await get(`/api/posts/${doc}`)).json.data.title, 'cache-post 2');
      assert.equal((await get(`/api/posts/${doc}?status=draft`)).json.data.title, 'cache-post 2');
    });

    test('a cached answer is never given to a caller who may not read it', async () => {
      const url = '/api/articles?filters[title][$eq]=cache-a1';
      expectStatus(await get(url), 200);
      expectStatus(await get(url), 200);
      expectForbidden(await server.get(url));
      expectUnauthorized(await server.get(url, { token: '0'.repeat(256) }));
      const custom = project.token({
        name: uniq('custom'), type: 'custom', permissions: ['api::article.article.findOne'],
      });
      expectForbidden(await get(url, custom.accessKey));
      const t = project.token({ name: uniq('gone'), type: 'read-only' });
      expectStatus(await get(url, t.accessKey), 200);
      project.cli(['token', 'delete', String(t.id)]);
      expectUnauthorized(await get(url, t.accessKey));
    });

    test('reads racing writes: after each acknowledged create, the next read counts it', async () => {
      const url = '/api/articles?filters[title][$startsWith]=race-&pagination[pageSize]=1';
      let stop = false;
      // readers keep the URL cached (on every worker thread) while writes land
      const readers = Array.from({ length: 4 }, async () => {
        while (!stop) expectStatus(await get(url), 200);
      });
      try {
        for (let i = 1; i <= 25; i++) {
          await create({ title: `race-${i}` });
          const res = await get(url);
          assert.equal(res.json.meta.pagination.total, i, `total after create ${i}`);
        }
      } finally {
        stop = true;
        await Promise.all(readers);
      }
    });
  });
}
