import { foldForSearch } from '@flurfunk/protocol';
import type { CacheDatabase } from '../cache/database.js';

/**
 * A phone number as people type it: as written, its digits run together, and for German numbers
 * the national form (`+49 521 58902-123` → `4952158902123 052158902123`), so "0521 58902" and
 * "58902123" find it.
 */
export function phoneSearchForms(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits === '') return '';
  const national = phone.trim().startsWith('+49') ? `0${digits.slice(2)}` : '';
  return [phone, digits, national].filter((form) => form !== '').join(' ');
}

/**
 * The SQL functions people_search's triggers use (cache migration 8). Registered on every
 * connection before the schema is touched: a write to `people` without them fails.
 */
export function registerSearchFunctions(db: CacheDatabase): void {
  db.function('fold_for_search', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? foldForSearch(text) : '',
  );
  db.function('phone_search_forms', { deterministic: true }, (phone: unknown) =>
    typeof phone === 'string' ? phoneSearchForms(phone) : '',
  );
}
