/**
 * Cells: the unary-test language (the S-FEEL subset DMN decision tables use, as GoRules does too), parsed into a
 * small AST and type-checked against the column type. Hand-written recursive descent: the grammar is tiny, and we
 * need positions and messages a person can act on ("unquoted text 'support': write 'support'"), which a generic
 * FEEL parser does not give. Grammar and semantics: README.md in this folder.
 *
 *   cell     := "-" | "" | list
 *   list     := test ("," test)*
 *   test     := "null" | "not" "(" list ")" | ("<"|"<="|">"|">="|"="|"!=") literal | range | text-fn | literal
 *   range    := ("[" | "(" | "]") literal ".." literal ("]" | ")" | "[")
 *   text-fn  := ("contains" | "starts with" | "startsWith" | "ends with" | "endsWith") "(" ["?" ","] string ")"
 *   literal  := string | number | "true" | "false" | "date" "(" string ")"
 *   string   := '…' | "…"   (escapes \\ \' \" \n \r \t \uXXXX)
 */

import { type InputType } from "./schema";
import { dayNumberFromIso } from "./values";

/** Offsets into the cell text, 0-based, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

export type Literal =
  | { type: "string"; value: string; span: Span }
  | { type: "number"; value: number; span: Span }
  | { type: "boolean"; value: boolean; span: Span }
  /** `value` is the day number since 1970-01-01; `iso` is the date as written. */
  | { type: "date"; value: number; iso: string; span: Span };

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type TextFn = "contains" | "startsWith" | "endsWith";

export type UnaryTest =
  | { kind: "any" }
  | { kind: "null"; span: Span }
  | { kind: "compare"; op: CompareOp; value: Literal; span: Span }
  | { kind: "range"; low: Literal; high: Literal; lowInclusive: boolean; highInclusive: boolean; span: Span }
  /** Case-insensitive; `needle` as written. */
  | { kind: "text"; fn: TextFn; needle: string; span: Span }
  | { kind: "not"; test: UnaryTest; span: Span }
  | { kind: "anyOf"; tests: UnaryTest[]; span: Span };

export type CellErrorCode = "syntax" | "unsupported" | "type";

export interface CellError {
  code: CellErrorCode;
  message: string;
  position: Span;
}

export interface CellWarning {
  message: string;
  position: Span;
}

export type ParseUnaryTestResult =
  | { ok: true; test: UnaryTest; warnings: CellWarning[] }
  | { ok: false; error: CellError };

type Op = "<" | "<=" | ">" | ">=" | "=" | "!=" | "," | "(" | ")" | "[" | "]" | ".." | "?" | "-" | "+" | "*" | "/" | "**" | "{" | "}" | ":";

type Token =
  | { t: "str"; value: string; start: number; end: number }
  | { t: "num"; value: number; text: string; start: number; end: number }
  | { t: "name"; value: string; start: number; end: number }
  | { t: "op"; value: Op; start: number; end: number }
  | { t: "eof"; start: number; end: number };

