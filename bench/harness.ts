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
