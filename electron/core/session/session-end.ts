import { isCoreError } from '../errors.js';
import type { SessionEndReason } from '../sync/live-channel.js';

/** Whether an error means the server ended the session, and how; null for any other error. */
export function sessionEndReason(error: unknown): SessionEndReason | null {
  if (isCoreError(error, 'device_revoked')) return 'revoked';
  if (isCoreError(error, 'session_expired')) return 'expired';
  return null;
}
