/** Lead ids as 16 bytes each in a column (a stored day of history), spelled out only when shown. */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The id at `i` of an id column (lower-case, hyphenated, as PostgreSQL prints a uuid). */
export function uuidAt(b: Uint8Array, i: number): string {
  const o = i * 16;
  return (
    HEX[b[o]!]! + HEX[b[o + 1]!]! + HEX[b[o + 2]!]! + HEX[b[o + 3]!]! + "-" + HEX[b[o + 4]!]! + HEX[b[o + 5]!]! + "-" +
    HEX[b[o + 6]!]! + HEX[b[o + 7]!]! + "-" + HEX[b[o + 8]!]! + HEX[b[o + 9]!]! + "-" + HEX[b[o + 10]!]! + HEX[b[o + 11]!]! +
    HEX[b[o + 12]!]! + HEX[b[o + 13]!]! + HEX[b[o + 14]!]! + HEX[b[o + 15]!]!
  );
}
