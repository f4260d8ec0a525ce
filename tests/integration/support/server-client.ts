import { TokenResponse } from '@flurfunk/protocol';
import { SignJWT } from 'jose';

/** A small HTTP client for the server tests: every call returns status, headers and parsed JSON body. */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  /** Sent verbatim instead of JSON-encoding `json`. */
  rawBody?: string | Uint8Array;
  json?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  /** Further request headers, e.g. X-Forwarded-For. */
  headers?: Record<string, string>;
}

export function apiClient(baseUrl: string) {
  async function request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Blob | undefined;
    if (options.rawBody !== undefined || options.json !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      const raw = options.rawBody;
      body =
        raw === undefined
          ? JSON.stringify(options.json)
          : typeof raw === 'string'
            ? raw
            : new Blob([new Uint8Array(raw)]);
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : null) as T,
    };
  }
  return {
    get: <T = unknown>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
    post: <T = unknown>(path: string, options?: RequestOptions) => request<T>('POST', path, options),
    put: <T = unknown>(path: string, options?: RequestOptions) => request<T>('PUT', path, options),
    delete: <T = unknown>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export const demoPassword = 'flurfunk-demo';

/** Signs in and returns the tokens, failing the test with the server's answer if that does not work. */
export async function signIn(api: ApiClient, username: string, deviceName = 'integration test') {
  const response = await api.post('/api/v1/auth/login', {
    json: { username, password: demoPassword, deviceName },
  });
  if (response.status !== 200)
    throw new Error(`sign-in as ${username} failed: ${JSON.stringify(response.body)}`);
  return TokenResponse.parse(response.body);
}

/**
 * The same device's access token, re-signed with the server's known secret so that it expired
 * longer ago than the server's clock tolerance: no test has to wait for a real expiry.
 */
export function expiredAccessToken(accessToken: string, secret: Uint8Array): Promise<string> {
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
    sub: string;
    did: string;
    roles: string[];
  };
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ did: claims.did, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer('flurfunk')
    .setAudience('flurfunk-api')
    .setIssuedAt(now - 200)
    .setExpirationTime(now - 100)
    .sign(secret);
}
