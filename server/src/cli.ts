/**
 * `npm run server -- --port N --data-dir DIR [--demo] [--demo-size N] [--host H] [--log-level L]`
 * Environment: FLURFUNK_DATA_DIR, PORT, DATABASE_URL, LOG_LEVEL (flags win).
 */
import { parseArgs } from 'node:util';
import { startServer } from './index.js';

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'demo-size': { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: true,
  });
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = values['data-dir'] ?? (process.env.FLURFUNK_DATA_DIR || undefined);
  if (!databaseUrl && !dataDir) {
    throw new Error(
      'Set --data-dir DIR (or FLURFUNK_DATA_DIR) for the embedded database, or DATABASE_URL for PostgreSQL.',
    );
  }
  const server = await startServer({
    port: integer('--port', values.port ?? (process.env.PORT || undefined)) ?? 4100,
    host: values.host ?? '127.0.0.1',
    dataDir,
    databaseUrl,
    demo: values.demo,
    demoSize: integer('--demo-size', values['demo-size']),
    logLevel: values['log-level'] ?? process.env.LOG_LEVEL ?? 'info',
  });
  console.log(`Flurfunk server listening on ${server.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: the operator does not want to wait
    stopping = true;
    console.log(`${signal} received, shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`flurfunk server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
