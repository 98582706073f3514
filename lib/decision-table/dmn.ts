/**
 * DMN XML import and export of decision tables (the `decisionTable` of a `decision`: inputs with their
 * inputExpression/inputValues, outputs with outputValues/defaultOutputEntry, annotation columns, rules with
 * inputEntry/outputEntry/annotationEntry, hitPolicy and aggregation).
 *
 * Import is namespace-agnostic: any prefix (or none), DMN 1.3, 1.4 and 1.5 model namespaces (1.1 and 1.2 are
 * accepted too: their decision tables have the same shape). Elements from other namespaces (diagram
 * interchange, vendor extensions) are ignored. Cells must be in the unary-test language of this module; anything
 * else (arithmetic, other FEEL functions, non-FEEL expression languages) fails with DmnImportError naming the
 * element and its text. Parsing uses fast-xml-parser; the XML → table mapping is ours.
 *
 * Export writes DMN 1.3. Cells are written verbatim by default, so ours → XML → ours is the identity; with
 * `{ feel: "standard" }` they are rewritten in FEEL-standard form (double-quoted strings, `contains(?, "x")`,
 * "-" for omitted cells) for tools that only read standard FEEL. Note that this module's text tests are
 * case-insensitive whereas FEEL's contains()/starts with() are case-sensitive.
 */

import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import {
  type DecisionTable,
  type InputColumn,
  type InputType,
  type OutputColumn,
  type OutputType,
  type OutputValue,
  type Rule,
  safeParseDecisionTable,
} from "./schema";
import { formatUnaryTest, parseLiteralText, parseUnaryTest } from "./unary-test";

/** DMN model namespaces this importer reads (without the http(s) scheme and trailing slash). */
const DMN_NAMESPACES: Readonly<Record<string, string>> = {
  "www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
  "www.omg.org/spec/DMN/20180521/MODEL": "1.2",
  "www.omg.org/spec/DMN/20191111/MODEL": "1.3",
  "www.omg.org/spec/DMN/20211108/MODEL": "1.4",
  "www.omg.org/spec/DMN/20230324/MODEL": "1.5",
};
const DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/";
/** Namespace of the one extension attribute we write (`sy:role` on outputs). */
export const SWITCHYARD_DMN_NAMESPACE = "https://switchyard.dev/schema/dmn/1.0";
const STRING_SET_ITEM = "StringSet";

/** One problem found while importing. */
export interface DmnProblem {
  /** Where: e.g. `rule R04 (rule 4) › inputEntry 3 (employees)`. */
  element: string;
  /** The offending text, when there is one. */
  text?: string;
  message: string;
}

/** Thrown by importDmn(): lists every problem found (not just the first). */
export class DmnImportError extends Error {
  readonly problems: readonly DmnProblem[];
  constructor(problems: readonly DmnProblem[]) {
    super(
      `Cannot import DMN:\n${problems
        .slice(0, 20)
        .map((p) => `- ${p.element}: ${p.message}${p.text !== undefined ? ` (text: ${JSON.stringify(p.text)})` : ""}`)
        .join("\n")}${problems.length > 20 ? `\n- … and ${problems.length - 20} more` : ""}`,
    );
    this.name = "DmnImportError";
    this.problems = problems;
  }
}

interface El {
  local: string;
  ns: string | null;
  /** Unprefixed attributes by name; prefixed ones as `{namespace}local`. */
  attrs: Map<string, string>;
  children: El[];
  text: string;
}

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

function toTree(nodes: OrderedNode[], scope: ReadonlyMap<string, string>): El[] {
  const out: El[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ":@");
    if (name === undefined || name === "#text" || name.startsWith("?") || name === "#comment") continue;
    const raw = node[":@"] ?? {};
    const local = new Map(scope);
    for (const [k, v] of Object.entries(raw)) {
      if (k === "xmlns") local.set("", v);
      else if (k.startsWith("xmlns:")) local.set(k.slice(6), v);
    }
    const colon = name.indexOf(":");
    const prefix = colon < 0 ? "" : name.slice(0, colon);
    const attrs = new Map<string, string>();
    for (const [k, v] of Object.entries(raw)) {
      if (k === "xmlns" || k.startsWith("xmlns:")) continue;
      const c = k.indexOf(":");
      attrs.set(c < 0 ? k : `{${local.get(k.slice(0, c)) ?? k.slice(0, c)}}${k.slice(c + 1)}`, v);
    }
    const kids = (node[name] as OrderedNode[] | undefined) ?? [];
    let text = "";
    for (const kid of kids) if (typeof kid["#text"] === "string") text += kid["#text"];
    out.push({ local: colon < 0 ? name : name.slice(colon + 1), ns: local.get(prefix) ?? null, attrs, children: toTree(kids, local), text });
  }
  return out;
}

