/**
 * Entry of the core's worker thread (built to dist/core/worker.js): runs `createCore` with the
 * options from `workerData` and serves it over the thread's message port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCore } from './core.js';
import { logError } from './log.js';
import { WorkerOptions } from './core-options.js';
import { HostMessage } from './worker/frames.js';
import type { WorkerMessage } from './worker/frames.js';

const port = parentPort;
if (!port) throw new Error('worker.js runs only as a worker thread');
const post = (message: WorkerMessage): void => port.postMessage(message);

try {
  const core = await createCore(WorkerOptions.parse(workerData));
  core.onEvent((event, payload) => post({ event, payload }));
  port.on('message', (raw: unknown) => {
    const message = HostMessage.safeParse(raw);
    if (!message.success) {
      logError('worker message', new Error('dropped a message that is not a core call'));
      return;
    }
    if ('type' in message.data) {
      const request = message.data;
      if (request.type === 'readMedia') {
        void core
          .readMedia(request.fileId, request.variant)
          .then((result) => post({ id: request.id, result }));
      } else if (request.type === 'uploadMedia') {
        const { name, mediaType, bytes } = request;
        void core.uploadMedia({ name, mediaType, bytes }).then((result) => post({ id: request.id, result }));
      } else if (request.type === 'readAppearanceFile') {
        void core.readAppearanceFile(request.path).then((result) => post({ id: request.id, result }));
      } else if (request.type === 'readDataExport') {
        void core.readDataExport().then((result) => post({ id: request.id, result }));
      } else if (request.type === 'uploadBrandAsset') {
        const { slot, mediaType, bytes } = request;
        void core
          .uploadBrandAsset(slot, { mediaType, bytes })
          .then((result) => post({ id: request.id, result }));
      } else {
        void core.close().finally(() => {
          post({ type: 'closed' });
          port.close();
        });
      }
      return;
    }
    const { id, method, args } = message.data;
    void core.invoke(method, args).then((result) => post({ id, result }));
  });
  post({ type: 'ready' });
} catch (error) {
  logError('worker start', error);
  post({ type: 'startFailed', message: error instanceof Error ? error.message : 'the core did not start' });
  port.close();
}
