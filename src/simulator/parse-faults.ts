import { usageError } from '../core/errors.js';
import { NO_FAULTS, type FaultRates } from './options.js';

/** Parses `http500=0.1,reset=0.02` into fault rates; every rate in [0, 1] and their sum at most 1. */
export function parseFaults(text: string): FaultRates {
  const rates: FaultRates = { ...NO_FAULTS };
  const known = Object.keys(NO_FAULTS);
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [name = '', value = ''] = part.split('=').map((s) => s.trim());
    const rate = Number(value);
    if (!known.includes(name))
      throw usageError('FLAG_INVALID', `unknown fault '${name}'`, `faults: ${known.join(', ')}`);
    if (value === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
      throw usageError(
        'FLAG_INVALID',
        `fault rate '${value}' for ${name} is not in [0, 1]`,
        "write e.g. 'http500=0.05'",
      );
    rates[name as keyof FaultRates] = rate;
  }
  const total = (Object.keys(rates) as (keyof FaultRates)[]).reduce((sum, key) => sum + rates[key], 0);
  if (total > 1)
    throw usageError(
      'FLAG_INVALID',
      `fault rates add up to ${total}, more than 1`,
      'lower them so that at most every request fails',
    );
  return rates;
}
