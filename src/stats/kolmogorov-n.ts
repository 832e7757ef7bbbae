import gammaln from '@stdlib/math-base-special-gammaln';

/**
 * The finite-n distribution of the two-sided one-sample Kolmogorov–Smirnov statistic Dₙ (scipy's `kstwo`), for the
 * asymptotic branch of the two-sample test. No JavaScript library provides it; the algorithms are the published
 * ones scipy also chooses between (Simard & L'Ecuyer 2011): closed forms at the ends (Ruben & Gambino 1982), the
 * Durbin matrix method as Marsaglia, Tsang & Wang (2003) compute it, and Pelz & Good's (1976) expansion for large n.
 */

const SCALE_UP = 2 ** 128;
const SCALE_DOWN = 2 ** -128;

function matmul(a: Float64Array, b: Float64Array, m: number) {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let k = 0; k < m; k += 1) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j += 1) out[i * m + j] = (out[i * m + j] as number) + aik * (b[k * m + j] as number);
    }
  }
  return out;
}

/** P(Dₙ < d) by the Durbin matrix: the (k, k) entry of Hⁿ times n!/nⁿ, with k = ⌈nd⌉, scaled by powers of 2 to stay in range. */
export function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  if (d >= 1) return 1;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j += 1) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * factorial;
  let base = new Float64Array(m * m);
  for (let i = 1; i < m; i += 1) for (let r = i - 1; r < m; r += 1) base[r * m + i] = w[r - i + 1] as number;
  for (let r = 0; r < m; r += 1) base[r * m] = v[r] as number;
  for (let c = 0; c < m; c += 1) base[(m - 1) * m + c] = v[m - 1 - c] as number;
  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) power[i * m + i] = 1;
  let exponent = 0;
  let baseExponent = 0;
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2 === 1) {
      power = matmul(power, base, m);
      exponent += baseExponent;
    }
    base = matmul(base, base, m);
    baseExponent *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)] as number) > SCALE_UP) {
      for (let i = 0; i < base.length; i += 1) base[i] = (base[i] as number) * SCALE_DOWN;
      baseExponent += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  for (let i = 1; i <= n; i += 1) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= 128;
    }
  }
  return p * 2 ** exponent;
}

const PI2 = Math.PI ** 2;
const PI4 = PI2 ** 2;
const PI6 = PI4 * PI2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);

/** P(Dₙ ≤ x) by Pelz & Good's expansion K₀ + K₁/√n + K₂/n + K₃/n^1.5 in z = x√n, its theta-function form for small z. */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -PI2 / 8 / z2;
  if (qLog < -745) return 0;
  let q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  // Horner in q^(8k) over odd m = 2k − 1: Σ c(m) q^(m²).
  for (let k = maxK; k >= 1; k -= 1) {
    const mm = 2 * k - 1;
    const m2 = mm * mm;
    const qPower = q ** (8 * k);
    const coefficients = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m2 * m2,
      k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2,
    ];
    for (let i = 0; i < 4; i += 1) terms[i] = (terms[i] as number) * qPower + (coefficients[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * z4 * z2 * z, 6480 * z4 * z6];
  for (let i = 0; i < 4; i += 1) terms[i] = ((terms[i] as number) * q * SQRT_2PI) / (divisors[i] as number);
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxK; k >= 1; k -= 1) {
    const k2 = k * k;
    const qk = q ** k2;
    k2extra += k2 * qk;
    k3extra += (SQRT3 * z + Math.PI * k) * (SQRT3 * z - Math.PI * k) * k2 * qk;
  }
  terms[2] = (terms[2] as number) + (k2extra * PI2 * SQRT_2PI) / (-36 * z2 * z);
  terms[3] = (terms[3] as number) + (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  return terms.reduce((sum, term, i) => sum + term / n ** (i / 2), 0);
}

/** One-sided exact tail P(Dₙ⁺ ≥ x) (Birnbaum–Tingey), passed in to keep one implementation. */
export type OneSidedSf = (n: number, x: number) => number;

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/**
 * P(Dₙ ≥ x), choosing the method by n and n·x² as scipy's `kstwo.sf` does: closed forms when n·x ≤ 1 or ≥ n − 1,
 * twice the one-sided tail for x ≥ 0.5 and in the upper tail, the Durbin matrix near the centre, and Pelz–Good for
 * n above 100,000 (or where the matrix would be large).
 */
export function kolmogorovNSf(n: number, x: number, smirnovSf: OneSidedSf): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = Math.exp(gammaln(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}
