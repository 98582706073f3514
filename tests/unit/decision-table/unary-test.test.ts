import { describe, expect, it } from "vitest";
import {
  cellPredicate,
  formatUnaryTest,
  type InputType,
  normalizerFor,
  parseLiteralText,
  parseUnaryTest,
  type UnaryTest,
} from "@/lib/decision-table";

function parsed(cell: string, type: InputType): UnaryTest {
  const r = parseUnaryTest(cell, type);
  if (!r.ok) throw new Error(`${cell}: ${r.error.message}`);
  return r.test;
}

function matcher(cell: string, type: InputType): (raw: unknown) => boolean {
  const p = cellPredicate(parsed(cell, type), type);
  const read = normalizerFor(type);
  return (raw) => p(read(raw));
}

describe("parseUnaryTest: every cell syntax", () => {
  // [cell, type, canonical form, values that match, values that do not]
  const cases: Array<[string, InputType, string, unknown[], unknown[]]> = [
    ["-", "string", "-", ["x", null, undefined, ""], []],
    ["", "number", "-", [1, null], []],
    ["   ", "boolean", "-", [true, null], []],
    ["'NA'", "string", "'NA'", ["NA"], ["na", "EMEA", null, ""]],
    ['"NA"', "string", "'NA'", ["NA"], ["EMEA", null]],
    ["'it''s'".replace("''", "\\'"), "string", "'it\\'s'", ["it's"], ["its"]],
    ['"say \\"hi\\"\\n"', "string", "'say \"hi\"\\n'", ['say "hi"\n'], ["say hi"]],
    ["'\\u00e9t\\u00e9'", "string", "'été'", ["été"], ["ete"]],
    ["'A','B'", "string", "'A', 'B'", ["A", "B"], ["C", null]],
    ["'A' , \"B\" ,'C'", "string", "'A', 'B', 'C'", ["C"], ["D"]],
    ["= 'A'", "string", "'A'", ["A"], ["B"]],
    ["!= 'A'", "string", "!= 'A'", ["B"], ["A", null]],
    ["5", "number", "5", [5, "5", 5.0], [6, null]],
    ["-5", "number", "-5", [-5], [5]],
    ["3.25", "number", "3.25", [3.25], [3.2]],
    ["1e3", "number", "1000", [1000], [999]],
    ["= 5", "number", "5", [5], [4]],
    ["!= 5", "number", "!= 5", [4, 6], [5, null]],
    ["< 10", "number", "< 10", [9, -1, 9.99], [10, 11, null]],
    ["<= 10", "number", "<= 10", [10], [10.01, null]],
    ["> 10", "number", "> 10", [11], [10, null]],
    [">= 10", "number", ">= 10", [10, 1e9], [9, null]],
    [">= -2.5", "number", ">= -2.5", [-2.5, 0], [-3]],
    ["[200..999]", "number", "[200..999]", [200, 500, 999], [199, 1000, null]],
    ["(200..999)", "number", "(200..999)", [201, 998.5], [200, 999]],
    ["]200..999[", "number", "(200..999)", [201], [200, 999]],
    ["[200..999)", "number", "[200..999)", [200], [999]],
    ["[200..999[", "number", "[200..999)", [200], [999]],
    ["(200..999]", "number", "(200..999]", [999], [200]],
    ["]200..999]", "number", "(200..999]", [999], [200]],
    ["[-10..-5]", "number", "[-10..-5]", [-7], [-4]],
    ["[1.5..2.5]", "number", "[1.5..2.5]", [2], [1]],
    ["< 10, > 100", "number", "< 10, > 100", [5, 101], [50]],
    ["true", "boolean", "true", [true, "true", "TRUE"], [false, null, "yes"]],
    ["false", "boolean", "false", [false], [true, null]],
    ["!= true", "boolean", "!= true", [false], [true, null]],
    ["null", "string", "null", [null, undefined, ""], ["x"]],
    ["null", "number", "null", [null, undefined, "", Number.NaN, "abc"], [0]],
    ["= null", "boolean", "null", [null], [false]],
    ["not(null)", "string", "not(null)", ["x"], [null, ""]],
    ["!= null", "number", "not(null)", [0, -1], [null]],
    ["not('A')", "string", "not('A')", ["B"], ["A", null]],
    ["not('A', 'B')", "string", "not('A', 'B')", ["C"], ["A", "B", null]],
    ["not(null, 'A')", "string", "not(null, 'A')", ["B"], ["A", null]],
    ["not([1..5])", "number", "not([1..5])", [0, 6], [3, null]],
    ["not(not('A'))", "string", "not(not('A'))", ["A"], ["B", null]],
    ["null, 'A'", "string", "null, 'A'", [null, "A"], ["B"]],
    ["contains('dev')", "string", "contains('dev')", ["DevOps lead", "webdev"], ["ops", null]],
    ['contains(?, "dev")', "string", "contains('dev')", ["devs"], ["ops"]],
    ["starts with('VP')", "string", "starts with('VP')", ["VP Sales", "vp of ops"], ["SVP", null]],
    ["starts  with ( 'vp' )", "string", "starts with('vp')", ["VP"], ["SVP"]],
    ["startsWith('vp')", "string", "starts with('vp')", ["Vp"], ["x"]],
    ['starts with(?, "VP")', "string", "starts with('VP')", ["vp"], ["x"]],
    ["ends with('.edu')", "string", "ends with('.edu')", ["mit.EDU"], ["edu.com"]],
    ["endsWith('.edu')", "string", "ends with('.edu')", ["a.edu"], ["a.com"]],
    ["not(contains('test'))", "string", "not(contains('test'))", ["real"], ["Test lead", null]],
    ["< 'm'", "string", "< 'm'", ["apple"], ["zebra", null]],
    ["['a'..'f']", "string", "['a'..'f']", ["c"], ["g"]],
    ['date("2026-01-31")', "date", 'date("2026-01-31")', ["2026-01-31", "2026-01-31T23:59:00Z", new Date(Date.UTC(2026, 0, 31, 12))], ["2026-02-01", null]],
    ['>= date("2026-01-01")', "date", '>= date("2026-01-01")', ["2026-06-01"], ["2025-12-31", null]],
    ['[date("2026-01-01")..date("2026-03-31")]', "date", '[date("2026-01-01")..date("2026-03-31")]', ["2026-02-15"], ["2026-04-01"]],
    ["'api'", "string[]", "'api'", [["api"], ["web", "api"], "api"], [["web"], [], null]],
    ["'api', 'sdk'", "string[]", "'api', 'sdk'", [["sdk"], ["x", "api"]], [["web"]]],
    ["not('api')", "string[]", "not('api')", [["web"], ["web", "crm"]], [["web", "api"], null, []]],
    ["null", "string[]", "null", [null, [], [""]], [["a"]]],
    ["contains('pay')", "string[]", "contains('pay')", [["Payments"]], [["api"]]],
  ];

  it.each(cases)("%s on a %s column", (cell, type, canonical, yes, no) => {
    const test = parsed(cell, type);
    expect(formatUnaryTest(test)).toBe(canonical);
    // The canonical text parses back to the same test.
    expect(formatUnaryTest(parsed(formatUnaryTest(test), type))).toBe(canonical);
    const m = matcher(cell, type);
    for (const v of yes) expect(m(v), `${cell} should match ${JSON.stringify(v)}`).toBe(true);
    for (const v of no) expect(m(v), `${cell} should not match ${JSON.stringify(v)}`).toBe(false);
  });

  it("formats FEEL-standard text on request", () => {
    const t = parsed("'A', contains('x'), starts with('y'), ends with(\"z\")", "string");
    expect(formatUnaryTest(t, { quote: '"', functions: "feel" })).toBe('"A", contains(?, "x"), starts with(?, "y"), ends with(?, "z")');
    expect(formatUnaryTest(parsed("'tab\there'", "string"), { quote: '"' })).toBe('"tab\\there"');
    expect(formatUnaryTest(parsed("'\\u0001'", "string"))).toBe("'\\u0001'");
    expect(formatUnaryTest(parsed("'a\\\\b\\r'", "string"))).toBe("'a\\\\b\\r'");
    expect(formatUnaryTest(parsed("-0", "number"))).toBe("0");
  });

  it("warns about thousands separators that read as lists", () => {
    const r = parseUnaryTest(">= 1,500", "number");
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]?.position).toEqual({ start: 3, end: 8 });
    }
    const spaced = parseUnaryTest("1, 500", "number");
    expect(spaced.ok && spaced.warnings).toEqual([]);
  });
});

