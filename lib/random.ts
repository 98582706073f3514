/**
 * A small seeded pseudo-random source (mulberry32 for the stream, splitmix32 to derive seeds). Deterministic, so the
 * demo seed and simulations replay identically; lib/ never uses Math.random.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number;
  /** An RFC 4122 version-4-shaped UUID drawn from this stream. */
  uuid(): string;
  /** An independent stream derived from this one and a label (stable across runs). */
  fork(label: string): Random;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const HEX = "0123456789abcdef";

/** A random stream from a numeric or string seed. */
export function createRandom(seed: number | string): Random {
  let state = splitmix32(typeof seed === "string" ? hashString(seed) : seed >>> 0);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    let u = 0;
    while (u === 0) u = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  const rnd: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (items) => {
      let total = 0;
      for (const [, w] of items) total += w;
      if (!(total > 0)) throw new RangeError("weighted pick needs a positive total weight");
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    uuid: () => {
      let s = "";
      for (let i = 0; i < 32; i++) {
        let v = Math.floor(next() * 16);
        if (i === 12) v = 4;
        if (i === 16) v = (v & 0x3) | 0x8;
        s += HEX[v];
        if (i === 7 || i === 11 || i === 15 || i === 19) s += "-";
      }
      return s;
    },
    fork: (label) => createRandom((hashString(label) ^ Math.floor(next() * 4294967296)) >>> 0),
  };
  return rnd;
}