function dmnVersion(ns: string | null): string | undefined {
  if (ns === null) return undefined;
  return DMN_NAMESPACES[ns.replace(/^https?:\/\//u, "").replace(/\/$/u, "")];
}

function isFeel(language: string | undefined): boolean {
  if (language === undefined || language.trim() === "") return true;
  const l = language.trim().toLowerCase();
  return l === "feel" || l === "s-feel" || l === "sfeel" || /\/s?feel\/?(?:\d+\/?)?$/u.test(l) || /omg\.org\/spec\/(?:dmn\/\d+\/)?s?feel/u.test(l);
}

const NAME = /^[\p{L}_][\p{L}\p{N}_]*(?:[.\s][\p{L}\p{N}_]+)*$/u;

const TYPE_REFS: Readonly<Record<string, InputType>> = {
  string: "string",
  number: "number",
  integer: "number",
  int: "number",
  long: "number",
  double: "number",
  decimal: "number",
  float: "number",
  boolean: "boolean",
  date: "date",
};

/**
 * Reads the decision table of a DMN 1.3–1.5 document as a DecisionTable (schema-validated). With several
 * decision tables in the document, pick one with `decision` (its decision's id or name).
 * Throws DmnImportError listing every problem (unsupported FEEL, unknown types, malformed XML …).
 */
export function importDmn(xml: string, options: { decision?: string } = {}): DecisionTable {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new DmnImportError([{ element: `XML line ${valid.err.line}, column ${valid.err.col}`, message: valid.err.msg }]);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  const roots = toTree(parser.parse(xml) as OrderedNode[], new Map());
  const root = roots[0];
  if (root === undefined || root.local !== "definitions" || dmnVersion(root.ns) === undefined) {
    throw new DmnImportError([
      { element: root === undefined ? "document" : `<${root.local}>`, message: `not a DMN 1.3–1.5 document: expected <definitions> in a DMN model namespace, found ${root === undefined ? "nothing" : `<${root.local}> in ${root.ns ?? "no namespace"}`}` },
    ]);
  }
  const dmnNs = root.ns;
  const kids = (el: El, local: string): El[] => el.children.filter((c) => c.local === local && c.ns === dmnNs);
  const kid = (el: El, local: string): El | undefined => kids(el, local)[0];

  const itemDefinitions = new Map<string, { typeRef: string | undefined; isCollection: boolean }>();
  for (const item of kids(root, "itemDefinition")) {
    const name = item.attrs.get("name");
    if (name !== undefined) itemDefinitions.set(name, { typeRef: kid(item, "typeRef")?.text.trim(), isCollection: item.attrs.get("isCollection") === "true" });
  }

  const decisions = kids(root, "decision").filter((d) => kid(d, "decisionTable") !== undefined);
  let decision: El | undefined;
  if (options.decision !== undefined) {
    decision = decisions.find((d) => d.attrs.get("id") === options.decision || d.attrs.get("name") === options.decision);
    if (decision === undefined) throw new DmnImportError([{ element: "definitions", message: `no decision with a decision table has id or name '${options.decision}'` }]);
  } else {
    if (decisions.length === 0) throw new DmnImportError([{ element: "definitions", message: "the document has no decision with a decision table" }]);
    if (decisions.length > 1) {
      const names = decisions.map((d) => d.attrs.get("name") ?? d.attrs.get("id") ?? "?").join(", ");
      throw new DmnImportError([{ element: "definitions", message: `the document has ${decisions.length} decision tables (${names}); choose one with { decision }` }]);
    }
    decision = decisions[0] as El;
  }
  const dt = kid(decision, "decisionTable") as El;
  const decisionName = decision.attrs.get("name") ?? decision.attrs.get("id") ?? "decision";
  const problems: DmnProblem[] = [];

  const defaultLanguage = root.attrs.get("expressionLanguage");
  const checkLanguage = (el: El, where: string): void => {
    const lang = el.attrs.get("expressionLanguage") ?? defaultLanguage;
    if (!isFeel(lang)) problems.push({ element: where, message: `expression language '${lang}' is not supported; only FEEL unary tests are` });
  };
  checkLanguage(dt, "decisionTable");

  const resolveType = (typeRef: string | undefined, where: string, allowed: readonly string[]): string | undefined => {
    if (typeRef === undefined || typeRef.trim() === "") {
      problems.push({ element: where, message: `missing typeRef: set it to one of ${allowed.join(", ")}` });
      return undefined;
    }
    const raw = typeRef.trim();
    const item = itemDefinitions.get(raw);
    if (item !== undefined) {
      const inner = item.typeRef === undefined ? undefined : resolveType(item.typeRef, where, ["string", "number", "boolean", "date"]);
      if (item.isCollection) {
        if (inner === "string" && allowed.includes("string[]")) return "string[]";
        problems.push({ element: where, text: raw, message: `collection type '${raw}' is not supported here (only collections of string on inputs)` });
        return undefined;
      }
      return inner;
    }
    const bare = raw.replace(/^[A-Za-z]+:/u, "");
    const t = TYPE_REFS[bare.toLowerCase()];
    if (t === undefined || !allowed.includes(t)) {
      problems.push({ element: where, text: raw, message: `type '${raw}' is not supported here; use one of ${allowed.join(", ")}` });
      return undefined;
    }
    return t;
  };

  const literalList = (text: string, where: string, type: InputType | OutputType): Array<string | number | boolean> | undefined => {
    const parsed = parseUnaryTest(text, type === "string[]" ? "string" : type);
    const items = parsed.ok ? (parsed.test.kind === "anyOf" ? parsed.test.tests : [parsed.test]) : [];
    const values: Array<string | number | boolean> = [];
    for (const t of items) {
      if (t.kind !== "compare" || t.op !== "=") {
        problems.push({ element: where, text, message: "only a list of literal values is supported here (e.g. \"a\",\"b\")" });
        return undefined;
      }
      values.push(t.value.type === "date" ? t.value.iso : t.value.value);
    }
    if (!parsed.ok) {
      problems.push({ element: where, text, message: parsed.error.message });
      return undefined;
    }
    return values;
  };

  const inputs: InputColumn[] = kids(dt, "input").map((input, i) => {
    const where = `input ${i + 1}${input.attrs.has("label") ? ` (${input.attrs.get("label")})` : ""}`;
    const expr = kid(input, "inputExpression");
    const field = expr === undefined ? "" : (kid(expr, "text")?.text ?? "").trim();
    if (expr !== undefined) checkLanguage(expr, `${where} › inputExpression`);
    if (!NAME.test(field)) {
      problems.push({ element: `${where} › inputExpression`, text: field, message: field === "" ? "missing input expression" : "only plain names (optionally dotted) are supported as input expressions" });
    }
    const type = (resolveType(expr?.attrs.get("typeRef"), `${where} › inputExpression`, ["string", "number", "boolean", "date", "string[]"]) ?? "string") as InputType;
    const col: InputColumn = { field, type };
    const id = input.attrs.get("id");
    const label = input.attrs.get("label");
    if (id !== undefined) col.id = id;
    if (label !== undefined) col.label = label;
    const values = kid(input, "inputValues");
    const valuesText = values === undefined ? undefined : kid(values, "text")?.text;
    if (valuesText !== undefined && valuesText.trim() !== "") {
      const list = literalList(valuesText, `${where} › inputValues`, type);
      if (list !== undefined) col.allowedValues = list;
    }
    return col;
  });

  const outputEls = kids(dt, "output");
  const outputs: OutputColumn[] = outputEls.map((output, i) => {
    const name = output.attrs.get("name") ?? (outputEls.length === 1 ? (kid(decision, "variable")?.attrs.get("name") ?? decisionName) : undefined) ?? output.attrs.get("label") ?? `output${i + 1}`;
    const where = `output ${i + 1} (${name})`;
    const type = (resolveType(output.attrs.get("typeRef"), where, ["string", "number", "boolean"]) ?? "string") as OutputType;
    const col: OutputColumn = { name, type };
    const id = output.attrs.get("id");
    const label = output.attrs.get("label");
    const role = output.attrs.get(`{${SWITCHYARD_DMN_NAMESPACE}}role`);
    if (id !== undefined) col.id = id;
    if (label !== undefined) col.label = label;
    if (role !== undefined) {
      if (role === "route" || role === "priorityTier" || role === "slaMinutes") col.role = role;
      else problems.push({ element: where, text: role, message: "unknown role (route, priorityTier or slaMinutes)" });
    }
    const values = kid(output, "outputValues");
    const valuesText = values === undefined ? undefined : kid(values, "text")?.text;
    if (valuesText !== undefined && valuesText.trim() !== "") {
      const list = literalList(valuesText, `${where} › outputValues`, type);
      if (list !== undefined) col.allowedValues = list;
    }
    const def = kid(output, "defaultOutputEntry");
    const defText = def === undefined ? undefined : kid(def, "text")?.text;
    if (def !== undefined) checkLanguage(def, `${where} › defaultOutputEntry`);
    if (defText !== undefined && defText.trim() !== "") {
      const lit = parseLiteralText(defText);
      if (lit.ok) col.default = lit.value;
      else problems.push({ element: `${where} › defaultOutputEntry`, text: defText, message: lit.error.message });
    }
    return col;
  });

  const annotationCount = kids(dt, "annotation").length;
  const rules: Rule[] = kids(dt, "rule").map((ruleEl, r) => {
    const id = ruleEl.attrs.get("id") ?? `R${String(r + 1).padStart(2, "0")}`;
    const where = `rule ${id} (rule ${r + 1})`;
    const entries = kids(ruleEl, "inputEntry");
    const outEntries = kids(ruleEl, "outputEntry");
    if (entries.length !== inputs.length) problems.push({ element: where, message: `has ${entries.length} input entries for ${inputs.length} inputs` });
    if (outEntries.length !== outputs.length) problems.push({ element: where, message: `has ${outEntries.length} output entries for ${outputs.length} outputs` });
    const when: Record<string, string> = {};
    entries.forEach((entry, k) => {
      const col = inputs[k];
      if (col === undefined) return;
      const entryWhere = `${where} › inputEntry ${k + 1} (${col.field})`;
      checkLanguage(entry, entryWhere);
      const text = kid(entry, "text")?.text ?? "";
      if (text.trim() === "") return;
      const parsed = parseUnaryTest(text, col.type);
      if (!parsed.ok && parsed.error.code !== "type") {
        problems.push({ element: entryWhere, text, message: `${parsed.error.code === "unsupported" ? "unsupported FEEL" : "cannot parse"}: ${parsed.error.message} (at ${parsed.error.position.start})` });
      }
      when[col.field] = text;
    });
    const then: Record<string, OutputValue> = {};
    outEntries.forEach((entry, k) => {
      const col = outputs[k];
      if (col === undefined) return;
      const entryWhere = `${where} › outputEntry ${k + 1} (${col.name})`;
      checkLanguage(entry, entryWhere);
      const text = kid(entry, "text")?.text ?? "";
      if (text.trim() === "") return;
      const lit = parseLiteralText(text);
      if (lit.ok) then[col.name] = lit.value;
      else problems.push({ element: entryWhere, text, message: `unsupported output entry: ${lit.error.message}; outputs must be literal values` });
    });
    const rule: Rule = { id, when, then };
    const annotations = kids(ruleEl, "annotationEntry")
      .slice(0, Math.max(annotationCount, 1))
      .map((a) => kid(a, "text")?.text ?? "")
      .filter((t) => t !== "");
    if (annotations.length > 0) rule.annotation = annotations.join("\n");
    const description = kid(ruleEl, "description")?.text;
    if (description !== undefined && description !== "") rule.description = description;
    return rule;
  });

  if (problems.length > 0) throw new DmnImportError(problems);
  const candidate: Record<string, unknown> = { name: decisionName, hitPolicy: dt.attrs.get("hitPolicy") ?? "UNIQUE", inputs, outputs, rules };
  const aggregation = dt.attrs.get("aggregation");
  if (aggregation !== undefined) candidate.aggregation = aggregation;
  const description = kid(decision, "description")?.text;
  if (description !== undefined && description !== "") candidate.description = description;
  const parsed = safeParseDecisionTable(candidate);
  if (!parsed.ok) throw new DmnImportError(parsed.issues.map((i) => ({ element: i.path || "decisionTable", message: i.message })));
  return parsed.table;
}

export interface ExportDmnOptions {
  /**
   * "verbatim" (default): cells as written (lossless round trip). "standard": cells rewritten in FEEL-standard form
   * for other DMN tools.
   */
  feel?: "verbatim" | "standard";
}

/** A number in plain decimal notation (FEEL has no exponent syntax): 1e21 → "1000000000000000000000", 1e-7 → "0.0000001". */
function feelNumber(n: number): string {
  const s = String(n);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const sign = s.startsWith("-") ? "-" : "";
  const mantissa = s.slice(sign.length, e);
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const point = (dot < 0 ? mantissa.length : dot) + Number(s.slice(e + 1));
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function feelLiteral(v: OutputValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return feelNumber(v);
  return String(v);
}

function domainLiteral(type: InputType, v: string | number | boolean): string {
  return type === "date" && typeof v === "string" ? `date(${JSON.stringify(v)})` : feelLiteral(v);
}

function slug(s: string): string {
  const out = s.replace(/[^A-Za-z0-9_-]+/gu, "_").replace(/^[^A-Za-z_]+/u, "");
  return out === "" ? "table" : out;
}

function escapeText(s: string): string {
  return s.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;").replace(/\r/gu, "&#13;");
}

function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/gu, "&quot;").replace(/\n/gu, "&#10;").replace(/\t/gu, "&#9;");
}

/** Writes a table as a DMN 1.3 document (one decision holding the decision table). */
export function exportDmn(table: DecisionTable, options: ExportDmnOptions = {}): string {
  const standard = options.feel === "standard";
  const id = slug(table.name);
  const cell = (text: string | undefined, type: InputType): string => {
    if (!standard) return text ?? "";
    const parsed = parseUnaryTest(text ?? "-", type);
    return parsed.ok ? formatUnaryTest(parsed.test, { quote: '"', functions: "feel" }) : (text ?? "");
  };
  const text = (t: string): { text: string } => ({ text: t });
  const withAttrs = (attrs: Record<string, string | undefined>, body: Record<string, unknown> = {}): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[`@_${k}`] = v;
    return { ...out, ...body };
  };

  const usesSet = table.inputs.some((i) => i.type === "string[]");
  const usesRole = table.outputs.some((o) => o.role !== undefined);
  const hasAnnotations = table.rules.some((r) => r.annotation !== undefined);

  const decisionTable = withAttrs(
    { id: `decisionTable_${id}`, hitPolicy: table.hitPolicy, aggregation: table.aggregation },
    {
      input: table.inputs.map((input) =>
        withAttrs(
          { id: input.id, label: input.label },
          {
            inputExpression: withAttrs({ typeRef: input.type === "string[]" ? STRING_SET_ITEM : input.type }, text(input.field)),
            ...(input.allowedValues !== undefined ? { inputValues: text(input.allowedValues.map((v) => domainLiteral(input.type, v)).join(",")) } : {}),
          },
        ),
      ),
      output: table.outputs.map((output) =>
        withAttrs(
          { id: output.id, label: output.label, name: output.name, typeRef: output.type, "sy:role": output.role },
          {
            ...(output.allowedValues !== undefined ? { outputValues: text(output.allowedValues.map(feelLiteral).join(",")) } : {}),
            ...(output.default !== undefined ? { defaultOutputEntry: text(feelLiteral(output.default)) } : {}),
          },
        ),
      ),
      ...(hasAnnotations ? { annotation: [withAttrs({ name: "annotation" })] } : {}),
      rule: table.rules.map((rule) =>
        withAttrs(
          { id: rule.id },
          {
            ...(rule.description !== undefined ? { description: rule.description } : {}),
            inputEntry: table.inputs.map((input) => text(cell(rule.when[input.field], input.type))),
            outputEntry: table.outputs.map((output) => text(Object.hasOwn(rule.then, output.name) ? feelLiteral(rule.then[output.name] as OutputValue) : "")),
            ...(hasAnnotations ? { annotationEntry: [text(rule.annotation ?? "")] } : {}),
          },
        ),
      ),
    },
  );

  const doc = {
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    definitions: withAttrs(
      {
        xmlns: DMN13,
        "xmlns:sy": usesRole ? SWITCHYARD_DMN_NAMESPACE : undefined,
        id: `definitions_${id}`,
        name: table.name,
        namespace: "https://switchyard.dev/dmn",
      },
      {
        ...(usesSet ? { itemDefinition: withAttrs({ name: STRING_SET_ITEM, isCollection: "true" }, { typeRef: "string" }) } : {}),
        decision: withAttrs(
          { id: `decision_${id}`, name: table.name },
          { ...(table.description !== undefined ? { description: table.description } : {}), decisionTable },
        ),
      },
    ),
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: false,
    suppressBooleanAttributes: false,
    processEntities: false,
    tagValueProcessor: (_name, v) => escapeText(String(v)),
    attributeValueProcessor: (_name, v) => escapeAttribute(String(v)),
  });
  return builder.build(doc) as string;
}
