/**
 * Text → sparse feature vector for the offline classifier: normalisation (NFKC, lower case, accent folding,
 * URL / e-mail / number placeholders), word unigrams and bigrams, character n-grams inside word boundaries
 * (padded " word ", so typos and inflections still share most features), all hashed into 2^hashBits buckets with
 * FNV-1a (no vocabulary of strings to ship; collisions are negligible at 2^20 for inquiry-sized texts).
 *
 * Hashing is done on char codes in place — no substring per n-gram — which keeps a lead well under a millisecond.
 */
import { z } from "zod";

/** How text becomes features; stored in the model so training and inference featurise identically. */
export const FeatureOptions = z.object({
  /** Buckets = 2^hashBits. */
  hashBits: z.number().int().min(10).max(24),
  /** Largest word n-gram (1 = unigrams only, 2 = unigrams + bigrams). */
  wordNgrams: z.number().int().min(0).max(3),
  /** Character n-gram lengths [min, max] inside padded words; [0, 0] turns them off. */
  charNgrams: z.tuple([z.number().int().min(0).max(8), z.number().int().min(0).max(8)]),
  /** Share of the vector's squared norm given to word features; the rest goes to character n-grams. */
  wordShare: z.number().min(0).max(1),
  /** Only the first maxChars characters are read (a pasted e-mail thread adds little after its first page). */
  maxChars: z.number().int().min(1),
});
export type FeatureOptions = z.infer<typeof FeatureOptions>;

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  hashBits: 20,
  wordNgrams: 2,
  charNgrams: [3, 5],
  wordShare: 0.5,
  maxChars: 2000,
};

const FOLD: Record<string, string> = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i" };
const URL_RE = /\b(?:https?:\/\/|www\.)\S+/g;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const BARE_DOMAIN_RE = /\b[a-z0-9-]+\.(?:com|net|org|io|biz|info|xyz|co|ru|cn|de|fr|es|uk|top|site|online|shop)\b/g;
const NUMBER_RE = /\d+(?:[.,]\d+)*/g;
const FOLD_RE = /[ßæœøłđðþı]/g;
const MARKS_RE = /\p{M}+/gu;

/**
 * Normalises text for featurisation: NFKC, lower case, accents folded ("é" → "e", "ß" → "ss"), URLs, e-mail
 * addresses and bare domains replaced by "xurl" / "xemail", digit runs by "0". Idempotent.
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(EMAIL_RE, " xemail ")
    .replace(URL_RE, " xurl ")
    .replace(BARE_DOMAIN_RE, " xurl ")
    .normalize("NFD")
    .replace(MARKS_RE, "")
    .replace(FOLD_RE, (c) => FOLD[c] ?? c)
    .replace(NUMBER_RE, "0")
    .normalize("NFC");
}

const TOKEN_RE = /[\p{L}\p{N}]+|[$€£¥%!?]|\p{Extended_Pictographic}/gu;

/** Word tokens of already-normalised text: letter/digit runs, currency and `% ! ?` marks, each emoji. */
export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN_RE) ?? [];
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Distinct seeds so a word, a bigram and a char n-gram with the same characters land in different buckets. */
const SEED_WORD = 0x2f1a3b7;
const SEED_CHAR = 0x51ed27b;

