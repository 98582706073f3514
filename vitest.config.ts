import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = {
  "@/": root,
  // `server-only` throws outside a React Server bundle; tests import server modules directly.
  "server-only": fileURLToPath(new URL("./tests/support/empty-module.ts", import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    coverage: {
      provider: "v8",
      include: ["lib/**/*.ts"],
      reporter: ["text-summary", "text"],
      reportsDirectory: "coverage",
      // lib/ is the shared core: the unit run fails below 90% of its lines.
      thresholds: { lines: 90 },
    },
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // Signs sessions and encrypts source secrets in tests; never used outside them.
          env: { AUTH_SECRET: "integration-tests-only-secret-0123456789abcdef" },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file gets its own database (PGlite in memory, or a fresh PostgreSQL database).
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
