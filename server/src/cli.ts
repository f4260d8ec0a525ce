import { parseArgs } from 'node:util';
import { runImportCanteenWeek } from './canteen/import/command.js';
import { runImportDirectory } from './directory/import/command.js';
import { parseTrustProxy } from './http/trust-proxy.js';
import { rotateSyncEpoch, startServer } from './index.js';

const usage = `Usage: flurfunk-server [options]
       flurfunk-server rotate-sync-epoch --data-dir DIR   (or with DATABASE_URL)
       flurfunk-server import-directory FILE [--dry-run] [--deactivate-missing] --data-dir DIR
                                                         (or with DATABASE_URL)
       flurfunk-server import-canteen-week FILE --canteen NAME [--week DATE] [--dry-run]
                                                         --data-dir DIR (or with DATABASE_URL)

Commands:
  (none)                 run the server
  rotate-sync-epoch      give the change log a new epoch, so every client discards what it synced
                         and syncs again from the start. Run it after restoring a database backup
                         (stop the server first when it uses --data-dir).
  import-directory FILE  create, update, deactivate and reactivate people, and create org units,
                         from an HR export: FILE.csv (one person per row, ";" or "," separated,
                         UTF-8, English or German headers) or FILE.json. People are matched by
                         username; running the same file again changes nothing. The whole file is
                         checked first: on any error every problem is listed with its line and
                         column, the exit code is 1 and nothing is written. Otherwise everything is
                         written in one transaction. Format: server/src/directory/import/FORMAT.md.
                         Stop the server first when it uses --data-dir.
  import-canteen-week FILE  replace a canteen's plan for one week with a kitchen system's CSV
                         export (one dish per row; closed days and holidays as rows of their
                         own). The whole file is checked first: on any error every problem is
                         listed with its line and column and nothing is written. Format:
                         server/src/canteen/import/FORMAT.md. Managers can also send the file
                         to POST /api/v1/canteens/{id}/weeks/{monday}/import.

Options:
  --data-dir DIR         embedded database directory (env FLURFUNK_DATA_DIR)
  --files-dir DIR        where uploaded files are kept (env FLURFUNK_FILES_DIR; default with
                         --data-dir: DIR-files next to it; required with DATABASE_URL for uploads)
  --max-file-size MB     the largest file the server takes, in MiB (default 100)
  --port N               port to listen on, 0 = any free one (env PORT; default 4100)
  --host H               address to listen on (default 127.0.0.1)
  --demo                 seed the demo company once
  --demo-size N          number of demo employees (implies --demo)
  --log-level L          pino level: fatal, error, warn, info, debug, trace, silent (env LOG_LEVEL)
  --login-rate-limit N   sign-in attempts per client address and minute (default 100)
  --trust-proxy V        behind a reverse proxy: whose X-Forwarded-For names the client address
                         (env FLURFUNK_TRUST_PROXY). V is a hop count (1 = the proxy right in
                         front), a comma-separated list of proxy addresses/CIDRs (e.g.
                         10.0.0.5,192.168.0.0/16, or loopback), true (trust any hop; clients can
                         then forge their address) or false (default). Without it, all clients
                         behind the proxy share one sign-in rate limit.
  --live-heartbeat S     seconds between pings on live WebSockets (default 30); a client that
                         misses a pong is dropped, a signed-out device loses its socket
  --change-log-retention D  days deletions stay in the change log (default 90); clients that
                         were offline longer sync again from a snapshot, without user action
  --canteen NAME         import-canteen-week: the canteen (its name or id)
  --week DATE            import-canteen-week: a day of the week the file must plan (default: the
                         week of the file's dates)
  --dry-run              import-directory, import-canteen-week: check the file, write nothing
  --deactivate-missing   import-directory: also deactivate every active person who is not in the
                         file (the file is then the complete list of staff; refused if it would
                         deactivate every admin)
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
  const { values, positionals } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'files-dir': { type: 'string' },
      'max-file-size': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'demo-size': { type: 'string' },
      'log-level': { type: 'string' },
      'login-rate-limit': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'live-heartbeat': { type: 'string' },
      'change-log-retention': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'deactivate-missing': { type: 'boolean', default: false },
      canteen: { type: 'string' },
      week: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const [command, ...extra] = positionals;
  const imports = ['import-directory', 'import-canteen-week'];
  const importFile = command !== undefined && imports.includes(command) ? extra.shift() : undefined;
  if (command !== undefined && imports.includes(command) && importFile === undefined) {
    throw new Error(`${command} needs the file to import (see --help)`);
  }
  if (command === 'import-canteen-week' && values.canteen === undefined) {
    throw new Error('import-canteen-week needs --canteen NAME (see --help)');
  }
  if (extra.length > 0 || (command !== undefined && !['rotate-sync-epoch', ...imports].includes(command))) {
    throw new Error(`unknown command "${positionals.join(' ')}" (see --help)`);
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = values['data-dir'] ?? (process.env.FLURFUNK_DATA_DIR || undefined);
  if (!databaseUrl && !dataDir) {
    throw new Error(
      'Set --data-dir DIR (or FLURFUNK_DATA_DIR) for the embedded database, or DATABASE_URL for PostgreSQL (see --help).',
    );
  }
  const logLevel = values['log-level'] ?? process.env.LOG_LEVEL ?? 'info';
  if (command === 'rotate-sync-epoch') {
    const epoch = await rotateSyncEpoch({ dataDir, databaseUrl, logLevel });
    console.log(`New sync epoch ${epoch}: clients will sync again from the start.`);
    return;
  }
  if (importFile !== undefined && command === 'import-canteen-week') {
    process.exitCode = await runImportCanteenWeek({
      file: importFile,
      canteen: values.canteen ?? '',
      week: values.week,
      dataDir,
      databaseUrl,
      logLevel,
      dryRun: values['dry-run'],
    });
    return;
  }
  if (importFile !== undefined) {
    process.exitCode = await runImportDirectory({
      file: importFile,
      dataDir,
      databaseUrl,
      logLevel,
      dryRun: values['dry-run'],
      deactivateMissing: values['deactivate-missing'],
    });
    return;
  }
  const trustProxy = values['trust-proxy'] ?? (process.env.FLURFUNK_TRUST_PROXY || undefined);
  const liveHeartbeatSeconds = integer('--live-heartbeat', values['live-heartbeat']);
  if (liveHeartbeatSeconds === 0) throw new Error('--live-heartbeat must be at least 1 second');
  const retentionDays = integer('--change-log-retention', values['change-log-retention']);
  const maxFileMiB = integer('--max-file-size', values['max-file-size']);
  if (maxFileMiB === 0) throw new Error('--max-file-size must be at least 1 MiB');
  if (retentionDays === 0) throw new Error('--change-log-retention must be at least 1 day');
  const server = await startServer({
    port: integer('--port', values.port ?? (process.env.PORT || undefined)) ?? 4100,
    host: values.host ?? '127.0.0.1',
    dataDir,
    databaseUrl,
    demo: values.demo,
    demoSize: integer('--demo-size', values['demo-size']),
    logLevel,
    jwtSecret: process.env.FLURFUNK_JWT_SECRET || undefined,
    loginAttemptsPerMinute: integer('--login-rate-limit', values['login-rate-limit']),
    trustProxy: trustProxy === undefined ? undefined : parseTrustProxy(trustProxy),
    liveHeartbeatMs: liveHeartbeatSeconds === undefined ? undefined : liveHeartbeatSeconds * 1000,
    changeLogRetentionMs: retentionDays === undefined ? undefined : retentionDays * 24 * 60 * 60 * 1000,
    filesDir: values['files-dir'] ?? (process.env.FLURFUNK_FILES_DIR || undefined),
    maxFileBytes: maxFileMiB === undefined ? undefined : maxFileMiB * 1024 * 1024,
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
