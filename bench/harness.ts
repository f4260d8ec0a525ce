/**
 * Benchmark harness: every figure is printed as one JSON line `{name, value, unit, baseline, ratio}`,
 * where `baseline` is the same work measured in the same run on a reference setup, so results stay
 * comparable across machines of different speed.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

/** Median wall time in milliseconds of `runs` calls of `fn`, after `warmup` unmeasured calls. */
export function medianMs(fn: () => void, runs: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

export function report(name: string, unit: string, value: number, baseline: number): BenchResult {
  const result = {
    name,
    value: round(value),
    unit,
    baseline: round(baseline),
    ratio: round(value / baseline),
  };
  console.log(JSON.stringify(result));
  return result;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Progress and context of a suite, on stderr: stdout carries only the JSON figures. */
export function noteFor(suite: string): (message: string) => void {
  return (message) => console.error(`[bench:${suite} ${(performance.now() / 1000).toFixed(1)}s] ${message}`);
}

/** A size from the environment (an integer of at least `minimum`), or `fallback` when unset. */
export function sizeFromEnv(name: string, fallback: number, minimum = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`${name} must be an integer of at least ${minimum}, got "${raw}"`);
  return value;
}

export type BenchGroups = ReadonlyArray<[string, () => void | Promise<void>]>;

/** Runs the groups the environment variable names (comma-separated), or all of them. */
export async function runPickedGroups(variable: string, groups: BenchGroups): Promise<void> {
  const picked = (process.env[variable] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of picked) {
    if (!groups.some(([group]) => group === name))
      throw new Error(`${variable} names ${groups.map(([group]) => group).join(' and ')}, got "${name}"`);
  }
  for (const [name, run] of groups) if (picked.length === 0 || picked.includes(name)) await run();
}
