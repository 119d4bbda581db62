// The token CLI: --json output shapes (the Admin API's `data`), validation
// errors as Strapi's error envelope with exit status 1, usage errors with
// exit status 2 (transcript §3-§6, §14; strapi-api-tokens.md §2).

import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';

import {
  ACCESS_KEY, DAY_MS, ISO_DATETIME, expectCliError, setup, uniq,
} from './lib/harness.mjs';

const A = (action) => `api::article.article.${action}`;

const TOKEN_KEYS = [
  'id', 'kind', 'name', 'description', 'lastUsedAt', 'type', 'lifespan', 'expiresAt',
  'createdAt', 'updatedAt', 'permissions',
];
const LIFESPAN_MESSAGE = 'lifespan must be one of the following values: , 604800000, 2592000000, 7776000000';
const TYPE_MESSAGE = 'type must be one of the following values: read-only, full-access, custom';

let ctx;
let cli;
let cliError;

before(async () => {
  ctx = await setup();
  cli = (args) => ctx.project.cli(args);
  cliError = (args) => ctx.project.cliError(args);
});

after(async () => {
  await ctx?.teardown();
});

function assertNear(iso, expectedMs, slackMs, what) {
  assert.match(iso, ISO_DATETIME, what);
  const d = Date.parse(iso) - expectedMs;
  assert.ok(Math.abs(d) <= slackMs, `${what}: ${iso} is ${d} ms away from ${new Date(expectedMs).toISOString()}`);
}

describe('create', () => {
  test('read-only, unlimited: full shape in Admin API key order', () => {
    const name = uniq('ro');
    const t0 = Date.now();
    const t = cli(['token', 'create', '--name', name, '--description', 'read only', '--type', 'read-only']);
    assert.deepEqual(Object.keys(t), [...TOKEN_KEYS, 'accessKey']);
    assert.equal(typeof t.id, 'number');
    assert.equal(t.kind, 'content-api');
    assert.equal(t.name, name);
    assert.equal(t.description, 'read only');
    assert.equal(t.lastUsedAt, null);
    assert.equal(t.type, 'read-only');
    assert.equal(t.lifespan, null);
    assert.equal(t.expiresAt, null);
    assertNear(t.createdAt, t0, 5000, 'createdAt');
    assert.equal(t.updatedAt, t.createdAt);
    assert.deepEqual(t.permissions, []);
    assert.match(t.accessKey, ACCESS_KEY);
  });

  test('without --type the token is read-only and description defaults to ""', () => {
    const t = cli(['token', 'create', '--name', uniq('notype')]);
    assert.equal(t.type, 'read-only');
    assert.equal(t.description, '');
  });

  for (const [flag, ms] of [['7d', 7], ['30d', 30], ['90d', 90]]) {
    test(`--lifespan ${flag}: lifespan "${ms * DAY_MS}" and expiresAt = createdAt + ${ms} days`, () => {
      const t0 = Date.now();
      const t = cli(['token', 'create', '--name', uniq(flag), '--type', 'full-access', '--lifespan', flag]);
      assert.equal(t.lifespan, String(ms * DAY_MS));
      assert.equal(Date.parse(t.expiresAt) - Date.parse(t.createdAt), ms * DAY_MS);
      assertNear(t.expiresAt, t0 + ms * DAY_MS, 5000, 'expiresAt');
    });
  }

  test('--lifespan unlimited: lifespan null, expiresAt null', () => {
    const t = cli(['token', 'create', '--name', uniq('unl'), '--lifespan', 'unlimited']);
    assert.equal(t.lifespan, null);
    assert.equal(t.expiresAt, null);
  });

  test('custom with permissions lists them', () => {
    const t = cli(['token', 'create', '--name', uniq('cu'), '--type', 'custom',
      '--permission', A('find'), '--permission', A('findOne')]);
    assert.equal(t.type, 'custom');
    assert.deepEqual([...t.permissions].sort(), [A('find'), A('findOne')]);
  });

  test('custom with homepage and product actions', () => {
    const perms = ['api::homepage.homepage.find', 'api::homepage.homepage.update', 'api::product.product.delete'];
    const t = cli(['token', 'create', '--name', uniq('cu'), '--type', 'custom',
      ...perms.flatMap((p) => ['--permission', p])]);
    assert.deepEqual([...t.permissions].sort(), [...perms].sort());
  });

  test('full-access with no permissions', () => {
    const t = cli(['token', 'create', '--name', uniq('fa'), '--type', 'full-access']);
    assert.equal(t.type, 'full-access');
    assert.deepEqual(t.permissions, []);
  });

  test('name and description are trimmed', () => {
    const name = uniq('padded');
    const t = cli(['token', 'create', '--name', `  ${name}  `, '--description', '  d  ']);
    assert.equal(t.name, name);
    assert.equal(t.description, 'd');
  });

  test('every key is new', () => {
    const a = cli(['token', 'create', '--name', uniq('k')]);
    const b = cli(['token', 'create', '--name', uniq('k')]);
    assert.notEqual(a.accessKey, b.accessKey);
    assert.ok(b.id > a.id);
  });
});

