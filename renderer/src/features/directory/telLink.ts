/** A `tel:` URL for a phone number as people write it ("+49 711 1234-56" → "tel:+49711123456"). */
export function telHref(phone: string): string | null {
  const digits = phone.replace(/[^\d+]/g, '');
  return /\d/.test(digits) ? `tel:${digits}` : null;
}
