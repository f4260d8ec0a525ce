/** A local timestamp in the server's format (UTC, microseconds), so both sort together. */
export function localTimestamp(now = new Date()): string {
  return now.toISOString().replace('Z', '000Z');
}