describe('create: validation errors (exit 1, error envelope)', () => {
  test('duplicate name -> ApplicationError "Name already taken"', () => {
    const name = uniq('dup');
    cli(['token', 'create', '--name', name]);
    expectCliError(cliError(['token', 'create', '--name', name]), 400, 'ApplicationError', 'Name already taken');
  });

  test('duplicate name after trimming -> "Name already taken"', () => {
    const name = uniq('dup');
    cli(['token', 'create', '--name', name]);
    expectCliError(cliError(['token', 'create', '--name', ` ${name} `]), 400, 'ApplicationError', 'Name already taken');
  });

  test('a default token name is taken too', () => {
    expectCliError(cliError(['token', 'create', '--name', 'Read Only']), 400, 'ApplicationError', 'Name already taken');
  });

  test('names are case-sensitive: differing only by case is allowed', () => {
    const name = uniq('case');
    cli(['token', 'create', '--name', name]);
    assert.equal(cli(['token', 'create', '--name', name.toUpperCase()]).name, name.toUpperCase());
  });

  for (const [label, name] of [['empty', ''], ['blank', '   ']]) {
    test(`${label} name -> "2 errors occurred"`, () => {
      const errors = ['name must be at least 1 characters', 'name is a required field']
        .map((message) => ({ path: ['name'], message, name: 'ValidationError', value: '' }));
      expectCliError(cliError(['token', 'create', '--name', name]), 400, 'ValidationError', '2 errors occurred', { errors });
    });
  }

  test('invalid type -> type oneOf error with the value', () => {
    expectCliError(cliError(['token', 'create', '--name', uniq('bad'), '--type', 'admin']), 400, 'ValidationError',
      TYPE_MESSAGE, { errors: [{ path: ['type'], message: TYPE_MESSAGE, name: 'ValidationError', value: 'admin' }] });
  });

  test('custom without permissions -> "Missing permissions attribute for custom token"', () => {
    expectCliError(cliError(['token', 'create', '--name', uniq('bad'), '--type', 'custom']), 400, 'ValidationError',
      'Missing permissions attribute for custom token');
  });

  test('unknown permission -> "Unknown permissions provided: X"', () => {
    expectCliError(
      cliError(['token', 'create', '--name', uniq('bad'), '--type', 'custom', '--permission', 'api::nope.nope.find']),
      400, 'ValidationError', 'Unknown permissions provided: api::nope.nope.find',
    );
  });

  test('an action a single type does not have is unknown', () => {
    expectCliError(
      cliError(['token', 'create', '--name', uniq('bad'), '--type', 'custom', '--permission', 'api::homepage.homepage.create']),
      400, 'ValidationError', 'Unknown permissions provided: api::homepage.homepage.create',
    );
  });

  test('permissions on a read-only token -> "Non-custom tokens should not reference permissions"', () => {
    expectCliError(
      cliError(['token', 'create', '--name', uniq('bad'), '--type', 'read-only', '--permission', A('find')]),
      400, 'ValidationError', 'Non-custom tokens should not reference permissions',
    );
  });

  test('a failed create writes nothing', () => {
    const name = uniq('notcreated');
    cliError(['token', 'create', '--name', name, '--type', 'custom']);
    assert.ok(!cli(['token', 'list']).some((t) => t.name === name));
  });
});

