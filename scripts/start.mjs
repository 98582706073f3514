#!/usr/bin/env node
// `npm start`: build when the build is missing or older than the sources, then serve on PORT (default 3000).
// On the embedded database the first start migrates and seeds the demo workspace (see README).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

if (process.env.DATABASE_URL && !process.env.AUTH_SECRET) {
  console.error("Switchyard will not start: AUTH_SECRET is required when DATABASE_URL is set.\n" +
    "Generate one with `openssl rand -base64 32` and set it in the environment.");
  process.exit(1);
}

const SOURCES = ["app", "server", "lib", "db", "public", "next.config.ts", "instrumentation.ts", "package-lock.json", "tsconfig.json"];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
if (builtAt < sourcesAt) {
  console.log(builtAt ? "Sources changed since the last build: rebuilding…" : "No production build yet: building Switchyard (about a minute)…");
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

const port = process.env.PORT ?? "3000";
console.log(`Starting Switchyard on http://localhost:${port} (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite in .data/"})…`);
const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", port], {
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
