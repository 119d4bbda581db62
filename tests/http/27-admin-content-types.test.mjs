// GET /content-manager/content-types: the schemas the admin panel builds its
// forms from, limited to the types the caller may read.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectStatus } from './lib/harness.mjs';
import { ARTICLE, PRODUCT, adminSetup, cm, createRole, newUser } from './lib/admin.mjs';

let ctx;

before(async () => {
  ctx = await adminSetup();
});

after(async () => {
  await ctx?.teardown();
});

test('a super admin sees every type with its attributes and options', async () => {
  const res = await ctx.admin.get('/content-manager/content-types');
  expectStatus(res, 200);
  const byUid = Object.fromEntries(res.json.data.map((t) => [t.uid, t]));
  assert.deepEqual(Object.keys(byUid).sort(),
    ['api::article.article', 'api::homepage.homepage', 'api::post.post', 'api::product.product']);
  const product = byUid[PRODUCT];
  assert.equal(product.kind, 'collectionType');
  assert.equal(product.info.pluralName, 'products');
  assert.equal(product.options.draftAndPublish, false);
  assert.deepEqual(product.attributes.name,
    { type: 'string', required: true, unique: true, minLength: 2, maxLength: 40 });
  assert.deepEqual(product.attributes.category,
    { type: 'enumeration', default: 'alpha', enum: ['alpha', 'beta', 'gamma'] });
  assert.equal(product.attributes.secretNote.private, true);
  assert.deepEqual(Object.keys(product.attributes).slice(0, 3), ['name', 'sku', 'description']);
  assert.equal(byUid['api::homepage.homepage'].kind, 'singleType');
  assert.equal(byUid['api::post.post'].options.draftAndPublish, true);
});

test('an administrator sees only the types they may read', async () => {
  const role = await createRole(ctx.admin, [cm('read', ARTICLE)]);
  const user = await newUser(ctx.admin, [role.id]);
  const res = await user.get('/content-manager/content-types');
  expectStatus(res, 200);
  assert.deepEqual(res.json.data.map((t) => t.uid), [ARTICLE]);
});

test('without credentials -> 401', async () => {
  const res = await ctx.server.api('GET', '/content-manager/content-types');
  assert.equal(res.status, 401);
});