describe('list', () => {
  test('sorted by name (byte order), never with accessKey', () => {
    const base = uniq('sort');
    for (const suffix of ['b', 'B', 'a', 'A', '_', 'z']) cli(['token', 'create', '--name', `${base}-${suffix}`]);
    const list = cli(['token', 'list']);
    const all = list.map((t) => t.name);
    assert.deepEqual(all, [...all].sort());
    assert.deepEqual(all.filter((n) => n.startsWith(`${base}-`)),
      ['A', 'B', '_', 'a', 'b', 'z'].map((s) => `${base}-${s}`));
    for (const t of list) {
      assert.deepEqual(Object.keys(t).sort(), [...TOKEN_KEYS].sort());
    }
  });

  test('an item equals its create output minus accessKey', () => {
    const created = cli(['token', 'create', '--name', uniq('item'), '--type', 'custom', '--permission', A('delete')]);
    const item = cli(['token', 'list']).find((t) => t.id === created.id);
    const { accessKey, ...rest } = created;
    assert.match(accessKey, ACCESS_KEY);
    assert.deepEqual(item, rest);
  });
});

describe('show', () => {
  test('show returns the token with its (viewable) accessKey', () => {
    const created = cli(['token', 'create', '--name', uniq('show'), '--lifespan', '7d']);
    const shown = cli(['token', 'show', String(created.id)]);
    assert.deepEqual(Object.keys(shown).sort(), [...TOKEN_KEYS, 'accessKey'].sort());
    assert.deepEqual(shown, created);
  });

  test('unknown id -> 404 NotFoundError "API Token not found"', () => {
    expectCliError(cliError(['token', 'show', '999999']), 404, 'NotFoundError', 'API Token not found');
  });
});

describe('update', () => {
  test('name and description; other fields unchanged; updatedAt moves', async () => {
    const t = cli(['token', 'create', '--name', uniq('upd'), '--description', 'old', '--lifespan', '30d']);
    const name = uniq('upd-new');
    const u = cli(['token', 'update', String(t.id), '--name', name, '--description', 'new']);
    assert.deepEqual(Object.keys(u).sort(), [...TOKEN_KEYS].sort());
    assert.equal(u.name, name);
    assert.equal(u.description, 'new');
    for (const k of ['id', 'kind', 'type', 'lifespan', 'expiresAt', 'createdAt', 'lastUsedAt']) {
      assert.deepEqual(u[k], t[k], k);
    }
    assert.ok(Date.parse(u.updatedAt) >= Date.parse(t.updatedAt));
  });

  test('description only keeps the name', () => {
    const t = cli(['token', 'create', '--name', uniq('upd'), '--description', 'x']);
    const u = cli(['token', 'update', String(t.id), '--description', '']);
    assert.equal(u.name, t.name);
    assert.equal(u.description, '');
  });

  test('to its own name is allowed', () => {
    const t = cli(['token', 'create', '--name', uniq('own')]);
    assert.equal(cli(['token', 'update', String(t.id), '--name', t.name]).name, t.name);
  });

  test('to another token\'s name -> "Name already taken"', () => {
    const a = cli(['token', 'create', '--name', uniq('taken')]);
    const b = cli(['token', 'create', '--name', uniq('taken')]);
    expectCliError(cliError(['token', 'update', String(b.id), '--name', a.name]), 400, 'ApplicationError', 'Name already taken');
  });

  test('empty name -> "name must be at least 1 characters"', () => {
    const t = cli(['token', 'create', '--name', uniq('empty')]);
    const message = 'name must be at least 1 characters';
    expectCliError(cliError(['token', 'update', String(t.id), '--name', '']), 400, 'ValidationError', message,
      { errors: [{ path: ['name'], message, name: 'ValidationError', value: '' }] });
  });

  test('invalid type -> type oneOf error', () => {
    const t = cli(['token', 'create', '--name', uniq('badtype')]);
    expectCliError(cliError(['token', 'update', String(t.id), '--type', 'invalid-type']), 400, 'ValidationError',
      TYPE_MESSAGE, { errors: [{ path: ['type'], message: TYPE_MESSAGE, name: 'ValidationError', value: 'invalid-type' }] });
  });

  test('permissions on a read-only token -> "Non-custom tokens should not reference permissions"', () => {
    const t = cli(['token', 'create', '--name', uniq('roperm')]);
    expectCliError(cliError(['token', 'update', String(t.id), '--permission', A('find')]), 400, 'ValidationError',
      'Non-custom tokens should not reference permissions');
  });

  test('unknown id -> 404 "API Token not found"', () => {
    expectCliError(cliError(['token', 'update', '999999', '--description', 'x']), 404, 'NotFoundError', 'API Token not found');
  });
});

