// `npm start`: the demo company's server plus the client, after `npm run build`.
// The client is the Electron app where its binary is installed, otherwise the browser host.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = path.join(root, '.flurfunk-demo');
const serverLog = path.join(demoDir, 'server.log');
const preferredServerPort = 4100;
const demoAccounts =
  'Demo accounts: lena.weber, jonas.becker, petra.koch, admin (password for all: flurfunk-demo).';

const children = new Set();
let stopping = false;

// Children get a process group of their own so Ctrl+C reaches only this script, which then stops
// each of them exactly once (the server treats a second signal as "quit without cleaning up").
function run(command, args, options) {
  const child = spawn(command, args, { cwd: root, detached: true, ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  if (exitCode === 0) console.log('Stopping Flurfunk…');
  const exits = [...children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), sleep(10_000)]);
  for (const child of children) child.kill('SIGKILL');
  process.exit(exitCode);
}

function fail(message) {
  console.error(message);
  return stopAll(1);
}

/** The preferred port if it is free, otherwise one the OS picks. */
function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => {
        const { port: bound } = probe.address();
        probe.close(() => resolve(bound));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}

async function startDemoServer() {
  mkdirSync(demoDir, { recursive: true });
  const port = await freePort(preferredServerPort);
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(serverLog, { flags: 'a' });
  await new Promise((resolve) => log.once('open', resolve));
  const args = [
    'dist/server/cli.js',
    '--demo',
    '--data-dir',
    path.join(demoDir, 'server'),
    '--port',
    String(port),
  ];
  const server = run(process.execPath, args, { stdio: ['ignore', log, log] });
  let exited = false;
  server.once('exit', (code) => {
    exited = true;
    if (!stopping) void fail(`The demo server stopped (exit code ${code}). Its log: ${serverLog}`);
  });
  // The first start creates the database and the demo company: give it time.
  for (let waited = 0; waited < 120_000 && !exited; waited += 250) {
    const healthy = await fetch(`${url}/api/v1/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return url;
    await sleep(250);
  }
  if (!exited) await fail(`The demo server did not become ready within two minutes. Its log: ${serverLog}`);
  return url;
}

/** The Electron binary's path, or null where it was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD). */
function electronBinary() {
  try {
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function startElectron(binary, serverUrl) {
  console.log('Starting the Flurfunk desktop app…');
  console.log(
    'If it fails with "NODE_MODULE_VERSION", run `npx electron-builder install-app-deps` once: npm built the native modules for Node, not Electron (see build/README.md).',
  );
  console.log(demoAccounts);
  const app = run(binary, ['.'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      FLURFUNK_DEFAULT_SERVER_URL: serverUrl,
      FLURFUNK_USER_DATA_DIR: path.join(demoDir, 'client'),
    },
  });
  app.once('exit', (code) => void stopAll(code ?? 0));
}

function startBrowserHost(serverUrl) {
  console.log('Electron is not installed here, so Flurfunk is served to your browser by the browser host.');
  const args = [
    'dist/browser-host/cli.js',
    '--default-server-url',
    serverUrl,
    '--user-data-dir',
    path.join(demoDir, 'client'),
  ];
  const host = run(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let announced = false;
  createInterface({ input: host.stdout }).on('line', (line) => {
    console.log(line);
    if (!announced) {
      announced = true;
      console.log(demoAccounts);
      console.log('Press Ctrl+C to stop Flurfunk.');
    }
  });
  host.once('exit', (code) => {
    if (!stopping) void fail(`The browser host stopped (exit code ${code}).`);
  });
}

const missing = [
  'dist/server/cli.js',
  'dist/browser-host/cli.js',
  'dist/core/worker.js',
  'dist/renderer/index.html',
].filter((file) => !existsSync(path.join(root, file)));
if (missing.length > 0) {
  console.error(
    `Flurfunk is not built yet (missing ${missing.join(', ')}). Run \`npm start\`, which builds first.`,
  );
  process.exit(1);
}

// Linux without a desktop session has no Secret Service to keep the cache key in: run the demo
// with a private gnome-keyring whose (still encrypted) keyring file stays in .flurfunk-demo/.
if (
  process.platform === 'linux' &&
  !process.env.DBUS_SESSION_BUS_ADDRESS &&
  !process.env.FLURFUNK_KEYRING_READY
) {
  console.log(
    'No desktop keychain is running: the demo uses its own gnome-keyring in .flurfunk-demo/keyring.',
  );
  const withKeyring = spawn(
    path.join(root, 'scripts/with-keyring.sh'),
    [process.execPath, fileURLToPath(import.meta.url)],
    {
      stdio: 'inherit',
      env: { ...process.env, FLURFUNK_KEYRING_DIR: path.join(demoDir, 'keyring') },
    },
  );
  // Ctrl+C reaches the child through the terminal's process group; it stops itself.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => withKeyring.kill(signal));
  withKeyring.once('exit', (code) => process.exit(code ?? 0));
} else {
  await main();
}

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));

  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  console.log(`Flurfunk ${version}: starting the demo company's server…`);
  const serverUrl = await startDemoServer();
  if (!stopping) {
    console.log(`Demo server ready at ${serverUrl} (log: ${path.relative(root, serverLog)}).`);
    const binary = electronBinary();
    if (binary) startElectron(binary, serverUrl);
    else startBrowserHost(serverUrl);
  }
}
