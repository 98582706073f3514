/**
 * The one database factory. DATABASE_URL unset → embedded PGlite persisted under `.data/pglite` (or any dataDir,
 * `memory://` in tests); set → PostgreSQL through a `pg` Pool. Both return numbers for bigint/numeric so counts and
 * sums compare equal across drivers.
 */
import path from "node:path";
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from "kysely";
import type { Pool } from "pg";
import type { Database } from "./types";
import { ensurePrivateDir, lockDataDir } from "./data-dir";
import { PGliteDialect } from "./dialect/pglite-dialect";

export type { Database } from "./types";

export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives, for logs: a path, `memory://`, or the URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent PGlite is used. */
  url?: string;
  /** PGlite data directory (default `.data/pglite`); `memory://` for an in-memory database. */
  dataDir?: string;
  /** pg pool size (default 10). */
  poolSize?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;
const toNumber = (value: string) => Number(value);
/** `date` columns stay "YYYY-MM-DD" text on both drivers (pg would make a local-midnight Date, PGlite a UTC one). */
const keepText = (value: string) => value;

export const DEFAULT_DATA_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), ".data", "pglite");

/** Opens a database handle; nothing is connected until the first query. */
export function createDatabase(options: DatabaseOptions = {}): DatabaseHandle {
  if (options.url) return createPostgres(options.url, options.poolSize ?? 10);
  return createPGlite(options.dataDir ?? DEFAULT_DATA_DIR);
}

function createPostgres(url: string, poolSize: number): DatabaseHandle {
  // Imported lazily so the embedded path never loads pg (and vice versa).
  const dialect = new PostgresDialect({
    pool: async () => {
      const pg = (await import("pg")).default;
      const pool: Pool = new pg.Pool({
        connectionString: url,
        max: poolSize,
        types: {
          getTypeParser: ((oid: number, format?: "text" | "binary") =>
            oid === INT8_OID || oid === NUMERIC_OID ? toNumber : oid === DATE_OID ? keepText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      return namedStatements(pool);
    },
  });
  const db = new Kysely<Database>({ dialect });
  return { db, kind: "postgres", location: redact(url), close: () => db.destroy() };
}

function createPGlite(dataDir: string): DatabaseHandle {
  const dialect = new PGliteDialect({
    open: async () => {
      const { PGlite, types } = await import("@electric-sql/pglite");
      if (!dataDir.startsWith("memory://")) {
        ensurePrivateDir(path.dirname(dataDir));
        ensurePrivateDir(dataDir);
        lockDataDir(dataDir);
      }
      return PGlite.create(dataDir, {
        parsers: { [types.INT8]: toNumber, [types.NUMERIC]: toNumber, [types.DATE]: keepText },
      });
    },
  });
  const db = new Kysely<Database>({ dialect });
  return { db, kind: "pglite", location: dataDir, close: () => db.destroy() };
}

/**
 * Sends parameterised statements as named prepared statements, so PostgreSQL parses and plans each distinct SQL text
 * once per connection instead of on every call (measured here: ~105 µs → ~28 µs of server CPU for a typical lookup).
 * Names are derived from the text; after MAX_NAMED distinct texts (dynamic IN lists, multi-row inserts) the rest
 * go unnamed, so the per-connection statement cache stays bounded.
 */
const MAX_NAMED = 2000;
const statementNames = new Map<string, string>();

function nameFor(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED) {
    name = `sy${statementNames.size.toString(36)}`;
    statementNames.set(text, name);
  }
  return name;
}

function namedStatements(pool: Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      return {
        query: ((textOrConfig: unknown, values?: unknown[]) => {
          if (typeof textOrConfig === "string" && values && values.length > 0) {
            const name = nameFor(textOrConfig);
            if (name) return client.query({ name, text: textOrConfig, values });
          }
          return client.query(textOrConfig as string, values);
        }) as unknown as PostgresPoolClient["query"],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres";
  }
}

/** jsonb values are always sent as JSON text: pg would turn a JS array into a PostgreSQL array literal. */
export function json<T>(value: T): string {
  return JSON.stringify(value);
}
