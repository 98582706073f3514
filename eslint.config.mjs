// Dependency rules that fail the build (see README "Architecture").
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

/** Imports lib/ may never make: lib/ is pure, isomorphic, and shared by live routing, simulation and benchmarks. */
export const LIB_FORBIDDEN_IMPORTS = {
  paths: [
    { name: "next", message: "lib/ is pure: no framework imports." },
    { name: "react", message: "lib/ is pure: no UI imports." },
    { name: "react-dom", message: "lib/ is pure: no UI imports." },
    { name: "kysely", message: "lib/ is pure: SQL lives in server/ repositories." },
    { name: "pg", message: "lib/ is pure: no database drivers." },
    { name: "server-only", message: "lib/ is isomorphic." },
  ],
  patterns: [
    { group: ["next/*", "react/*", "react-dom/*", "kysely/*", "pg/*", "@electric-sql/*"], message: "lib/ is pure: no framework, UI or database imports." },
    { group: ["node:*", "fs", "fs/*", "path", "os", "child_process", "http", "https", "net", "crypto", "worker_threads"], message: "lib/ is isomorphic: no Node built-ins (no I/O)." },
    { group: ["@/server", "@/server/*", "@/db", "@/db/*", "@/app", "@/app/*", "**/server", "**/server/*", "**/db", "**/db/*", "**/app", "**/app/*"], message: "lib/ may not depend on server/, db/ or app/." },
  ],
};

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", ".scratch/**", "coverage/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["scripts/**/*.mjs", ".ci/**/*.mjs", "*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", fetch: "readonly" } },
  },
  {
    files: ["app/**/*.tsx", "app/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/db/*", "@/server/repositories/*"], message: "app/ calls tRPC or a service, never the database directly." }] }],
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", LIB_FORBIDDEN_IMPORTS],
      "no-restricted-globals": ["error",
        { name: "process", message: "lib/ is isomorphic: configuration is passed in." },
        { name: "fetch", message: "lib/ does no I/O." },
        { name: "window", message: "lib/ is isomorphic." },
        { name: "document", message: "lib/ is isomorphic." },
        { name: "console", message: "lib/ returns diagnostics; it does not log." }],
      "no-restricted-syntax": ["error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "lib/ never reads the clock: take `now` as an argument." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "lib/ never reads the clock: take `now` as an argument." },
        { selector: "CallExpression[callee.object.name='DateTime'][callee.property.name=/^(now|local)$/][arguments.length=0]", message: "lib/ never reads the clock: take `now` as an argument." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "lib/ is deterministic: pass a seeded random source." }],
    },
  },
);
