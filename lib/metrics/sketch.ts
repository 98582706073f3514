/**
 * A mergeable quantile sketch for delays in minutes (DDSketch-style log buckets), for periods too long to sort
 * exactly within a dashboard request. Each value lands in bucket ⌈log_γ(v)⌉ and is represented by the bucket's
 * midpoint 2γ^i/(γ+1), so every represented value is within α = (γ−1)/(γ+1) ≈ 1% of the true one; quantiles
 * interpolate between the represented neighbours like percentile_cont. Sketches add bucket by bucket, so daily
 * sketches sum to the sketch of any run of days.
 *
 * The SQL that builds sketches in the database (server/repositories/metrics.repository.ts) uses the same γ and
 * zero threshold; bucket keys are strings (JSON object keys), "z" holds values ≤ SKETCH_ZERO (incl. 0).
 */
export const SKETCH_GAMMA = 1.02;
/** Values at or below this many minutes (0.1 s) count as zero. */
export const SKETCH_ZERO = 1 / 600;
/** The worst relative error of a represented value. */
export const SKETCH_RELATIVE_ACCURACY = (SKETCH_GAMMA - 1) / (SKETCH_GAMMA + 1);

const LN_GAMMA = Math.log(SKETCH_GAMMA);

export type Sketch = Record<string, number>;

export function sketchKey(value: number): string {
  return value <= SKETCH_ZERO ? "z" : String(Math.ceil(Math.log(value) / LN_GAMMA));
}

export function sketchValue(key: string): number {
  if (key === "z") return 0;
  return (2 * SKETCH_GAMMA ** Number(key)) / (SKETCH_GAMMA + 1);
}

export function addToSketch(sketch: Sketch, value: number, count = 1): Sketch {
  const key = sketchKey(value);
  sketch[key] = (sketch[key] ?? 0) + count;
  return sketch;
}

/** Adds `from` into `into` (and returns it). */
export function mergeSketch(into: Sketch, from: Sketch | null | undefined): Sketch {
  if (!from) return into;
  for (const key in from) into[key] = (into[key] ?? 0) + from[key]!;
  return into;
}

export function sketchCount(sketch: Sketch): number {
  let n = 0;
  for (const key in sketch) n += sketch[key]!;
  return n;
}

/** The p-quantile (0..1) with percentile_cont's linear interpolation over the represented values; null when empty. */
export function sketchQuantile(sketch: Sketch, p: number): number | null {
  return sketchQuantiles(sketch, [p])[0] ?? null;
}

/** Several quantiles in one pass over the sorted buckets (same answers as sketchQuantile); [] when empty. */
export function sketchQuantiles(sketch: Sketch, ps: readonly number[]): number[] {
  const keys = Object.keys(sketch).filter((k) => sketch[k]! > 0);
  if (keys.length === 0) return [];
  keys.sort((a, b) => (a === "z" ? -Infinity : Number(a)) - (b === "z" ? -Infinity : Number(b)));
  const counts = keys.map((k) => sketch[k]!);
  const values = keys.map(sketchValue);
  const n = counts.reduce((a, b) => a + b, 0);
  const valueAt = (rank: number) => {
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (rank < seen) return values[i]!;
    }
    return values[values.length - 1]!;
  };
  return ps.map((p) => {
    const rank = Math.min(1, Math.max(0, p)) * (n - 1);
    const lo = Math.floor(rank);
    const a = valueAt(lo);
    const b = valueAt(Math.ceil(rank));
    return a + (b - a) * (rank - lo);
  });
}
