// A worker thread that starts like the core worker and then dies on its first call: lets the
// tests prove that the host answers pending calls with an error instead of waiting forever.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {
  setTimeout(() => {
    throw new Error('the core crashed');
  }, 10);
});
parentPort.postMessage({ type: 'ready' });