describe('regenerate and delete', () => {
  test('regenerate -> {id, accessKey, kind}', () => {
    const t = cli(['token', 'create', '--name', uniq('regen')]);
    const r = cli(['token', 'regenerate', String(t.id)]);
    assert.deepEqual(Object.keys(r).sort(), ['accessKey', 'id', 'kind']);
    assert.equal(r.id, t.id);
    assert.equal(r.kind, 'content-api');
    assert.match(r.accessKey, ACCESS_KEY);
    assert.notEqual(r.accessKey, t.accessKey);
  });

  test('regenerate an unknown id -> 404 "API Token not found"', () => {
    expectCliError(cliError(['token', 'regenerate', '999999']), 404, 'NotFoundError', 'API Token not found');
  });

  test('delete returns the deleted token without accessKey; show is then 404', () => {
    const t = cli(['token', 'create', '--name', uniq('del'), '--type', 'custom', '--permission', A('find')]);
    const d = cli(['token', 'delete', String(t.id)]);
    const { accessKey, ...rest } = t;
    assert.match(accessKey, ACCESS_KEY);
    assert.deepEqual(d, rest);
    expectCliError(cliError(['token', 'show', String(t.id)]), 404, 'NotFoundError', 'API Token not found');
    assert.ok(!cli(['token', 'list']).some((x) => x.id === t.id));
  });

  test('delete an absent id -> null, exit 0', () => {
    assert.equal(cli(['token', 'delete', '999999']), null);
  });

  test('delete twice -> the token, then null', () => {
    const t = cli(['token', 'create', '--name', uniq('deltwice')]);
    assert.equal(cli(['token', 'delete', String(t.id)]).id, t.id);
    assert.equal(cli(['token', 'delete', String(t.id)]), null);
  });
});

describe('invocation', () => {
  test('--dir works from another working directory', () => {
    const r = ctx.project.run(['token', 'list', '--dir', ctx.project.dir, '--json'], { cwd: os.tmpdir() });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.json.some((t) => t.name === 'Read Only'));
  });

  test('an unknown token subcommand is a usage error (exit 2)', () => {
    assert.equal(ctx.project.run(['token', 'frobnicate']).status, 2);
  });

  test('an unknown option is a usage error (exit 2)', () => {
    assert.equal(ctx.project.run(['token', 'list', '--bogus']).status, 2);
  });

  test('show without an id is a usage error (exit 2)', () => {
    assert.equal(ctx.project.run(['token', 'show']).status, 2);
  });

  test('--name without a value is a usage error (exit 2)', () => {
    assert.equal(ctx.project.run(['token', 'create', '--name']).status, 2);
  });
});
