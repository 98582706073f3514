import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countFeatures,
  countFeaturesWithOrigins,
  DEFAULT_FEATURE_OPTIONS,
  normalizeText,
  tokenize,
  vectorize,
  wordBlockShare,
  type FeatureCounts,
} from "@/lib/classify/text-features";

/** Every bucket of `counts` kept with idf 1. */
function allRows(counts: FeatureCounts): { rowOf: Map<number, number>; idf: number[] } {
  const rowOf = new Map<number, number>();
  for (const b of [...counts.word.keys(), ...counts.char.keys()]) if (!rowOf.has(b)) rowOf.set(b, rowOf.size);
  return { rowOf, idf: new Array<number>(rowOf.size).fill(1) };
}

describe("normalizeText", () => {
  it.each([
    ["Crème Brûlée", "creme brulee"],
    ["Straße Øresund Æble", "strasse oresund aeble"],
    ["ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ", "fullwidth text"],
    ["Call 555-1234 or pay $1,299.99", "call 0-0 or pay $0"],
    ["see https://example.com/a?b=c and www.foo.org", "see  xurl  and  xurl "],
    ["mail me at jane.doe+x@acme.co.uk", "mail me at  xemail "],
    ["visit best-links.xyz now", "visit  xurl  now"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it("is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 40 })), (s) => {
        expect(normalizeText(normalizeText(s))).toBe(normalizeText(s));
      }),
    );
  });
});

describe("tokenize", () => {
  it("keeps words, digits, currency and emphasis marks, and each emoji", () => {
    expect(tokenize(normalizeText("Buy NOW!!! only $5 🔥🔥 100% off"))).toEqual(["buy", "now", "!", "!", "!", "only", "$", "0", "🔥", "🔥", "0", "%", "off"]);
    expect(tokenize("")).toEqual([]);
    expect(tokenize("... --- ,,,")).toEqual([]);
    expect(tokenize("добрый день")).toEqual(["добрый", "день"]);
  });
});

describe("countFeatures and vectorize", () => {
  it("is deterministic and case/accent-insensitive", () => {
    const a = countFeatures("Démo please", DEFAULT_FEATURE_OPTIONS);
    const b = countFeatures("demo PLEASE", DEFAULT_FEATURE_OPTIONS);
    expect([...a.word]).toEqual([...b.word]);
    expect([...a.char]).toEqual([...b.char]);
    expect(a.tokens).toBe(2);
  });

  it("counts unigrams and bigrams in the word block, padded character n-grams in the char block", () => {
    const c = countFeatures("demo demo", DEFAULT_FEATURE_OPTIONS);
    // "demo" twice + bigram "demo demo" once
    expect([...c.word.values()].sort()).toEqual([1, 2]);
    // " demo " has 4 trigrams, 3 four-grams, 2 five-grams; each seen twice
    expect(c.char.size).toBe(9);
    expect([...c.char.values()].every((v) => v === 2)).toBe(true);
    const unigramsOnly = countFeatures("demo demo", { ...DEFAULT_FEATURE_OPTIONS, wordNgrams: 1, charNgrams: [0, 0] });
    expect(unigramsOnly.word.size).toBe(1);
    expect(unigramsOnly.char.size).toBe(0);
  });

  it("reads only the first maxChars characters", () => {
    const opts = { ...DEFAULT_FEATURE_OPTIONS, maxChars: 10 };
    expect(countFeatures("demo demo demo demo demo", opts).tokens).toBe(2);
  });

  it("gives a unit vector with wordShare of the squared norm on words, dropping unknown buckets", () => {
    const counts = countFeatures("We need pricing for 20 seats, pricing!", DEFAULT_FEATURE_OPTIONS);
    const { rowOf, idf } = allRows(counts);
    const x = vectorize(counts, rowOf, idf, DEFAULT_FEATURE_OPTIONS);
    let total = 0;
    let words = 0;
    x.values.forEach((v, i) => {
      total += v * v;
      if (i < counts.word.size) words += v * v;
    });
    expect(total).toBeCloseTo(1, 10);
    expect(words).toBeCloseTo(DEFAULT_FEATURE_OPTIONS.wordShare, 10);
    const empty = vectorize(counts, new Map(), [], DEFAULT_FEATURE_OPTIONS);
    expect(empty.rows).toHaveLength(0);
    expect(empty.tokens).toBe(counts.tokens);
  });

  it("weighs term frequency sublinearly (1 + ln tf) times idf", () => {
    const opts = { ...DEFAULT_FEATURE_OPTIONS, wordNgrams: 1, charNgrams: [0, 0] as [number, number] };
    const counts = countFeatures("pricing pricing demo", opts);
    const { rowOf } = allRows(counts);
    const pricing = rowOf.get([...counts.word].find(([, c]) => c === 2)![0])!;
    const demo = rowOf.get([...counts.word].find(([, c]) => c === 1)![0])!;
    const idf = new Array<number>(rowOf.size).fill(1);
    const x = vectorize(counts, rowOf, idf, opts);
    const value = (row: number) => x.values[[...x.rows].indexOf(row)]!;
    expect(value(pricing) / value(demo)).toBeCloseTo(1 + Math.log(2), 10);
    idf[demo] = 3;
    const y = vectorize(counts, rowOf, idf, opts);
    expect(y.values[[...y.rows].indexOf(pricing)]! / y.values[[...y.rows].indexOf(demo)]!).toBeCloseTo((1 + Math.log(2)) / 3, 10);
  });

  it("splits the norm by the blocks that exist", () => {
    expect(wordBlockShare(DEFAULT_FEATURE_OPTIONS)).toBe(DEFAULT_FEATURE_OPTIONS.wordShare);
    expect(wordBlockShare({ ...DEFAULT_FEATURE_OPTIONS, charNgrams: [0, 0] })).toBe(1);
    expect(wordBlockShare({ ...DEFAULT_FEATURE_OPTIONS, wordNgrams: 0 })).toBe(0);
    const counts = countFeatures("hello world", { ...DEFAULT_FEATURE_OPTIONS, wordNgrams: 0 });
    const { rowOf, idf } = allRows(counts);
    const x = vectorize(counts, rowOf, idf, { ...DEFAULT_FEATURE_OPTIONS, wordNgrams: 0 });
    expect(x.values.reduce((a, v) => a + v * v, 0)).toBeCloseTo(1, 10);
  });

  it("knows which word or bigram each bucket came from", () => {
    const { counts, origins } = countFeaturesWithOrigins("Reset password", DEFAULT_FEATURE_OPTIONS);
    const phrases = new Set(origins.values());
    expect(phrases).toEqual(new Set(["reset", "password", "reset password"]));
    expect(origins.size).toBe(new Set([...counts.word.keys(), ...counts.char.keys()]).size);
  });
});
