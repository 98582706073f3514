/** The scratch PostgreSQL databases the benchmarks generate into: URLs, an admin client, the generator's metadata. */
import pg from "pg";

/** The URL of database `name` on the server `adminUrl` points at. */
export function scratchUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn` with a client connected to `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** What a generator recorded in the demo workspace's settings (`settings.bench`), or null (none, or no database yet). */
export async function readBenchMeta<M>(url: string): Promise<{ workspaceId: string; meta: M } | null> {
  try {
    return await withClient(url, async (c) => {
      const r = await c.query<{ id: string; bench: M | null }>(`select id, settings->'bench' as bench from workspaces where slug = 'demo'`);
      const row = r.rows[0];
      return row?.bench ? { workspaceId: row.id, meta: row.bench } : null;
    });
  } catch {
    return null;
  }
}
