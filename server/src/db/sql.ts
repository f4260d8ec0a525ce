/**
 * A timestamptz as the protocol's ISO string: always UTC with microseconds, whatever the session's
 * time zone, so clients can order by the string.
 */
export function isoTimestamp(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
