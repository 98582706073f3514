// Finds a Chromium for the browser tests, or installs one, and says what it is doing.
// Order: CHROMIUM_PATH → /usr/bin/chromium → Debian's `chromium` via apt-get (when root and apt-get exists)
// → Playwright's own download (`playwright install chromium`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { stdio: "inherit" }).status === 0;
}

function which(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).stdout.trim() || null;
}

/** Returns an executable path, or null to let Playwright use its own downloaded browser. */
export function ensureBrowser() {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
    console.log(`Browser: CHROMIUM_PATH=${process.env.CHROMIUM_PATH}`);
    return process.env.CHROMIUM_PATH;
  }
  if (existsSync("/usr/bin/chromium")) {
    console.log("Browser: /usr/bin/chromium");
    return "/usr/bin/chromium";
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (which("apt-get") && (isRoot || which("sudo"))) {
    console.log("Browser: no Chromium found; installing Debian's chromium package (about 35 s)…");
    // sudo -n: never stop at a password prompt; without passwordless sudo we fall through to Playwright's download.
    const apt = (...args) => (isRoot ? run("apt-get", args) : run("sudo", ["-n", "apt-get", ...args]));
    const ok = apt("update", "-qq") && apt("install", "-y", "-qq", "--no-install-recommends", "chromium");
    if (ok && existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
    console.log("Browser: apt-get did not provide /usr/bin/chromium; falling back to Playwright's download.");
  }
  // As root, --with-deps also installs the system libraries the downloaded browser needs.
  const withDeps = isRoot && which("apt-get") ? ["--with-deps"] : [];
  console.log(`Browser: downloading Playwright's Chromium (\`playwright install ${withDeps.join(" ")} chromium\`)…`);
  if (!run(process.execPath, ["node_modules/@playwright/test/cli.js", "install", ...withDeps, "chromium"])) {
    throw new Error("Could not find or install a browser. Install Chromium and set CHROMIUM_PATH.");
  }
  return null;
}
