import { z } from 'zod';
import { Id } from './directory.js';

/** `hr` sees restricted personal data (e.g. private phone numbers) of everyone. */
export const Role = z.enum(['employee', 'editor', 'canteenManager', 'hr', 'admin']);
export type Role = z.infer<typeof Role>;

/** The signed-in user as the server describes them in auth responses. */
export const SessionUser = z
  .object({
    id: Id,
    username: z.string(),
    displayName: z.string(),
    roles: z.array(Role),
  })
  .strict();
export type SessionUser = z.infer<typeof SessionUser>;

export const LoginRequest = z
  .object({
    username: z.string().trim().min(1).max(100),
    password: z.string().min(1).max(1024),
    deviceName: z.string().trim().min(1).max(200),
  })
  .strict();
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Returned by login and refresh. The refresh token is opaque and single-use (rotated). */
export const TokenResponse = z
  .object({
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1),
    /** Seconds until the access token expires (at most 900). */
    expiresIn: z.number().int().positive().max(900),
    user: SessionUser,
  })
  .strict();
export type TokenResponse = z.infer<typeof TokenResponse>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(512) }).strict();
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const HealthResponse = z.object({ status: z.literal('ok') }).strict();