describe("parseUnaryTest: errors carry a code, a message and the position", () => {
  // [cell, type, code, message fragment, start, end]
  const cases: Array<[string, InputType, string, string, number, number]> = [
    ["support", "string", "syntax", "unquoted text 'support'", 0, 7],
    ["paid ads", "string", "syntax", "unquoted text 'paid ads'", 0, 8],
    ["'NA', EMEA", "string", "syntax", "unquoted text 'EMEA'", 6, 10],
    ["'NA", "string", "syntax", "unterminated string", 0, 3],
    ["\u2018NA\u2019", "string", "syntax", "curly quotes", 0, 1],
    ["'a\\qb'", "string", "syntax", "unknown escape", 2, 4],
    ["'\\u12'", "string", "syntax", "invalid \\u escape", 1, 5],
    ["True", "boolean", "syntax", "did you mean 'true'", 0, 4],
    ["NULL", "string", "syntax", "did you mean 'null'", 0, 4],
    ["startswith('a')", "string", "unsupported", "unsupported function 'startswith", 0, 10],
    ["StartsWith", "string", "syntax", "did you mean 'startsWith'", 0, 10],
    ["endswith", "string", "syntax", "did you mean 'endsWith'", 0, 8],
    ["substring('abc', 1)", "string", "unsupported", "unsupported function 'substring", 0, 9],
    ["> abs(5)", "number", "unsupported", "unsupported function 'abs", 2, 5],
    ["1 + 2", "number", "unsupported", "arithmetic", 2, 3],
    ["> 5 * 2", "number", "unsupported", "arithmetic", 4, 5],
    ["5 - 2", "number", "unsupported", "arithmetic", 2, 3],
    ["> 5 and < 10", "number", "unsupported", "'and' is not supported", 4, 7],
    ["'a' or 'b'", "string", "unsupported", "'or' is not supported", 4, 6],
    ["'a' && 'b'", "string", "syntax", "'&' is not supported", 4, 5],
    ["!'a'", "string", "syntax", "'!' is only valid", 0, 1],
    ["? > 5", "number", "unsupported", "'?' are not supported", 0, 1],
    ["{a: 1}", "string", "unsupported", "contexts", 0, 1],
    ["'a',,'b'", "string", "syntax", "empty entry", 3, 4],
    ["'a',", "string", "syntax", "empty entry", 3, 4],
    ["'a' 'b'", "string", "syntax", "unexpected ''b''", 4, 7],
    ["- , 'a'", "string", "syntax", "'-' (any) must be the whole cell", 0, 1],
    ["'a', -", "string", "syntax", "'-' (any) must be the whole cell", 5, 6],
    ["[1..]", "number", "syntax", "expected a value as the end of the range", 4, 5],
    ["[1 5]", "number", "syntax", "expected '..' in range", 3, 4],
    ["[1..5", "number", "syntax", "expected ']' or ')' to close the range", 5, 6],
    ["[5..1]", "number", "syntax", "empty range", 0, 6],
    ["(5..5]", "number", "syntax", "empty range", 0, 6],
    ["[1..'b']", "number", "syntax", "different types", 0, 8],
    ["[null..5]", "number", "syntax", "cannot start at null", 0, 5],
    ["[1..null]", "number", "syntax", "cannot end at null", 0, 8],
    ["[true..false]", "boolean", "type", "ranges do not apply", 0, 13],
    ["< null", "number", "syntax", "cannot compare with null", 0, 6],
    ["<", "number", "syntax", "expected a value after '<'", 1, 2],
    ["not 'a'", "string", "syntax", "not needs parentheses", 0, 3],
    ["not()", "string", "syntax", "not() needs at least one test", 0, 5],
    ["not('a'", "string", "syntax", "expected ')' to close not(", 7, 8],
    ["1,000", "number", "syntax", "leading zero", 2, 5],
    ["007", "number", "syntax", "leading zero", 0, 3],
    ["5kg", "number", "syntax", "'5kg' is not a number", 0, 3],
    ["1e999", "number", "syntax", "too large", 0, 5],
    ["1.", "number", "syntax", "unexpected '.'", 1, 2],
    ["@", "string", "syntax", "unexpected character '@'", 0, 1],
    [")", "string", "syntax", "unexpected ')'", 0, 1],
    ["date('2026-02-30')", "date", "syntax", "invalid date '2026-02-30'", 5, 17],
    ["date('31/01/2026')", "date", "syntax", "invalid date", 5, 17],
    ["date(2026)", "date", "syntax", "takes a quoted date", 5, 9],
    ["date'x'", "date", "syntax", "expected '(' after date", 4, 7],
    ["contains(5)", "string", "type", "takes quoted text", 9, 10],
    ["contains(x)", "string", "syntax", "takes quoted text", 9, 10],
    ["contains('')", "string", "syntax", "matches any text", 9, 11],
    ["contains(?; 'x')", "string", "syntax", "unexpected character ';'", 10, 11],
    ["starts", "string", "syntax", "unquoted text 'starts'", 0, 6],
    // type mismatches
    [">= 5", "string", "type", "found the number 5 in a text column; write '5'", 3, 4],
    ["'x'", "number", "type", "found text 'x' in a number column", 0, 3],
    ["'42'", "number", "type", "drop the quotes: 42", 0, 4],
    ["'true'", "boolean", "type", "drop the quotes: true", 0, 6],
    ["> true", "boolean", "type", "'>' does not apply to a true/false column", 0, 6],
    ["5", "boolean", "type", "in a true/false column", 0, 1],
    ["'2026-01-31'", "date", "type", 'write dates as date("2026-01-31")', 0, 12],
    ["> 5", "date", "type", "in a date column", 2, 3],
    ["contains('x')", "number", "type", "text tests do not apply to a number column", 0, 13],
    ["not(contains('x'))", "boolean", "type", "text tests do not apply", 4, 17],
    ["'a', 5", "string[]", "type", "in a text-set column", 5, 6],
    ['date("2026-01-01")', "string", "type", "found date(", 0, 18],
    ["true", "number", "type", "found true in a number column", 0, 4],
    ["[1..5]", "string", "type", "found the number 1", 1, 2],
  ];

  it.each(cases)("%s (%s) → %s: %s", (cell, type, code, fragment, start, end) => {
    const r = parseUnaryTest(cell, type);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.message).toContain(fragment);
    expect(r.error.position).toEqual({ start, end });
  });
});

describe("parseLiteralText", () => {
  it.each([
    ['"support"', "support"],
    ["'support'", "support"],
    ["240", 240],
    ["-1.5", -1.5],
    ["true", true],
    ["false", false],
    ["null", null],
    ['date("2026-01-31")', "2026-01-31"],
  ])("%s → %j", (text, value) => {
    expect(parseLiteralText(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['"a" + "b"', "arithmetic"],
    ["upper case(x)", "unquoted text"],
    ["concat('a')", "unsupported function"],
    ["= 5", "single literal"],
    ["'a', 'b'", "single literal"],
    ["[1..2]", "single literal"],
    ["", "empty test"],
  ])("%s is rejected (%s)", (text, fragment) => {
    const r = parseLiteralText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(fragment);
  });
});
