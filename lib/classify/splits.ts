/**
 * Stratified, seeded splits for training and evaluating classifiers: every class is shuffled on its own and dealt
 * out, so each fold (or the held-out part) keeps the class mix of the whole — essential with skewed classes.
 */
import type { Random } from "../random";

function shuffled(indices: number[], random: Random): number[] {
  const a = indices.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

function byClass(labels: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const g = groups.get(label);
    if (g) g.push(i);
    else groups.set(label, [i]);
  });
  return groups;
}

/** Fisher–Yates shuffle of 0..n-1 drawn from `random`. */
export function shuffledIndices(n: number, random: Random): number[] {
  return shuffled(Array.from({ length: n }, (_, i) => i), random);
}

/**
 * Stratified k-fold: returns, for each example, its fold number in [0, k). Each class's shuffled members are dealt
 * round-robin starting at a running offset, so fold sizes differ by at most one overall and classes smaller than
 * k still spread over different folds.
 */
export function stratifiedFolds(labels: readonly string[], k: number, random: Random): number[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError("k-fold needs an integer k ≥ 2");
  const fold = new Array<number>(labels.length).fill(0);
  let offset = 0;
  const groups = [...byClass(labels)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, members] of groups) {
    for (const i of shuffled(members, random)) {
      fold[i] = offset % k;
      offset++;
    }
  }
  return fold;
}

/**
 * Stratified hold-out: for each class, round(ratio × size) shuffled members go to the test part (at least one
 * when the class has two or more members, none when it has one, so every class is still trained on).
 * Returns sorted index lists.
 */
export function stratifiedHoldout(labels: readonly string[], ratio: number, random: Random): { train: number[]; test: number[] } {
  if (!(ratio > 0 && ratio < 1)) throw new RangeError("hold-out ratio must be in (0, 1)");
  const train: number[] = [];
  const test: number[] = [];
  const groups = [...byClass(labels)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, members] of groups) {
    const s = shuffled(members, random);
    const n = s.length < 2 ? 0 : Math.min(s.length - 1, Math.max(1, Math.round(ratio * s.length)));
    test.push(...s.slice(0, n));
    train.push(...s.slice(n));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
