import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanLine, cleanText, foldKey, stripInvisible, toFreeText, toText, utf8Length } from "@/lib/lead/text";

describe("stripInvisible", () => {
  it.each([
    ["zero-width space", "Jo\u200Bhn", "John"],
    ["byte-order mark", "\uFEFFAcme", "Acme"],
    ["word joiner", "Ac\u2060me", "Acme"],
    ["soft hyphen", "Mus\u00ADter", "Muster"],
    ["LRM/RLM", "\u200Fמשה\u200E", "משה"],
    ["bidi embedding/override", "\u202Bשלום\u202C", "שלום"],
    ["bidi isolates", "\u2067abc\u2069", "abc"],
    ["Arabic letter mark", "\u061Cمحمد", "محمد"],
    ["ZWJ next to ASCII is debris", "Jo\u200Dhn", "John"],
    ["ZWNJ at the ends is debris", "\u200CAli\u200C", "Ali"],
  ])("removes %s", (_label, input, expected) => {
    expect(stripInvisible(input)).toBe(expected);
  });

  it.each([
    ["Persian ZWNJ inside a word", "می\u200Cخواهم"],
    ["emoji ZWJ sequence (woman technologist)", "👩\u200D💻"],
    ["family emoji", "👨\u200D👩\u200D👧"],
    ["Sinhala ZWJ conjunct", "ශ්\u200Dරී"],
  ])("keeps a meaningful joiner: %s", (_label, input) => {
    expect(stripInvisible(input)).toBe(input);
  });
});

describe("cleanLine", () => {
  it.each([
    ["  Jane   Doe  ", "Jane Doe"],
    ["Jane\u00A0Doe", "Jane Doe"],
    ["Jane\u3000Doe", "Jane Doe"],
    ["Jane\tDoe\nSmith", "Jane Doe Smith"],
    ["Jane\u0000Doe", "Jane Doe"],
    ["Jose\u0301", "José"],
    ["Jose\u200B\u0301", "José"],
    ["\u200B", ""],
    ["王伟", "王伟"],
    ["Σωκράτης", "Σωκράτης"],
  ])("%j → %j", (input, expected) => {
    expect(cleanLine(input)).toBe(expected);
    expect(cleanLine(input).normalize("NFC")).toBe(cleanLine(input));
  });

  it("is idempotent on arbitrary unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const once = cleanLine(s);
        expect(cleanLine(once)).toBe(once);
      }),
    );
  });
});

describe("cleanText", () => {
  it("keeps line breaks, normalises CRLF, squeezes blank runs and trailing spaces", () => {
    expect(cleanText("Hello  \r\nworld\r\r\n\n\n\nBye\u200B  ")).toBe("Hello\nworld\n\nBye");
  });

  it("removes control characters but keeps tabs and emoji", () => {
    expect(cleanText("a\u0007b\tc 🙂")).toBe("ab\tc 🙂");
  });

  it("is idempotent on arbitrary unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const once = cleanText(s);
        expect(cleanText(once)).toBe(once);
      }),
    );
  });
});

describe("foldKey", () => {
  it.each([
    ["Société Générale", "societe generale"],
    ["Straße", "strasse"],
    ["Søren Ærø", "soren aero"],
    ["Łódź", "lodz"],
    ["ＡＣＭＥ", "acme"],
    ["Ｊｏｈｎ\u200B", "john"],
    ["İstanbul", "istanbul"],
    ["王伟", "王伟"],
    ["हिन्दी", "हिन्दी"],
  ])("%j → %j", (input, expected) => {
    expect(foldKey(input)).toBe(expected);
  });

  it("is idempotent", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
      expect(foldKey(foldKey(s))).toBe(foldKey(s));
    }));
  });
});

describe("toText / toFreeText", () => {
  it.each([
    ["  x  ", "x"],
    ["", null],
    ["\u200B ", null],
    [42, "42"],
    [Number.NaN, null],
    [true, "true"],
    [null, null],
    [undefined, null],
    [{ a: 1 }, null],
    [["a"], null],
  ])("toText(%j) → %j", (input, expected) => {
    expect(toText(input)).toBe(expected);
  });

  it("toFreeText keeps line breaks and falls back to toText for non-strings", () => {
    expect(toFreeText(" line one \n line two ")).toBe("line one\n line two");
    expect(toFreeText("  ")).toBeNull();
    expect(toFreeText(7)).toBe("7");
  });
});

describe("utf8Length", () => {
  it.each([
    ["abc", 3],
    ["é", 2],
    ["王", 3],
    ["😀", 4],
  ])("%j is %i bytes", (input, bytes) => {
    expect(utf8Length(input)).toBe(bytes);
  });
});
