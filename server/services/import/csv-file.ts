/**
 * Reading CSV files as a stream of records with csv-parse: bounded memory (the file is read in 256 KB chunks and
 * `for await` gives backpressure: nothing is read ahead of what the import has processed but csv-parse's buffer),
 * UTF-8 BOM stripped, CRLF or LF, quoted fields with newlines, stray quotes inside fields tolerated
 * (`relax_quotes`), and a malformed record reported as a bad row instead of ending the file.
 *
 * Row numbers: row 1 is the first data record after the header (records, not lines: a quoted newline does not
 * start a row). Skipped empty lines do not count. The numbering is deterministic, which is what resuming relies on.
 */
import "server-only";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { parse, type CsvError } from "csv-parse";
import { detectDelimiter } from "@/lib/import";

export type CsvItem =
  | { kind: "row"; row: number; cells: string[] }
  | { kind: "bad"; row: number; message: string };

export interface CsvReadOptions {
  delimiter?: string;
}

/** Thrown when the file has no header or cannot be read as CSV at all. */
export class CsvFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFileError";
  }
}

/** The first line of the file (BOM removed), for delimiter detection; reads at most 64 KB. */
export async function readFirstLine(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString("utf8").replace(/^\uFEFF/, "");
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
}

/** Detects the delimiter from the header line. */
export async function sniffDelimiter(file: string): Promise<"," | ";" | "\t" | "|"> {
  return detectDelimiter(await readFirstLine(file));
}

/** True when the first 8 KB contain a NUL byte (a binary file, e.g. an .xlsx saved as .csv). */
export async function looksBinary(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

/** Header names made unique ("Email", "Email (2)") and BOM-free, blank ones named "Column N". */
export function uniqueHeaders(cells: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((raw, i) => {
    const name = raw.replace(/^\uFEFF/, "").trim() || `Column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

/**
 * Opens a CSV file: returns its header and an async iterator over its data records (see the module doc). The
 * caller must either exhaust the iterator or `return()` it (a `for await` loop that breaks does) to close the file.
 */
export async function openCsv(file: string, options: CsvReadOptions = {}): Promise<{ headers: string[]; records: AsyncGenerator<CsvItem> }> {
  const delimiter = options.delimiter ?? (await sniffDelimiter(file));
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const parser = parse({
    bom: true,
    delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    skip_empty_lines: true,
    info: true,
  });
  const skipped: Array<{ lines: number; message: string }> = [];
  parser.on("skip", (error: CsvError & { lines?: number }) => skipped.push({ lines: error.lines ?? 0, message: error.message }));
  stream.on("error", (error) => parser.destroy(error));
  stream.pipe(parser);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;

  const first = await iterator.next().catch((error: unknown) => {
    stream.destroy();
    throw new CsvFileError(`The file could not be read as CSV: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (first.done || first.value.record.length === 0) {
    stream.destroy();
    parser.destroy();
    throw new CsvFileError("The file is empty: it needs a header row with column names.");
  }
  const headers = uniqueHeaders(first.value.record);
  // Bad records before the header line are header problems; drop them from the queue.
  while (skipped.length && skipped[0]!.lines <= first.value.info.lines) skipped.shift();

  async function* records(): AsyncGenerator<CsvItem> {
    let row = 0;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const { record, info } = next.value;
        while (skipped.length && skipped[0]!.lines < info.lines) {
          row++;
          yield { kind: "bad", row, message: `The row is not valid CSV: ${skipped.shift()!.message}` };
        }
        row++;
        yield { kind: "row", row, cells: record };
      }
      while (skipped.length) {
        row++;
        yield { kind: "bad", row, message: `The row is not valid CSV: ${skipped.shift()!.message}` };
      }
    } finally {
      stream.destroy();
      parser.destroy();
    }
  }
  return { headers, records: records() };
}

/** Reads the header and the first `limit` data rows (for detection and preview), then closes the file. */
export async function readSample(file: string, limit: number, options: CsvReadOptions = {}): Promise<{ headers: string[]; rows: CsvItem[] }> {
  const { headers, records } = await openCsv(file, options);
  const rows: CsvItem[] = [];
  for await (const item of records) {
    rows.push(item);
    if (rows.length >= limit) break;
  }
  return { headers, rows };
}

/** Counts the data rows of a file (a full streaming pass; ~1 s per 100 MB). */
export async function countRows(file: string, options: CsvReadOptions = {}): Promise<{ headers: string[]; rows: number }> {
  const { headers, records } = await openCsv(file, options);
  let rows = 0;
  for await (const item of records) rows = item.row;
  return { headers, rows };
}

/**
 * Checks the cell count of a record against the header: fewer cells, or extra non-empty ones, make the row bad
 * (a shifted row would put values in the wrong fields). Returns the message, or null when the row fits.
 */
export function shapeProblem(cells: readonly string[], headerCount: number): string | null {
  if (cells.length < headerCount) return `The row has ${cells.length} of the header's ${headerCount} columns`;
  for (let i = headerCount; i < cells.length; i++) {
    if (cells[i]!.trim() !== "") return `The row has ${cells.length} columns; the header has ${headerCount}`;
  }
  return null;
}
