/**
 * The core's only log output: one JSON line per event on stderr. It takes an error, never call
 * arguments or results, so passwords, tokens and directory data cannot end up in a log.
 */
export function logError(context: string, error: unknown): void {
  const detail =
    error instanceof Error
      ? { name: error.name, message: error.message }
      : { name: typeof error, message: '' };
  process.stderr.write(
    `${JSON.stringify({ level: 'error', time: new Date().toISOString(), context, ...detail })}\n`,
  );
}
