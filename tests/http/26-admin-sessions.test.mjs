// A password change ends the sessions opened with the old password: the
// other sessions of the user stop at once; the session that made the change
// (PUT /admin/users/me) keeps working.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectStatus } from './lib/harness.mjs';
import { ADMIN, EDITOR, PASSWORD, adminSetup, createUser, login, roleId } from './lib/admin.mjs';

let ctx;

before(async () => {
  ctx = await adminSetup();
});

after(async () => {
  await ctx?.teardown();
});

test('PUT /admin/users/me with a new password ends the other sessions only', async () => {
  const other = await login(ctx.server, ADMIN.email, ADMIN.password);
  expectStatus(await other.get('/admin/users/me'), 200);
  const res = await ctx.admin.put('/admin/users/me', {
    body: { currentPassword: ADMIN.password, password: 'Changed12345' },
  });
  expectStatus(res, 200);
  assert.equal((await other.get('/admin/users/me')).status, 401);
  expectStatus(await ctx.admin.get('/admin/users/me'), 200);
  const again = await login(ctx.server, ADMIN.email, 'Changed12345');
  expectStatus(await again.get('/admin/users/me'), 200);
});

test("an administrator setting another user's password ends that user's sessions", async () => {
  const editor = await createUser(ctx.admin, { roles: [await roleId(ctx.admin, EDITOR)] });
  const session = await login(ctx.server, editor.email, PASSWORD);
  expectStatus(await session.get('/admin/users/me'), 200);
  expectStatus(await ctx.admin.put(`/admin/users/${editor.id}`, { body: { password: 'Another12345' } }), 200);
  assert.equal((await session.get('/admin/users/me')).status, 401);
  expectStatus(await (await login(ctx.server, editor.email, 'Another12345')).get('/admin/users/me'), 200);
});

test('an administrator editing another field leaves the sessions alone', async () => {
  const editor = await createUser(ctx.admin, { roles: [await roleId(ctx.admin, EDITOR)] });
  const session = await login(ctx.server, editor.email, PASSWORD);
  expectStatus(await ctx.admin.put(`/admin/users/${editor.id}`, { body: { firstname: 'Renamed' } }), 200);
  expectStatus(await session.get('/admin/users/me'), 200);
});
