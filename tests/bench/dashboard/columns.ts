/**
 * Column-wise row buffers encoded as PostgreSQL array literals, for `INSERT … SELECT … FROM unnest($1::text::uuid[],
 * …)`: one statement per batch with one text parameter per column, so a 50,000-row batch is one round trip and the
 * server parses arrays instead of 50,000 VALUES tuples. The same text works on `pg` and on PGlite (every parameter
 * is sent as text and cast on the server). Timestamps travel as integer epoch milliseconds (cheap to format, exact:
 * `to_timestamp(ms / 1000.0)` rounds to the microsecond), uuids bare, everything else quoted.
 */

export type Cell = string | number | boolean | Date | null | undefined;

/** One array element: NULL, or a double-quoted string with `"` and `\` escaped (numbers and booleans bare). */
export function encodeCell(v: Cell): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "t" : "f";
  if (v instanceof Date) return String(v.getTime());
  return /["\\]/.test(v) ? `"${v.replace(/["\\]/g, "\\$&")}"` : `"${v}"`;
}

export interface ColumnSpec {
  name: string;
  /** PostgreSQL element type: uuid, text, timestamptz (cells: epoch ms), jsonb, int4, float8, numeric, bool. */
  type: string;
  /** A column not sent but copied from another column of the row (e.g. recorded_at = occurred_at). */
  copyOf?: string;
}

export class ColumnBuffer {
  private readonly cells: string[][];
  /** uuid columns need no quoting (hex and dashes), the hot path of every table. */
  private readonly bare: boolean[];
  rows = 0;

  readonly columns: readonly ColumnSpec[];
  private readonly copies: readonly ColumnSpec[];

  constructor(readonly table: string, specs: readonly ColumnSpec[]) {
    this.columns = specs.filter((c) => !c.copyOf);
    this.copies = specs.filter((c) => c.copyOf);
    this.cells = this.columns.map(() => []);
    this.bare = this.columns.map((c) => c.type === "uuid" || c.type === "timestamptz");
  }

  /** Appends a row (values in column order). */
  add(values: readonly Cell[]): void {
    if (values.length !== this.columns.length) throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      this.cells[i]!.push(this.bare[i] && (typeof v === "string" || typeof v === "number") ? String(v) : encodeCell(v));
    }
    this.rows++;
  }

  /** The statement and its parameters; `constants` are prepended columns with one value for every row. */
  statement(constants: ReadonlyArray<{ name: string; type: string; value: string }> = []): { text: string; params: string[] } {
    const names = this.columns.map((c) => c.name);
    const k = constants.length;
    const unnest = this.columns.map((c, i) => `$${k + i + 1}::text::${c.type === "timestamptz" ? "int8" : c.type}[]`).join(", ");
    const value = (c: ColumnSpec) => (c.type === "timestamptz" ? `to_timestamp(u.${c.name} / 1000.0)` : `u.${c.name}`);
    const select = [
      ...constants.map((c, i) => `$${i + 1}::${c.type}`),
      ...this.columns.map(value),
      ...this.copies.map((c) => value(this.columns.find((x) => x.name === c.copyOf)!)),
    ].join(", ");
    const target = [...constants.map((c) => c.name), ...names, ...this.copies.map((c) => c.name)].join(", ");
    const text = `insert into ${this.table} (${target}) select ${select} from unnest(${unnest}) as u(${names.join(", ")})`;
    return { text, params: [...constants.map((c) => c.value), ...this.cells.map((col) => `{${col.join(",")}}`)] };
  }
}
