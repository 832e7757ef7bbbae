import { z } from 'zod';

/** The fields every scorer has: a name (default its type) and its weight in a case's score. */
export const scorerCommon = { name: z.string().min(1).optional(), weight: z.number().nonnegative().default(1) };
