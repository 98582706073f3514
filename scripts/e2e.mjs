#!/usr/bin/env node
// Browser tests: Playwright against a production build (`npm run build` first), on a fresh embedded database in a
// temporary folder, with the browser from scripts/browser.mjs.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBrowser } from "./browser.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No production build: run `npm run build` first (npm test does it for you).");
  process.exit(1);
}
const browser = process.env.CHROMIUM_PATH ?? ensureBrowser();
const r = spawnSync(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, ...(browser ? { CHROMIUM_PATH: browser } : {}) },
});
process.exit(r.status ?? 1);
