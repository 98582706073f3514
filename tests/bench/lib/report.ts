/**
 * What the in-process benchmarks (dashboard, simulation) share around their figures: count flags, the machine and
 * PostgreSQL settings every figure must be read against, and plain-text tables.
 */
import os from "node:os";
import v8 from "node:v8";
import { withClient } from "./scratch-db";

/** A non-negative whole-number flag ("1_000_000" and "1,000,000" accepted); `dflt` when absent. */
export function countFlag(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v.replace(/[_,]/g, ""));
  if (!Number.isInteger(x) || x < 0) throw new Error(`not a count: ${v}`);
  return x;
}

/** CPU, load, memory and Node; with `postgres`, the server's settings named in `settings` (or why it is unreachable). */
export async function machineLines(postgres: { adminUrl: string; settings: readonly string[] } | null): Promise<string[]> {
  const cpus = os.cpus();
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const lines = [
    `CPU: ${cpus[0]?.model ?? "unknown"} × ${cpus.length} cores (shared by Node, PostgreSQL and anything else running)`,
    `Load average (1/5/15 min) at start: ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}`,
    `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB (${(os.freemem() / 2 ** 30).toFixed(1)} GiB free); Node ${process.version} (heap limit ${mib(v8.getHeapStatistics().heap_size_limit)}); ${os.type()} ${os.release()}`,
  ];
  if (postgres) {
    const host = new URL(postgres.adminUrl).host;
    try {
      const settings = await withClient(postgres.adminUrl, async (c) => (await c.query<{ name: string; setting: string; unit: string | null }>(
        `select name, setting, unit from pg_settings where name = any($1) order by name`, [postgres.settings],
      )).rows);
      const show = (x: { name: string; setting: string; unit: string | null }) => {
        if (x.unit === "8kB") return `${x.name}=${Math.round((Number(x.setting) * 8) / 1024)}MB`;
        if (x.unit === "kB") return `${x.name}=${Math.round(Number(x.setting) / 1024)}MB`;
        return `${x.name}=${x.setting}`;
      };
      lines.push(`PostgreSQL on ${host}: ${settings.map(show).join(", ")}`);
    } catch (error) {
      lines.push(`PostgreSQL unreachable at ${host}: ${String(error)}`);
    }
  }
  return lines;
}

/** A plain-text table: the first `leftCols` columns left-aligned, the rest right-aligned. */
export function textTable(head: string[], rows: string[][], leftCols = 1): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftCols ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}
