// PostgreSQL connections dropped under a running server (a restart, a
// failover, pg_terminate_backend): requests that need the database get 503
// in the error envelope or succeed after a reconnect, the server never
// crashes, nothing acknowledged is lost, and the change listener comes back.
// Runs only when the suite runs on PostgreSQL (TOLLGATE_TEST_PG_URL).

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ANY_DETAILS, PG_URL, createProject, expectError, expectStatus, pgSchemaFor, psql, waitFor,
} from './lib/harness.mjs';

const SKIP = PG_URL ? false : 'runs on PostgreSQL only (TOLLGATE_TEST_PG_URL)';

describe('PostgreSQL connections dropped under load', { skip: SKIP }, () => {
  let project;
  let server;
  let full;
  const app = `tg_outage_${process.pid}`;

  const kill = () => Number(psql(
    `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '${app}'`,
  ));

  before(async () => {
    project = await createProject();
    // this project's connections carry a name of their own, so the test
    // can drop exactly them
    const envFile = path.join(project.dir, '.env');
    const sep = PG_URL.includes('?') ? '&' : '?';
    const env = (await fsp.readFile(envFile, 'utf8'))
      .replace(/^DATABASE_URL=.*$/m, `DATABASE_URL=${PG_URL}${sep}application_name=${app}`);
    await fsp.writeFile(envFile, env);
    server = await project.start();
    full = project.token({ type: 'full-access' }).accessKey;
  });

  after(async () => {
    await server?.stop(); // asserts a clean exit: no crash
    await project?.cleanup();
  });

  test('requests get 503 or succeed, acknowledged writes are kept, and service resumes', async () => {
    expectStatus(await server.get('/api/articles', { token: full }), 200);
    let created = 0;
    let unavailable = 0;
    for (let round = 0; round < 3; round += 1) {
      assert.ok(kill() >= 1, 'no connection of the server was found to drop');
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2
        ? server.post('/api/articles', { token: full, body: { data: { title: `r${round}-${i}` } } })
        : server.get('/api/articles', { token: full }))));
      for (const res of results) {
        if (res.status === 503) {
          expectError(res, 503, 'ServiceUnavailableError', /.+/, ANY_DETAILS);
          unavailable += 1;
        } else if (res.method === 'POST') {
          expectStatus(res, 201);
          created += 1;
        } else {
          expectStatus(res, 200);
        }
      }
    }
    // service resumes once connections are open again
    await waitFor(async () => (await server.get('/api/articles', { token: full })).status === 200,
      { timeoutMs: 10_000, intervalMs: 50, what: 'the server to reconnect' });
    const res = await server.post('/api/articles', { token: full, body: { data: { title: 'after' } } });
    expectStatus(res, 201);
    created += 1;
    // every acknowledged create is in the database, nothing more
    const rows = Number(psql('SELECT COUNT(*) FROM articles', { schema: pgSchemaFor(project.dir) }));
    assert.equal(rows, created, `${created} creates acknowledged, ${rows} rows stored (${unavailable} answered 503)`);
  });

  test('the change listener reconnects: a token deleted afterwards stops within 1 s', async () => {
    const t = project.token({ type: 'read-only' });
    expectStatus(await server.get('/api/articles', { token: t.accessKey }), 200);
    kill();
    await waitFor(async () => (await server.get('/api/articles', { token: full })).status === 200,
      { timeoutMs: 10_000, intervalMs: 50, what: 'the server to reconnect' });
    // deleted behind the server's back, by SQL: only the listener (or its
    // periodic check) can tell the server
    psql(`DELETE FROM strapi_api_tokens WHERE id = ${t.id}`, { schema: pgSchemaFor(project.dir) });
    await waitFor(async () => (await server.get('/api/articles', { token: t.accessKey })).status === 401,
      { timeoutMs: 1000, intervalMs: 20, what: 'the deleted token to be refused' });
  });
});
