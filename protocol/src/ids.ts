import { z } from 'zod';

/** Every entity's id: a UUID (the client's own writes use UUIDv7). */
export const Id = z.uuid();
