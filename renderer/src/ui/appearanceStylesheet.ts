import { appearanceLinkId, appearanceStylesheetPath } from '@flurfunk/protocol';

/**
 * What the stylesheet the hosts serve depends on: the branding (its revision and time: another
 * server may have reached the same revision) and the theme.
 */
const shown: { branding: string | null; theme: string | null } = { branding: null, theme: null };

/**
 * Loads the appearance stylesheet anew once the branding or the theme it was made of changed: the
 * core builds it from both, and a new address makes the browser fetch it.
 */
export function appearanceChanged(change: { branding?: string; theme?: string }): void {
  const next = { ...shown, ...change };
  if (next.branding === shown.branding && next.theme === shown.theme) return;
  Object.assign(shown, next);
  const link = document.getElementById(appearanceLinkId);
  if (!(link instanceof HTMLLinkElement)) return;
  const query = new URLSearchParams({
    branding: next.branding ?? 'built-in',
    theme: next.theme ?? 'system',
  });
  link.setAttribute('href', `${appearanceStylesheetPath}?${query.toString()}`);
}
