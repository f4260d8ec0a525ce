import { type AddressInfo, createServer } from 'node:net';
import { expect, it } from 'vitest';
import pg from 'pg';
import { describeEachStorage } from '../support/server-backends.js';
import { apiClient } from '../support/server-client.js';

describeEachStorage('server lifecycle', (backend) => {
  it('fails to start on a port in use and leaves nothing open behind', async () => {
    const occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    const { port } = occupied.address() as AddressInfo;
    const storage = await backend.newStorage();

    await expect(backend.start({ port }, storage)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await new Promise((resolve) => occupied.close(resolve));

    if ('databaseUrl' in storage) {
      // The failed instance's connection pool is closed: the database has no sessions but ours.
      const client = new pg.Client({ connectionString: storage.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ others: number }>(
          'SELECT count(*)::int AS others FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        expect(rows[0]?.others).toBe(0);
      } finally {
        await client.end();
      }
    }
    // Its database is free for a server that can start.
    const retried = await backend.start({}, storage);
    expect((await apiClient(retried.url).get('/api/v1/health')).status).toBe(200);
  });
});
