import { CartesianProduct } from 'js-combinatorics';
import { seededRandom } from '../core/random.js';

/** A parameter's value: what a suite field can hold. */
export type ParameterValue = string | number | boolean | null;

/** One configuration of the space: a value per parameter, in the space's order. */
export type Configuration = Record<string, ParameterValue>;

/** The searched parameters and each one's candidate values, in the order the config lists them. */
export type SearchSpace = Record<string, readonly ParameterValue[]>;

/** How many configurations the space holds (the product of the candidate counts). */
export function spaceSize(space: SearchSpace): bigint {
  return productOf(space).length;
}

/** The product with the parameters reversed: the library varies its first set fastest, the grid its last. */
function productOf(space: SearchSpace): CartesianProduct<ParameterValue> {
  return new CartesianProduct(...Object.values(space).reverse());
}

function configurationAt(space: SearchSpace, product: CartesianProduct<ParameterValue>, index: bigint): Configuration {
  const values = [...(product.at(index) ?? [])].reverse();
  return Object.fromEntries(Object.keys(space).map((name, i) => [name, values[i] ?? null]));
}

/** Every configuration, in the grid's order (the last parameter varying fastest). */
export function gridConfigurations(space: SearchSpace): Configuration[] {
  const product = productOf(space);
  const out: Configuration[] = [];
  for (let i = 0n; i < product.length; i += 1n) out.push(configurationAt(space, product, i));
  return out;
}

/**
 * `count` distinct configurations drawn at random (seeded, without replacement) from the grid; all of them, in grid
 * order, when the grid is no larger. Drawn by index, so a space of billions costs only the draws.
 */
export function randomConfigurations(space: SearchSpace, count: number, seed: number): Configuration[] {
  const product = productOf(space);
  if (BigInt(count) >= product.length) return gridConfigurations(space);
  const random = seededRandom(seed);
  const size = Number(product.length);
  const chosen = new Set<number>();
  const order: number[] = [];
  while (order.length < count) {
    const index = Math.floor(random() * size);
    if (!chosen.has(index)) {
      chosen.add(index);
      order.push(index);
    }
  }
  return order.map((index) => configurationAt(space, product, BigInt(index)));
}

/** A value in one line: text with its line breaks and tabs written as \\n and \\t, long text cut. */
function oneLine(value: ParameterValue): string {
  if (typeof value !== 'string') return String(value);
  const flat = value.replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return flat.length > 40 ? `${flat.slice(0, 37)}…` : flat;
}

/** A configuration as `name=value` pairs on one line, for names, tables and progress lines. */
export function describeConfiguration(configuration: Configuration): string {
  return Object.entries(configuration)
    .map(([name, value]) => `${name}=${oneLine(value)}`)
    .join(', ');
}