function fnvString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function finalize(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashed n-gram counts of one text, split into the word block and the character block. */
export interface FeatureCounts {
  word: Map<number, number>;
  char: Map<number, number>;
  /** Number of word tokens read (0 = the text had nothing to read). */
  tokens: number;
}

/**
 * A sparse feature vector over a model's rows: parallel arrays of row indices and values. A row can appear twice
 * (a word and a character n-gram hashed to one bucket); every use of the vector is a sum, so that is harmless.
 */
export interface SparseVector {
  rows: Int32Array;
  values: Float64Array;
  /** Number of word tokens read. */
  tokens: number;
}

function countInto(text: string, options: FeatureOptions, origins: Map<number, string> | null): FeatureCounts {
  const mask = (1 << options.hashBits) - 1;
  const tokens = tokenize(normalizeText(text.length > options.maxChars ? text.slice(0, options.maxChars) : text));
  const word = new Map<number, number>();
  const char = new Map<number, number>();
  const hashes: number[] = new Array<number>(tokens.length);
  const [cmin, cmax] = options.charNgrams;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    const h = fnvString(tok, SEED_WORD);
    hashes[t] = h;
    if (options.wordNgrams >= 1) {
      const b = finalize(h) & mask;
      word.set(b, (word.get(b) ?? 0) + 1);
      origins?.set(b, tok);
    }
    for (let n = 2; n <= options.wordNgrams && t - n + 1 >= 0; n++) {
      let g = hashes[t - n + 1]!;
      for (let k = t - n + 2; k <= t; k++) g = mix(g, hashes[k]!);
      const b = finalize(mix(g, n)) & mask;
      word.set(b, (word.get(b) ?? 0) + 1);
      origins?.set(b, tokens.slice(t - n + 1, t + 1).join(" "));
    }
    if (cmin > 0 && cmax >= cmin) {
      // Padded word " tok ": every n-gram of length cmin..cmax, hashed incrementally from its start position.
      const len = tok.length + 2;
      for (let i = 0; i + cmin <= len; i++) {
        let ch = (FNV_OFFSET ^ SEED_CHAR) >>> 0;
        for (let j = 0; j < cmax && i + j < len; j++) {
          const p = i + j;
          ch ^= p === 0 || p === len - 1 ? 32 : tok.charCodeAt(p - 1);
          ch = Math.imul(ch, FNV_PRIME);
          if (j + 1 >= cmin) {
            const b = finalize(ch ^ (j + 1)) & mask;
            char.set(b, (char.get(b) ?? 0) + 1);
            if (origins && !origins.has(b)) origins.set(b, tok);
          }
        }
      }
    }
  }
  return { word, char, tokens: tokens.length };
}

/** Counts the hashed word and character n-grams of `text` (after normalisation and the maxChars cut). */
export function countFeatures(text: string, options: FeatureOptions): FeatureCounts {
  return countInto(text, options, null);
}

/**
 * Counts like countFeatures and also says, for each bucket the text touches, the word or word bigram it came from
 * (a character n-gram belongs to its word; the first origin wins) — for explanations.
 */
export function countFeaturesWithOrigins(text: string, options: FeatureOptions): { counts: FeatureCounts; origins: Map<number, string> } {
  const origins = new Map<number, string>();
  return { counts: countInto(text, options, origins), origins };
}

function weighBlock(
  counts: Map<number, number>,
  rowOf: ReadonlyMap<number, number>,
  idf: ArrayLike<number>,
  share: number,
  rows: number[],
  values: number[],
): void {
  if (share <= 0 || counts.size === 0) return;
  const start = rows.length;
  let norm = 0;
  for (const [b, c] of counts) {
    const row = rowOf.get(b);
    if (row === undefined) continue; // a bucket the model never kept carries no weight
    const v = (1 + Math.log(c)) * idf[row]!;
    rows.push(row);
    values.push(v);
    norm += v * v;
  }
  if (norm === 0) return;
  const scale = Math.sqrt(share / norm);
  for (let i = start; i < values.length; i++) values[i]! *= scale;
}

/** The share of the squared norm the word block gets (all of it without char n-grams, none without words). */
export function wordBlockShare(options: FeatureOptions): number {
  if (options.wordNgrams < 1) return 0;
  return options.charNgrams[0] > 0 && options.charNgrams[1] >= options.charNgrams[0] ? options.wordShare : 1;
}

/**
 * Turns counts into the model's vector: sublinear term frequency (1 + ln tf) × idf of each kept bucket (buckets
 * not in `rowOf` are dropped), the word and character blocks each L2-normalised and scaled so the vector has unit
 * norm with `wordShare` of it on words. Training and inference both go through here.
 */
export function vectorize(counts: FeatureCounts, rowOf: ReadonlyMap<number, number>, idf: ArrayLike<number>, options: FeatureOptions): SparseVector {
  const rows: number[] = [];
  const values: number[] = [];
  const share = wordBlockShare(options);
  weighBlock(counts.word, rowOf, idf, share, rows, values);
  weighBlock(counts.char, rowOf, idf, 1 - share, rows, values);
  return { rows: Int32Array.from(rows), values: Float64Array.from(values), tokens: counts.tokens };
}
