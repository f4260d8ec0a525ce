import { appearanceStylesheetPath } from '@flurfunk/protocol';

/** The `<link>` index.html gets at build time (renderer/vite.config.ts), so it is there at first paint. */
export const appearanceLinkId = 'ff-appearance';

/** What the stylesheet the hosts serve depends on: the branding's revision and the theme. */
const shown: { brandingRevision: number | null; theme: string | null } = {
  brandingRevision: null,
  theme: null,
};

/**
 * Loads the appearance stylesheet anew once the branding or the theme it was made of changed: the
 * core builds it from both, and a new address makes the browser fetch it.
 */
export function appearanceChanged(change: { brandingRevision?: number; theme?: string }): void {
  const next = { ...shown, ...change };
  if (next.brandingRevision === shown.brandingRevision && next.theme === shown.theme) return;
  Object.assign(shown, next);
  const link = document.getElementById(appearanceLinkId);
  if (!(link instanceof HTMLLinkElement)) return;
  const query = new URLSearchParams({
    revision: String(next.brandingRevision ?? 0),
    theme: next.theme ?? 'system',
  });
  link.setAttribute('href', `${appearanceStylesheetPath}?${query.toString()}`);
}
