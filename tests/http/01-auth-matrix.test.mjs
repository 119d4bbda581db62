// Token type x action on /api/articles and /api/homepage (strapi-api-tokens.md
// §6.4, transcript §7): read-only = find/findOne, full-access = everything,
// custom = exactly its actions; 403 ForbiddenError otherwise. Authorization
// runs before the document lookup.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  expectForbidden, expectNotFound, expectStatus, expectUnauthorized, setup, uniq,
} from './lib/harness.mjs';

const A = (action) => `api::article.article.${action}`;
const H = (action) => `api::homepage.homepage.${action}`;
const P = (action) => `api::product.product.${action}`;

const ARTICLE_ACTIONS = ['find', 'findOne', 'create', 'update', 'delete'];
const HOMEPAGE_ACTIONS = ['find', 'update', 'delete'];

// label, how to create the token, and what it may do on each type
const TOKENS = [
  { label: 'read-only', type: 'read-only', articles: ['find', 'findOne'], homepage: ['find'] },
  { label: 'full-access', type: 'full-access', articles: ARTICLE_ACTIONS, homepage: HOMEPAGE_ACTIONS },
  { label: 'custom [article.find]', permissions: [A('find')], articles: ['find'], homepage: [] },
  { label: 'custom [article.findOne]', permissions: [A('findOne')], articles: ['findOne'], homepage: [] },
  { label: 'custom [article.create]', permissions: [A('create')], articles: ['create'], homepage: [] },
  { label: 'custom [article.update]', permissions: [A('update')], articles: ['update'], homepage: [] },
  { label: 'custom [article.delete]', permissions: [A('delete')], articles: ['delete'], homepage: [] },
  {
    label: 'custom [article.find, article.findOne]',
    permissions: [A('find'), A('findOne')], articles: ['find', 'findOne'], homepage: [],
  },
  {
    label: 'custom [article.create, article.update, article.delete]',
    permissions: [A('create'), A('update'), A('delete')], articles: ['create', 'update', 'delete'], homepage: [],
  },
  {
    label: 'custom [all article actions]',
    permissions: ARTICLE_ACTIONS.map(A), articles: ARTICLE_ACTIONS, homepage: [],
  },
  {
    label: 'custom [all product actions]',
    permissions: ARTICLE_ACTIONS.map(P), articles: [], homepage: [],
  },
  { label: 'custom [homepage.find]', permissions: [H('find')], articles: [], homepage: ['find'] },
  { label: 'custom [homepage.update]', permissions: [H('update')], articles: [], homepage: ['update'] },
  { label: 'custom [homepage.delete]', permissions: [H('delete')], articles: [], homepage: ['delete'] },
  {
    label: 'custom [homepage.find, homepage.update, homepage.delete, article.find]',
    permissions: [...HOMEPAGE_ACTIONS.map(H), A('find')], articles: ['find'], homepage: HOMEPAGE_ACTIONS,
  },
];

let ctx;
const keys = new Map(); // label -> access key

before(async () => {
  ctx = await setup();
  for (const t of TOKENS) {
    const token = ctx.project.token({
      name: uniq('matrix'),
      type: t.type ?? 'custom',
      permissions: t.permissions ?? [],
    });
    keys.set(t.label, token.accessKey);
  }
});

after(async () => {
  await ctx?.teardown();
});

async function newArticle(title = uniq('article')) {
  const res = await ctx.server.post('/api/articles', { token: ctx.full, body: { data: { title, views: 1 } } });
  expectStatus(res, 201);
  return res.json.data;
}

async function articleCount() {
  const res = await ctx.server.get('/api/articles', { token: ctx.full });
  expectStatus(res, 200);
  return res.json.meta.pagination.total;
}

async function fetchArticle(documentId) {
  return ctx.server.get(`/api/articles/${documentId}`, { token: ctx.full });
}

async function ensureHomepage() {
  const res = await ctx.server.put('/api/homepage', { token: ctx.full, body: { data: { heading: 'Home' } } });
  expectStatus(res, 200);
  return res.json.data;
}

// One check per action: run it with `key`, and assert success or 403 and
// that a forbidden request changed nothing.
const articleChecks = {
  async find(key, allowed) {
    await newArticle();
    const res = await ctx.server.get('/api/articles', { token: key });
    if (!allowed) return expectForbidden(res);
    expectStatus(res, 200);
    assert.ok(Array.isArray(res.json.data) && res.json.data.length > 0);
    assert.equal(typeof res.json.meta.pagination.total, 'number');
  },
  async findOne(key, allowed) {
    const a = await newArticle();
    const res = await ctx.server.get(`/api/articles/${a.documentId}`, { token: key });
    if (!allowed) return expectForbidden(res);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: a, meta: {} });
  },
  async create(key, allowed) {
    const before = await articleCount();
    const title = uniq('created');
    const res = await ctx.server.post('/api/articles', { token: key, body: { data: { title } } });
    const afterCount = await articleCount();
    if (!allowed) {
      expectForbidden(res);
      assert.equal(afterCount, before, 'a forbidden create must not write');
      return;
    }
    expectStatus(res, 201);
    assert.equal(res.json.data.title, title);
    assert.equal(afterCount, before + 1);
  },
  async update(key, allowed) {
    const a = await newArticle('before');
    const res = await ctx.server.put(`/api/articles/${a.documentId}`, { token: key, body: { data: { title: 'after' } } });
    const now = await fetchArticle(a.documentId);
    expectStatus(now, 200);
    if (!allowed) {
      expectForbidden(res);
      assert.equal(now.json.data.title, 'before', 'a forbidden update must not write');
      return;
    }
    expectStatus(res, 200);
    assert.equal(res.json.data.title, 'after');
    assert.equal(now.json.data.title, 'after');
  },
  async delete(key, allowed) {
    const a = await newArticle();
    const res = await ctx.server.del(`/api/articles/${a.documentId}`, { token: key });
    const now = await fetchArticle(a.documentId);
    if (!allowed) {
      expectForbidden(res);
      expectStatus(now, 200);
      return;
    }
    expectStatus(res, 204);
    assert.equal(res.text, '');
    expectNotFound(now);
  },
};

