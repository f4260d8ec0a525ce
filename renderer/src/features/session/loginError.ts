import type { ApiError } from '@/api/index.js';

export type LoginField = 'serverUrl' | 'username' | 'password';

export interface LoginErrorView {
  /** i18n key, plural count and named values for the message shown in the alert. */
  key: string;
  count: number;
  values: Record<string, number>;
  /** The field the error is about: it is marked invalid and gets the focus. */
  field: LoginField | null;
}

/** How the login screen presents a failed sign-in, chosen by the core's error code. */
export function describeLoginError(error: ApiError): LoginErrorView {
  switch (error.code) {
    case 'invalid_credentials':
      return { key: 'login.errors.invalid_credentials', count: 1, values: {}, field: 'password' };
    case 'rate_limited': {
      const minutes = error.retryAfterSeconds ? Math.ceil(error.retryAfterSeconds / 60) : 0;
      return { key: 'login.errors.rate_limited', count: minutes, values: { minutes }, field: null };
    }
    case 'invalid_url':
      return { key: 'login.errors.invalid_url', count: 1, values: {}, field: 'serverUrl' };
    case 'unreachable':
    case 'server_error':
    case 'cache_newer_version':
      return { key: `login.errors.${error.code}`, count: 1, values: {}, field: null };
    default:
      return { key: 'login.errors.unknown', count: 1, values: {}, field: null };
  }
}
