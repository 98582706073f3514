/**
 * A clean database per test file: PGlite in memory by default; with TEST_DATABASE_URL, a fresh PostgreSQL database
 * created on that server (and dropped afterwards). Both are migrated with the real migrations.
 */
import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { createDatabase, type DatabaseKind } from "@/db";
import { migrateToLatest } from "@/db/migrate";
import type { Database } from "@/db/types";

export interface TestDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** For PostgreSQL: the URL of this test's own database. */
  url?: string;
  close(): Promise<void>;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let result: TestDatabase;
  if (!serverUrl) {
    const handle = createDatabase({ dataDir: "memory://" });
    result = { db: handle.db, kind: "pglite", close: () => handle.close() };
  } else {
    const name = `sy_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = createDatabase({ url: serverUrl, poolSize: 1 });
    await sql.raw(`create database ${name}`).execute(admin.db);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = createDatabase({ url: url.toString(), poolSize: 5 });
    result = {
      db: handle.db,
      kind: "postgres",
      url: url.toString(),
      close: async () => {
        await handle.close();
        await dropWhenDisconnected(admin.db, name);
        await admin.close();
      },
    };
  }
  if (options.migrate !== false) await migrateToLatest(result.db);
  return result;
}

/** pg's pool.end() resolves before the server has seen every socket close; wait for it rather than force-kill. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function dropWhenDisconnected(admin: Kysely<any>, name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await sql.raw(`drop database if exists ${name}`).execute(admin);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006") throw error; // 55006: still being accessed
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await sql.raw(`drop database if exists ${name} with (force)`).execute(admin);
}
