import { parseArgs } from 'node:util';
import { startServer } from './index.js';

const usage = `Usage: flurfunk-server [options]

Options:
  --data-dir DIR         embedded database directory (env FLURFUNK_DATA_DIR)
  --port N               port to listen on, 0 = any free one (env PORT; default 4100)
  --host H               address to listen on (default 127.0.0.1)
  --demo                 seed the demo company once
  --demo-size N          number of demo employees (implies --demo)
  --log-level L          pino level: fatal, error, warn, info, debug, trace, silent (env LOG_LEVEL)
  --auth-rate-limit N    requests to /api/v1/auth/* per client address and minute (default 100)
  --help                 show this help

Environment:
  DATABASE_URL           PostgreSQL connection string; used instead of the embedded database
  FLURFUNK_JWT_SECRET    access-token signing key, base64, at least 32 bytes
                         (e.g. \`openssl rand -base64 32\`). Replaces the key kept in the database;
                         give every instance the same one.

Flags win over environment variables.`;

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
      'auth-rate-limit': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = values['data-dir'] ?? (process.env.FLURFUNK_DATA_DIR || undefined);
  if (!databaseUrl && !dataDir) {
    throw new Error(
      'Set --data-dir DIR (or FLURFUNK_DATA_DIR) for the embedded database, or DATABASE_URL for PostgreSQL (see --help).',
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
    jwtSecret: process.env.FLURFUNK_JWT_SECRET || undefined,
    authRequestsPerMinute: integer('--auth-rate-limit', values['auth-rate-limit']),
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
