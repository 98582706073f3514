/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and summarises where the time went: self time by area (Next.js, React,
 * pg, Kysely, zod, app code, GC, idle…) and the hottest functions. Used by `npm run bench:ingest -- --cpu-prof`.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The area a stack frame belongs to, from its script URL (bundled chunks are named after their modules). */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(idle)") return "idle";
    if (functionName === "(program)") return "V8/native (program)";
    return "native";
  }
  const u = url.toLowerCase();
  const tests: Array<[RegExp, string]> = [
    [/node_modules[/_]pg(-[a-z]+)?[/_]|pg-protocol|pg-pool|pg-types/u, "pg driver"],
    [/kysely/u, "Kysely"],
    [/[/_]zod[/_@]/u, "zod"],
    [/react-dom|react-server|[/_]react[/_]/u, "React"],
    [/next[/_]dist|[/_]next[/_]|next-server|compiled[/_]/u, "Next.js"],
    [/libphonenumber/u, "libphonenumber"],
    [/luxon/u, "luxon"],
    [/rate-limiter/u, "rate limiter"],
    [/^node:|^internal\//u, "Node core"],
    [/\.next[/]server[/]/u, "app code (bundled)"],
    [/node_modules/u, "other packages"],
    [/[/]tests[/]/u, "tests/ (harness)"],
    [/[/]lib[/]/u, "lib/"],
    [/[/]server[/]/u, "server/"],
    [/[/]db[/]/u, "db/"],
  ];
  for (const [re, area] of tests) if (re.test(u)) return area;
  return "other";
}

/** Lines describing self time by area and the `top` hottest functions of the profile at `file`. */
export function summarizeCpuProfile(file: string, top = 20): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    total += us;
    if (area === "idle") {
      idle += us;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + us);
    const short = url.replace(/^.*\/(node_modules|\.next)\//u, "$1/");
    const key = `${functionName || "(anonymous)"}  ${short}${url ? `:${lineNumber + 1}` : ""}  [${area}]`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)}%`;
  const lines = [`busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s profiled; self time by area:`];
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) lines.push(`${pct(us)}  ${area}`);
  lines.push(`hottest functions (self time):`);
  for (const [fn, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${fn}`);

  // Inclusive time of the project's own functions (lib/, server/, db/): self plus everything they call, each stack
  // counted once per function even when it recurses.
  const inclusive = new Map<string, number>();
  const own = (n: ProfileNode) => /[/](lib|server|db)[/]/u.test(n.callFrame.url) && !/node_modules|[/]tests[/]|\.next[/]/u.test(n.callFrame.url);
  const root = `file://${process.cwd()}/`;
  const keyOf = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"}  ${n.callFrame.url.replace(root, "")}:${n.callFrame.lineNumber + 1}`;
  const walk = (id: number, open: Set<string>): number => {
    const node = byId.get(id);
    if (!node) return 0;
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    let sum = area === "idle" ? 0 : selfUs.get(id) ?? 0;
    const key = own(node) ? keyOf(node) : null;
    const fresh = key !== null && !open.has(key);
    if (fresh) open.add(key);
    for (const child of node.children ?? []) sum += walk(child, open);
    if (fresh) {
      open.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
    }
    return sum;
  };
  const top0 = profile.nodes[0];
  if (top0) walk(top0.id, new Set());
  if (inclusive.size) {
    lines.push(`project functions by inclusive time (self + callees):`);
    for (const [fn, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${fn}`);
  }
  return lines;
}
