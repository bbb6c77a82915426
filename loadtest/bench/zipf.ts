// Workload samplers shared by benchmarks: a seeded PRNG and a Zipf(α) sampler over 1..n.

export function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

/** Zipf(α) over 1..n by inverse CDF (binary search); α = 0 is uniform. */
export function zipf(n: number, alpha: number, rnd: () => number): () => number {
  if (alpha === 0) return () => 1 + Math.floor(rnd() * n);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) { sum += 1 / Math.pow(i + 1, alpha); cdf[i] = sum; }
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  return () => {
    const u = rnd();
    let lo = 0, hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid]! < u) lo = mid + 1; else hi = mid; }
    return lo + 1;
  };
}
