#!/usr/bin/env node
// `npm test`: the whole suite — lint, type checks, unit tests (with lib/ coverage), integration tests on the
// embedded database (or PostgreSQL when TEST_DATABASE_URL is set), a production build, and the browser tests.
// It makes sure a browser exists first (see scripts/browser.mjs). Installs nothing else.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBrowser } from "./browser.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const bin = (name) => path.join(root, "node_modules", ".bin", name);

const browser = ensureBrowser();
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...(browser ? { CHROMIUM_PATH: browser } : {}) };

const steps = [
  ["lint", bin("eslint"), ["."]],
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["typecheck lib (pure: no DOM, no Node)", bin("tsc"), ["-p", "tsconfig.lib.json"]],
  ["unit tests + lib coverage", bin("vitest"), ["run", "--project", "unit", "--coverage"]],
  [`integration tests (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "embedded PGlite"})`, bin("vitest"), ["run", "--project", "integration"]],
  ["production build", bin("next"), ["build"]],
  ["browser tests", process.execPath, ["scripts/e2e.mjs"]],
];

const timings = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${r.status === 0 ? "✓" : "✗"} ${name} (${seconds} s)`);
  if (r.status !== 0) {
    console.error(`\n${timings.join("\n")}\n\n✗ ${name} failed.`);
    process.exit(r.status ?? 1);
  }
}
console.log(`\n${timings.join("\n")}\n\nAll checks passed.`);
