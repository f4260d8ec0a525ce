/** Progress and context go to stderr: stdout carries only the JSON figures. */
export function note(message: string): void {
  console.error(`[bench:feed ${(performance.now() / 1000).toFixed(1)}s] ${message}`);
}