const homepageChecks = {
  async find(key, allowed) {
    const h = await ensureHomepage();
    const res = await ctx.server.get('/api/homepage', { token: key });
    if (!allowed) return expectForbidden(res);
    expectStatus(res, 200);
    assert.deepEqual(res.json, { data: h, meta: {} });
  },
  async update(key, allowed) {
    await ensureHomepage();
    const heading = uniq('heading');
    const res = await ctx.server.put('/api/homepage', { token: key, body: { data: { heading } } });
    const now = await ctx.server.get('/api/homepage', { token: ctx.full });
    expectStatus(now, 200);
    if (!allowed) {
      expectForbidden(res);
      assert.equal(now.json.data.heading, 'Home', 'a forbidden update must not write');
      return;
    }
    expectStatus(res, 200);
    assert.equal(res.json.data.heading, heading);
    assert.equal(now.json.data.heading, heading);
  },
  async delete(key, allowed) {
    await ensureHomepage();
    const res = await ctx.server.del('/api/homepage', { token: key });
    const now = await ctx.server.get('/api/homepage', { token: ctx.full });
    if (!allowed) {
      expectForbidden(res);
      expectStatus(now, 200);
      return;
    }
    expectStatus(res, 204);
    assert.equal(res.text, '');
    expectNotFound(now);
  },
};

describe('auth matrix: /api/articles', () => {
  for (const t of TOKENS) {
    for (const action of ARTICLE_ACTIONS) {
      const allowed = t.articles.includes(action);
      test(`${t.label}: ${action} -> ${allowed ? 'allowed' : '403'}`, async () => {
        await articleChecks[action](keys.get(t.label), allowed);
      });
    }
  }
});

describe('auth matrix: /api/homepage', () => {
  for (const t of TOKENS) {
    for (const action of HOMEPAGE_ACTIONS) {
      const allowed = t.homepage.includes(action);
      test(`${t.label}: ${action} -> ${allowed ? 'allowed' : '403'}`, async () => {
        await homepageChecks[action](keys.get(t.label), allowed);
      });
    }
  }
});

describe('authorization runs before the document lookup', () => {
  const UNKNOWN = '/api/articles/doesnotexist000000000000';

  test('read-only findOne of an unknown documentId -> 404 (allowed, then not found)', async () => {
    expectNotFound(await ctx.server.get(UNKNOWN, { token: keys.get('read-only') }));
  });

  test('read-only update of an unknown documentId -> 403, not 404', async () => {
    expectForbidden(await ctx.server.put(UNKNOWN, { token: keys.get('read-only'), body: { data: { title: 'x' } } }));
  });

  test('read-only delete of an unknown documentId -> 403, not 204', async () => {
    expectForbidden(await ctx.server.del(UNKNOWN, { token: keys.get('read-only') }));
  });

  test('custom [article.create] findOne of an unknown documentId -> 403, not 404', async () => {
    expectForbidden(await ctx.server.get(UNKNOWN, { token: keys.get('custom [article.create]') }));
  });

  test('custom [article.find] findOne of an unknown documentId -> 403 (find does not imply findOne)', async () => {
    expectForbidden(await ctx.server.get(UNKNOWN, { token: keys.get('custom [article.find]') }));
  });

  test('no Authorization header, unknown documentId -> 403, not 404', async () => {
    expectForbidden(await ctx.server.get(UNKNOWN));
  });

  test('unknown token, unknown documentId -> 401, not 404', async () => {
    expectUnauthorized(await ctx.server.get(UNKNOWN, { token: 'not-a-real-token' }));
  });

  test('unknown token on update of an unknown documentId -> 401', async () => {
    expectUnauthorized(await ctx.server.put(UNKNOWN, { token: 'not-a-real-token', body: { data: { title: 'x' } } }));
  });

  test('custom [article.update] on an unknown documentId -> 404 (allowed, then not found)', async () => {
    expectNotFound(await ctx.server.put(UNKNOWN, { token: keys.get('custom [article.update]'), body: { data: { title: 'x' } } }));
  });

  test('absent homepage: read-only -> 404, custom [article.find] -> 403, no header -> 403', async () => {
    expectStatus(await ctx.server.del('/api/homepage', { token: ctx.full }), 204);
    expectNotFound(await ctx.server.get('/api/homepage', { token: keys.get('read-only') }));
    expectForbidden(await ctx.server.get('/api/homepage', { token: keys.get('custom [article.find]') }));
    expectForbidden(await ctx.server.get('/api/homepage'));
  });
});
