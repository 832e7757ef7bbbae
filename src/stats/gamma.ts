/** A standard normal draw (Box–Muller) from a uniform source. */
export function normalDraw(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A Gamma(shape, 1) draw for any shape > 0: Marsaglia and Tsang's squeeze method (exact) for shape ≥ 1, and below 1
 * a draw at shape + 1 scaled by U^(1/shape) (their boost).
 */
export function gammaDraw(random: () => number, shape: number): number {
  if (shape < 1) return gammaDraw(random, shape + 1) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normalDraw(random);
    const base = 1 + c * x;
    if (base <= 0) continue;
    const v = base * base * base;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
