import { Worker } from 'node:worker_threads';
import { BrandingSaved, FileMeta, events, isEventName } from '@flurfunk/protocol';
import { z } from 'zod';
import type { IpcResult } from '@flurfunk/protocol';
import type { WorkerOptions } from '../core-options.js';
import type { Core } from '../core.js';
import { EventHub } from '../events.js';
import { logError } from '../log.js';
import { BrandFile, DataExportFile, HostMessage, WorkerMessage } from './frames.js';

/** What the worker answers for a media file: its meta and its bytes. */
const MediaFileShape = z
  .object({ meta: FileMeta, bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array) })
  .strict();

/** How long `close()` waits for the worker to shut its cache down before terminating it. */
const closeTimeoutMs = 10_000;

/**
 * Starts the core in a worker thread (`workerUrl` is the built dist/core/worker.js) and returns the
 * same `Core` interface as `createCore`. If the worker dies, pending and later calls resolve to an
 * `internal` error instead of hanging.
 */
export function startCoreWorker(options: WorkerOptions, workerUrl: URL): Promise<Core> {
  const worker = new Worker(workerUrl, { workerData: options });
  const hub = new EventHub();
  const pending = new Map<number, (result: IpcResult<unknown>) => void>();
  let nextId = 0;
  let failure: string | null = null;
  let closing: Promise<void> | null = null;

  const fail = (reason: string): void => {
    failure ??= reason;
    for (const resolve of pending.values()) resolve(internalError(failure));
    pending.clear();
  };

  const send = (message: HostMessage): void => worker.postMessage(message);

  /** Sends a media request and waits for its answer, like a call. */
  const request = (message: HostMessage & { id: number }): Promise<IpcResult<unknown>> => {
    if (failure !== null) return Promise.resolve(internalError(failure));
    // The worker drops what does not fit its frames without an answer: such a request would wait forever.
    if (!HostMessage.safeParse(message).success) {
      return Promise.resolve({ ok: false, error: { code: 'invalid_args', message: 'not a valid request' } });
    }
    return new Promise((resolve) => {
      pending.set(message.id, resolve);
      send(message);
    });
  };

  const core: Core = {
    invoke(method, args) {
      if (failure !== null) return Promise.resolve(internalError(failure));
      const id = nextId++;
      const call = HostMessage.safeParse({ id, method, args });
      if (!call.success) {
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown_method', message: 'not a method name' },
        });
      }
      return new Promise((resolve) => {
        pending.set(id, resolve);
        try {
          send(call.data);
        } catch (error) {
          // Arguments that cannot be cloned across threads (functions, for instance).
          pending.delete(id);
          resolve({
            ok: false,
            error: { code: 'invalid_args', message: `arguments cannot be sent: ${String(error)}` },
          });
        }
      });
    },
    readMedia: (fileId, variant = 'original') =>
      request({ type: 'readMedia', id: nextId++, fileId, variant }).then((result) =>
        result.ok ? { ok: true, value: MediaFileShape.parse(result.value) } : result,
      ),
    uploadMedia: (file) =>
      request({ type: 'uploadMedia', id: nextId++, ...file }).then((result) =>
        result.ok ? { ok: true, value: FileMeta.parse(result.value) } : result,
      ),
    readAppearanceFile: (path) =>
      request({ type: 'readAppearanceFile', id: nextId++, path }).then((result) =>
        result.ok ? { ok: true, value: BrandFile.parse(result.value) } : result,
      ),
    readDataExport: () =>
      request({ type: 'readDataExport', id: nextId++ }).then((result) =>
        result.ok ? { ok: true, value: DataExportFile.parse(result.value) } : result,
      ),
    uploadBrandAsset: (slot, file) =>
      request({ type: 'uploadBrandAsset', id: nextId++, slot, ...file }).then((result) =>
        result.ok ? { ok: true, value: BrandingSaved.parse(result.value) } : result,
      ),
    onEvent: (listener) => hub.subscribe(listener),
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (failure !== null) return resolve();
        const timer = setTimeout(() => void worker.terminate(), closeTimeoutMs);
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        send({ type: 'close' });
      });
      return closing;
    },
  };

  return new Promise<Core>((resolve, reject) => {
    worker.on('message', (raw: unknown) => {
      const parsed = WorkerMessage.safeParse(raw);
      if (!parsed.success) {
        logError('core worker', new Error('dropped a message that is not a core reply'));
        return;
      }
      const message = parsed.data;
      if ('type' in message) {
        if (message.type === 'ready') resolve(core);
        else if (message.type === 'startFailed')
          reject(new Error(`the core did not start: ${message.message}`));
        return;
      }
      if ('id' in message) {
        const settle = pending.get(message.id);
        pending.delete(message.id);
        settle?.(message.result as IpcResult<unknown>);
        return;
      }
      if (isEventName(message.event) && events[message.event].safeParse(message.payload).success) {
        hub.emitUnchecked(message.event, message.payload);
      } else {
        logError('core worker', new Error(`dropped an invalid event ${message.event}`));
      }
    });
    worker.on('error', (error) => {
      logError('core worker', error);
      fail(`the core stopped: ${error.message}`);
      reject(error);
    });
    worker.on('exit', (code) => {
      fail(closing ? 'the core is closed' : `the core exited with code ${code}`);
      reject(new Error(`the core worker exited with code ${code} before it was ready`));
    });
  });
}

function internalError(message: string): IpcResult<unknown> {
  return { ok: false, error: { code: 'internal', message } };
}