class CellSyntaxError extends Error {
  constructor(
    readonly code: CellErrorCode,
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

const fail = (message: string, start: number, end: number, code: CellErrorCode = "syntax"): never => {
  throw new CellSyntaxError(code, message, { start, end: Math.max(end, start + 1) });
};

const NAME_START = /[\p{L}_$]/u;
const NAME_PART = /[\p{L}\p{N}_$]/u;
const DIGIT = /[0-9]/u;
const NUMBER_AT = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/uy;
const TWO_CHAR_OPS: readonly Op[] = ["<=", ">=", "!=", "..", "**"];
const ONE_CHAR_OPS = new Set<string>(["<", ">", "=", ",", "(", ")", "[", "]", "?", "-", "+", "*", "/", "{", "}", ":"]);
const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\", "'": "'", '"': '"', n: "\n", r: "\r", t: "\t" };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\u00a0") {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      i = readString(src, i, out);
      continue;
    }
    if (c === "\u2018" || c === "\u2019" || c === "\u201c" || c === "\u201d") {
      fail("curly quotes are not string quotes: use straight quotes ' or \"", i, i + 1);
    }
    if (DIGIT.test(c)) {
      NUMBER_AT.lastIndex = i;
      const m = NUMBER_AT.exec(src) as RegExpExecArray;
      const text = m[0];
      if (/^0[0-9]/u.test(text)) fail(`number '${text}' has a leading zero (thousands separators are not allowed)`, i, i + text.length);
      const after = src[i + text.length];
      if (after !== undefined && NAME_PART.test(after)) {
        let j = i + text.length;
        while (j < src.length && NAME_PART.test(src[j] as string)) j++;
        fail(`'${src.slice(i, j)}' is not a number; put text in quotes: '${src.slice(i, j)}'`, i, j);
      }
      const value = Number(text);
      if (!Number.isFinite(value)) fail(`number '${text}' is too large`, i, i + text.length);
      out.push({ t: "num", value, text, start: i, end: i + text.length });
      i += text.length;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_PART.test(src[j] as string)) j++;
      out.push({ t: "name", value: src.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if ((TWO_CHAR_OPS as readonly string[]).includes(two)) {
      out.push({ t: "op", value: two as Op, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === "!") fail("'!' is only valid in '!='; use not(…) to negate", i, i + 1);
    if (c === "&" || c === "|") fail(`'${c}' is not supported: a comma means "or"; use one column per condition for "and"`, i, i + 1);
    if (ONE_CHAR_OPS.has(c)) {
      out.push({ t: "op", value: c as Op, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === ".") fail("unexpected '.': write ranges as [a..b] and decimals as 0.5", i, i + 1);
    fail(`unexpected character '${c}'`, i, i + 1);
  }
  out.push({ t: "eof", start: src.length, end: src.length });
  return out;
}

function readString(src: string, start: number, out: Token[]): number {
  const q = src[start] as string;
  let value = "";
  let i = start + 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === q) {
      out.push({ t: "str", value, start, end: i + 1 });
      return i + 1;
    }
    if (c === "\\") {
      const e = src[i + 1];
      if (e === "u") {
        const hex = src.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/u.test(hex)) fail("invalid \\u escape: expected 4 hex digits", i, i + 2 + (/^[0-9a-fA-F]*/u.exec(hex)?.[0].length ?? 0));
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const mapped = e === undefined ? undefined : ESCAPES[e];
      if (mapped === undefined) fail(`unknown escape '\\${e ?? ""}' (use \\\\ for a backslash)`, i, i + 2);
      value += mapped;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return fail(`unterminated string: missing closing ${q}`, start, src.length);
}

const FUNCTIONS_HELP = "supported in cells: not(…), contains(…), starts with(…), startsWith(…), ends with(…), endsWith(…), date(…)";
const ARITHMETIC: ReadonlySet<string> = new Set(["+", "-", "*", "/", "**"]);

class Parser {
  private p = 0;
  readonly warnings: CellWarning[] = [];
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.toks[Math.min(this.p + offset, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const tok = this.peek();
    if (this.p < this.toks.length - 1) this.p++;
    return tok;
  }
  private isOp(tok: Token, value: Op): boolean {
    return tok.t === "op" && tok.value === value;
  }
  private expectOp(value: Op, what: string): Token {
    const tok = this.peek();
    if (!this.isOp(tok, value)) fail(`expected '${value}' ${what}, found ${this.describe(tok)}`, tok.start, tok.end);
    return this.next();
  }
  private describe(tok: Token): string {
    if (tok.t === "eof") return "the end of the cell";
    return `'${this.src.slice(tok.start, tok.end)}'`;
  }

  parseCell(): UnaryTest {
    const test = this.parseList();
    const tok = this.peek();
    if (tok.t !== "eof") this.unexpected(tok);
    return test;
  }

  private unexpected(tok: Token): never {
    if (tok.t === "op" && ARITHMETIC.has(tok.value)) {
      return fail(`arithmetic ('${tok.value}') is not supported in cells: write the literal value`, tok.start, tok.end, "unsupported");
    }
    if (tok.t === "name" && (tok.value === "and" || tok.value === "or")) {
      return fail(`'${tok.value}' is not supported in a cell: a comma means "or"; use separate columns for "and"`, tok.start, tok.end, "unsupported");
    }
    return fail(`unexpected ${this.describe(tok)}; separate alternatives with commas`, tok.start, tok.end);
  }

  private parseList(): UnaryTest {
    const start = this.peek().start;
    const tests: UnaryTest[] = [this.parseTest()];
    while (this.isOp(this.peek(), ",")) {
      const comma = this.next();
      const after = this.peek();
      if (after.t === "eof" || this.isOp(after, ",") || this.isOp(after, ")")) {
        fail("empty entry in list", comma.start, comma.end);
      }
      tests.push(this.parseTest());
    }
    if (tests.length === 1) return tests[0] as UnaryTest;
    const end = this.toks[this.p - 1]?.end ?? start;
    return { kind: "anyOf", tests, span: { start, end } };
  }

  private parseTest(): UnaryTest {
    const tok = this.peek();
    if (tok.t === "op") {
      switch (tok.value) {
        case "<":
        case "<=":
        case ">":
        case ">=": {
          this.next();
          const value = this.parseLiteral(`after '${tok.value}'`);
          if (value === null) return fail(`'${tok.value}' cannot compare with null`, tok.start, this.toks[this.p - 1]?.end ?? tok.end);
          return { kind: "compare", op: tok.value, value, span: { start: tok.start, end: value.span.end } };
        }
        case "=":
        case "!=": {
          this.next();
          const value = this.parseLiteral(`after '${tok.value}'`);
          const end = this.toks[this.p - 1]?.end ?? tok.end;
          if (value === null) {
            const isNull: UnaryTest = { kind: "null", span: { start: tok.start, end } };
            return tok.value === "=" ? isNull : { kind: "not", test: isNull, span: { start: tok.start, end } };
          }
          return { kind: "compare", op: tok.value, value, span: { start: tok.start, end } };
        }
        case "[":
        case "(":
        case "]":
          return this.parseRange();
        case "-": {
          const n = this.peek(1);
          if (n.t === "num") return this.literalTest();
          return fail("'-' (any) must be the whole cell", tok.start, tok.end);
        }
        case "?":
          return fail("expressions with '?' are not supported; write the test directly, e.g. > 5 or contains('x')", tok.start, tok.end, "unsupported");
        case "{":
          return fail("contexts ({…}) are not supported in cells", tok.start, tok.end, "unsupported");
        default:
          return this.unexpected(tok);
      }
    }
    if (tok.t === "name") {
      switch (tok.value) {
        case "null":
          this.next();
          return { kind: "null", span: { start: tok.start, end: tok.end } };
        case "not": {
          this.next();
          if (!this.isOp(this.peek(), "(")) fail("not needs parentheses, e.g. not('x')", tok.start, tok.end);
          this.next();
          if (this.isOp(this.peek(), ")")) fail("not() needs at least one test", tok.start, this.peek().end);
          const inner = this.parseList();
          const close = this.expectOp(")", "to close not(");
          return { kind: "not", test: inner, span: { start: tok.start, end: close.end } };
        }
        case "true":
        case "false":
        case "date":
          return this.literalTest();
        case "contains":
        case "startsWith":
        case "endsWith":
          this.next();
          return this.parseTextFn(tok.value, tok.start);
        case "starts":
        case "ends": {
          const w = this.peek(1);
          if (w.t === "name" && w.value === "with") {
            this.next();
            this.next();
            return this.parseTextFn(tok.value === "starts" ? "startsWith" : "endsWith", tok.start);
          }
          break;
        }
      }
      return this.unknownName(tok);
    }
    if (tok.t === "str" || tok.t === "num") return this.literalTest();
    return fail("empty test", tok.start, tok.end);
  }

  private unknownName(tok: Extract<Token, { t: "name" }>): never {
    const after = this.peek(1);
    if (this.isOp(after, "(")) {
      return fail(`unsupported function '${tok.value}(…)': ${FUNCTIONS_HELP}`, tok.start, tok.end, "unsupported");
    }
    const lower = tok.value.toLowerCase();
    if (["true", "false", "null", "not", "contains", "date"].includes(lower) || lower === "startswith" || lower === "endswith") {
      return fail(`unknown name '${tok.value}': names are case-sensitive, did you mean '${lower === "startswith" ? "startsWith" : lower === "endswith" ? "endsWith" : lower}'?`, tok.start, tok.end);
    }
    if (lower === "and" || lower === "or") return this.unexpected(tok);
    // A run of bare words ("paid ads") is reported as one piece of unquoted text.
    let end = tok.end;
    let k = 1;
    for (;;) {
      const t = this.peek(k);
      if (t.t !== "name" && t.t !== "num") break;
      end = t.end;
      k++;
    }
    const text = this.src.slice(tok.start, end);
    return fail(`unquoted text '${text}': put text values in quotes, e.g. '${text}'`, tok.start, end);
  }

  private literalTest(): UnaryTest {
    // parseLiteral only returns null for the name `null`, which parseTest handles before calling here.
    const lit = this.parseLiteral("") as Literal;
    return { kind: "compare", op: "=", value: lit, span: lit.span };
  }

  /** "1,500" is almost certainly one number typed with a thousands separator, not the list 1 or 500. */
  private checkThousands(lit: Literal): void {
    const comma = this.peek();
    const n = this.peek(1);
    if (this.isOp(comma, ",") && comma.start === lit.span.end && n.t === "num" && n.start === comma.end && /^[0-9]{3}$/u.test(n.text)) {
      this.warnings.push({
        message: `'${this.src.slice(lit.span.start, n.end)}' reads as two values (${this.src.slice(lit.span.start, lit.span.end)} or ${n.text}); write the number without a thousands separator, or add a space after the comma`,
        position: { start: lit.span.start, end: n.end },
      });
    }
  }

  /** A literal value, or null for the name `null`. */
  private parseLiteral(context: string): Literal | null {
    const tok = this.peek();
    if (tok.t === "str") {
      this.next();
      return { type: "string", value: tok.value, span: { start: tok.start, end: tok.end } };
    }
    if (tok.t === "num") {
      this.next();
      const lit: Literal = { type: "number", value: tok.value, span: { start: tok.start, end: tok.end } };
      this.checkThousands(lit);
      return lit;
    }
    if (tok.t === "op" && tok.value === "-") {
      const n = this.peek(1);
      if (n.t === "num") {
        this.next();
        this.next();
        const lit: Literal = { type: "number", value: -n.value, span: { start: tok.start, end: n.end } };
        this.checkThousands(lit);
        return lit;
      }
    }
    if (tok.t === "name") {
      if (tok.value === "true" || tok.value === "false") {
        this.next();
        return { type: "boolean", value: tok.value === "true", span: { start: tok.start, end: tok.end } };
      }
      if (tok.value === "null") {
        this.next();
        return null;
      }
      if (tok.value === "date") return this.parseDate();
      if (this.isOp(this.peek(1), "(")) {
        return fail(`unsupported function '${tok.value}(…)': ${FUNCTIONS_HELP}`, tok.start, tok.end, "unsupported");
      }
      return this.unknownName(tok);
    }
    return fail(`expected a value${context === "" ? "" : ` ${context}`}, found ${this.describe(tok)}`, tok.start, tok.end);
  }

  private parseDate(): Literal {
    const name = this.next();
    this.expectOp("(", "after date");
    const s = this.peek();
    if (s.t !== "str") return fail(`date(…) takes a quoted date, e.g. date("2026-01-31")`, s.start, s.end);
    this.next();
    const close = this.expectOp(")", "to close date(");
    const day = /^\d{4}-\d{2}-\d{2}$/u.test(s.value) ? dayNumberFromIso(s.value) : null;
    if (day === null) fail(`invalid date '${s.value}': expected a real calendar date as YYYY-MM-DD`, s.start, s.end);
    return { type: "date", value: day as number, iso: s.value, span: { start: name.start, end: close.end } };
  }

  private parseRange(): UnaryTest {
    const open = this.next() as Extract<Token, { t: "op" }>;
    const low = this.parseLiteral("as the start of the range");
    if (low === null) return fail("a range cannot start at null", open.start, this.toks[this.p - 1]?.end ?? open.end);
    if (!this.isOp(this.peek(), "..")) {
      const tok = this.peek();
      return fail(`expected '..' in range, found ${this.describe(tok)} (write [a..b])`, tok.start, tok.end);
    }
    this.next();
    const high = this.parseLiteral("as the end of the range");
    if (high === null) return fail("a range cannot end at null", open.start, this.toks[this.p - 1]?.end ?? open.end);
    const close = this.peek();
    if (!(this.isOp(close, "]") || this.isOp(close, ")") || this.isOp(close, "["))) {
      return fail(`expected ']' or ')' to close the range, found ${this.describe(close)}`, close.start, close.end);
    }
    this.next();
    const span = { start: open.start, end: close.end };
    const lowInclusive = open.value === "[";
    const highInclusive = close.t === "op" && close.value === "]";
    if (low.type !== high.type) return fail(`range ends have different types (${low.type} and ${high.type})`, span.start, span.end);
    if (low.type === "boolean") return fail("ranges do not apply to true/false", span.start, span.end, "type");
    if (low.value > high.value || (low.value === high.value && !(lowInclusive && highInclusive))) {
      return fail(`empty range: no value lies in ${this.src.slice(span.start, span.end)}`, span.start, span.end);
    }
    return { kind: "range", low, high, lowInclusive, highInclusive, span };
  }

  private parseTextFn(fn: TextFn, start: number): UnaryTest {
    const label = fn === "contains" ? "contains" : fn === "startsWith" ? "starts with" : "ends with";
    this.expectOp("(", `after ${label}`);
    if (this.isOp(this.peek(), "?")) {
      this.next();
      this.expectOp(",", `after '?' in ${label}(?, …)`);
    }
    const s = this.peek();
    if (s.t !== "str") return fail(`${label}(…) takes quoted text, e.g. ${label}('x')`, s.start, s.end, s.t === "num" ? "type" : "syntax");
    this.next();
    const close = this.expectOp(")", `to close ${label}(`);
    if (s.value === "") fail(`${label}('') matches any text; use - instead`, s.start, s.end);
    return { kind: "text", fn, needle: s.value, span: { start, end: close.end } };
  }
}

function literalDescription(lit: Literal, src: string): string {
  const text = src.slice(lit.span.start, lit.span.end);
  switch (lit.type) {
    case "string":
      return `text ${text}`;
    case "number":
      return `the number ${text}`;
    case "boolean":
      return text;
    case "date":
      return text;
  }
}

const TYPE_NOUN: Readonly<Record<InputType, string>> = {
  string: "a text column",
  "string[]": "a text-set column",
  number: "a number column",
  boolean: "a true/false column",
  date: "a date column",
};

function literalTypeError(lit: Literal, type: InputType, src: string): CellError | null {
  const want = type === "string[]" ? "string" : type;
  if (lit.type === want) return null;
  const found = literalDescription(lit, src);
  let hint = "";
  if (want === "string") hint = `; write '${src.slice(lit.span.start, lit.span.end)}' to match the text`;
  else if (want === "number" && lit.type === "string" && /^-?\d+(?:\.\d+)?$/u.test(lit.value)) hint = `; drop the quotes: ${lit.value}`;
  else if (want === "boolean" && lit.type === "string" && (lit.value === "true" || lit.value === "false")) hint = `; drop the quotes: ${lit.value}`;
  else if (want === "date" && lit.type === "string") hint = `; write dates as date("2026-01-31")`;
  return { code: "type", message: `found ${found} in ${TYPE_NOUN[type]}${hint}`, position: lit.span };
}

function typeCheck(test: UnaryTest, type: InputType, src: string): CellError | null {
  switch (test.kind) {
    case "any":
    case "null":
      return null;
    case "compare":
      if (type === "boolean" && test.op !== "=" && test.op !== "!=") {
        return { code: "type", message: `'${test.op}' does not apply to ${TYPE_NOUN[type]}`, position: test.span };
      }
      return literalTypeError(test.value, type, src);
    case "range":
      if (type === "boolean") return { code: "type", message: `ranges do not apply to ${TYPE_NOUN[type]}`, position: test.span };
      return literalTypeError(test.low, type, src) ?? literalTypeError(test.high, type, src);
    case "text":
      if (type === "string" || type === "string[]") return null;
      return { code: "type", message: `text tests do not apply to ${TYPE_NOUN[type]}`, position: test.span };
    case "not":
      return typeCheck(test.test, type, src);
    case "anyOf":
      for (const t of test.tests) {
        const e = typeCheck(t, type, src);
        if (e !== null) return e;
      }
      return null;
  }
}

/**
 * Parses a cell for a column of the given type: `{ ok: true, test, warnings }` or `{ ok: false, error }` where the
 * error has a code (syntax, unsupported FEEL, type mismatch), a message and the offending span of the cell text.
 */
export function parseUnaryTest(cell: string, type: InputType): ParseUnaryTestResult {
  const trimmed = cell.trim();
  if (trimmed === "" || trimmed === "-") return { ok: true, test: { kind: "any" }, warnings: [] };
  try {
    const parser = new Parser(cell, tokenize(cell));
    const test = parser.parseCell();
    const typeError = typeCheck(test, type, cell);
    if (typeError !== null) return { ok: false, error: typeError };
    return { ok: true, test, warnings: parser.warnings };
  } catch (e) {
    if (e instanceof CellSyntaxError) return { ok: false, error: { code: e.code, message: e.message, position: e.span } };
    throw e;
  }
}

/**
 * Parses one FEEL literal (an output entry or a domain value): 'text', "text", numbers, true, false, null and
 * date("…") (returned as its YYYY-MM-DD text). Anything else is an error with position.
 */
export function parseLiteralText(
  text: string,
): { ok: true; value: string | number | boolean | null } | { ok: false; error: CellError } {
  try {
    const toks = tokenize(text);
    const parser = new Parser(text, toks);
    const test = parser.parseCell();
    if (test.kind === "null") return { ok: true, value: null };
    if (test.kind === "compare" && test.op === "=" && test.span.start === test.value.span.start) {
      const v = test.value;
      return { ok: true, value: v.type === "date" ? v.iso : v.value };
    }
    return { ok: false, error: { code: "unsupported", message: `expected a single literal value, found '${text.trim()}'`, position: { start: 0, end: text.length } } };
  } catch (e) {
    if (e instanceof CellSyntaxError) return { ok: false, error: { code: e.code, message: e.message, position: e.span } };
    throw e;
  }
}

export interface FormatOptions {
  /** Quote for strings: "'" (default, the house style) or '"' (FEEL-standard). */
  quote?: "'" | '"';
  /** "short" writes contains('x'); "feel" writes the FEEL 1.3 form contains(?, "x"). */
  functions?: "short" | "feel";
}

function formatString(s: string, q: "'" | '"'): string {
  let out = q;
  for (const c of s) {
    if (c === q || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c < " ") out += `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return out + q;
}

/** Writes a literal in cell syntax. */
export function formatLiteral(lit: Literal, options: FormatOptions = {}): string {
  const q = options.quote ?? "'";
  switch (lit.type) {
    case "string":
      return formatString(lit.value, q);
    case "number":
      return Object.is(lit.value, -0) ? "0" : String(lit.value);
    case "boolean":
      return String(lit.value);
    case "date":
      return `date("${lit.iso}")`;
  }
}

/** Writes a parsed cell back as canonical text (parseUnaryTest(formatUnaryTest(t)) gives an equivalent test). */
export function formatUnaryTest(test: UnaryTest, options: FormatOptions = {}): string {
  switch (test.kind) {
    case "any":
      return "-";
    case "null":
      return "null";
    case "compare":
      return test.op === "=" ? formatLiteral(test.value, options) : `${test.op} ${formatLiteral(test.value, options)}`;
    case "range":
      return `${test.lowInclusive ? "[" : "("}${formatLiteral(test.low, options)}..${formatLiteral(test.high, options)}${test.highInclusive ? "]" : ")"}`;
    case "text": {
      const name = test.fn === "contains" ? "contains" : test.fn === "startsWith" ? "starts with" : "ends with";
      const needle = formatString(test.needle, options.quote ?? "'");
      return options.functions === "feel" ? `${name}(?, ${needle})` : `${name}(${needle})`;
    }
    case "not":
      return `not(${formatUnaryTest(test.test, options)})`;
    case "anyOf":
      return test.tests.map((t) => formatUnaryTest(t, options)).join(", ");
  }
}

/** Every literal in a test (for domain checks and analysis witnesses). */
export function literalsOf(test: UnaryTest, out: Literal[] = []): Literal[] {
  switch (test.kind) {
    case "compare":
      out.push(test.value);
      break;
    case "range":
      out.push(test.low, test.high);
      break;
    case "not":
      literalsOf(test.test, out);
      break;
    case "anyOf":
      for (const t of test.tests) literalsOf(t, out);
      break;
    default:
      break;
  }
  return out;
}

/** True when the test uses only equality, lists, null and not (its truth depends on exact values only). */
export function isEqualityOnly(test: UnaryTest): boolean {
  switch (test.kind) {
    case "any":
    case "null":
      return true;
    case "compare":
      return test.op === "=" || test.op === "!=";
    case "range":
    case "text":
      return false;
    case "not":
      return isEqualityOnly(test.test);
    case "anyOf":
      return test.tests.every(isEqualityOnly);
  }
}
