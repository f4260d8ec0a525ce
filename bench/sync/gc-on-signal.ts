/**
 * Preloaded into the benchmark's server processes (with `--expose-gc`): SIGUSR2 runs full garbage
 * collections and answers on stderr with the heap's size, so memory is read from a settled heap
 * instead of whatever garbage happened to be around. The server's own code is untouched.
 */
export const gcDoneMarker = 'bench:gc-done';

/**
 * V8 gives back young-generation memory only after several collections in a row; on its own it
 * gets there some seconds after a burst of work. This many forced ones get there at once, so two
 * readings a second apart agree (checked: RSS then stays within a few hundred KiB).
 */
const collections = 12;

process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < collections; i++) gc?.();
  const { heapUsed, external } = process.memoryUsage();
  process.stderr.write(`${gcDoneMarker} ${heapUsed + external}\n`);
});
