import { z } from 'zod';
import { parseDurationMs, parseFraction } from '../core/units.js';
import { HTTP_CLIENT_KINDS } from '../http/dispatcher.js';
import { headerProblem } from '../http/request-encoder.js';

/** Field types the configs of every folder share. */

/** A duration: `250ms`, `30s`, `2m`, or a number of seconds; parsed to milliseconds. */
export const durationMs = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDurationMs(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `'${String(value)}' is not a duration`,
      params: { hint: "write e.g. '500ms', '30s', '2m' or a number of seconds" },
    });
    return z.NEVER;
  }
  return ms;
});

/** Warm-up and cool-down: a duration (`5s`) or a share of the run (`10%`). */
export const runPortion = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const fraction = parseFraction(value);
    if (fraction === null || fraction < 0 || fraction >= 1) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is not a share between 0% and 100%` });
      return z.NEVER;
    }
    return { fraction } as const;
  }
  const ms = parseDurationMs(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `'${String(value)}' is neither a duration nor a percentage`,
      params: { hint: "write e.g. '5s' or '10%'" },
    });
    return z.NEVER;
  }
  return { ms } as const;
});

export const headers = z
  .record(z.string(), z.string())
  .default({})
  .superRefine((value, ctx) => {
    const problem = headerProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The HTTP client: yardstick's own HTTP/1.1 client (the default, and the lighter load generator), or undici's. */
export const client = z.enum(HTTP_CLIENT_KINDS).default('yardstick');

/**
 * Prices in currency units (e.g. USD): per million tokens (an API), and/or per hour of a dedicated instance (a
 * self-hosted model), which an eval charges to each request at the throughput it measured.
 */
export const pricing = z
  .strictObject({
    inputPerMTokens: z.number().nonnegative().default(0),
    outputPerMTokens: z.number().nonnegative().default(0),
    perHour: z.number().nonnegative().optional(),
  })
  .optional();

export const positiveInt = z.number().int().positive();

export type RunPortion = { fraction: number } | { ms: number };
