import { directoryAuthChangeLog } from './0001-directory-auth-change-log.js';
import { scopesChatMutations } from './0002-scopes-chat-mutations.js';
import { refreshTokenSiblings } from './0003-refresh-token-siblings.js';
import { livePresence } from './0004-live-presence.js';
import { feed } from './0005-feed.js';
import { feedCommentsPolls } from './0006-feed-comments-polls.js';
import { files } from './0007-files.js';
import { chatMessages } from './0008-chat-messages.js';
import { directoryProfiles } from './0009-directory-profiles.js';
import { canteen } from './0010-canteen.js';
import { branding } from './0011-branding.js';
import { accountDevicesExport } from './0012-account-devices-export.js';

export interface Migration {
  /** Strictly increasing, never reused; a released migration is never edited. */
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  directoryAuthChangeLog,
  scopesChatMutations,
  refreshTokenSiblings,
  livePresence,
  feed,
  feedCommentsPolls,
  files,
  chatMessages,
  directoryProfiles,
  canteen,
  branding,
  accountDevicesExport,
];
