/**
 * lib/ is pure: these prove the build fails when a lib/ file imports a framework, a driver, server/ or db/, reads
 * the clock, or uses Math.random — through the same ESLint configuration `npm run build` (check:lib) runs.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function lintLib(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: "lib/boundary-probe.ts" });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("lib/ dependency rules", () => {
  it.each([
    ['import { Kysely } from "kysely";\nexport const k = Kysely;', /no-restricted-imports.*SQL lives in server/],
    ['import pg from "pg";\nexport const p = pg;', /no-restricted-imports/],
    ['import { useState } from "react";\nexport const u = useState;', /no-restricted-imports/],
    ['import { NextResponse } from "next/server";\nexport const n = NextResponse;', /no-restricted-imports/],
    ['import { readFileSync } from "node:fs";\nexport const r = readFileSync;', /no-restricted-imports.*Node built-ins/],
    ['import { getDb } from "@/server/db";\nexport const g = getDb;', /no-restricted-imports.*server/],
    ['import { json } from "../db";\nexport const j = json;', /no-restricted-imports.*server\/, db\//],
    ["export const t = () => Date.now();", /no-restricted-syntax.*clock/],
    ["export const t = () => new Date();", /no-restricted-syntax.*clock/],
    ["export const r = () => Math.random();", /no-restricted-syntax.*seeded/],
    ["export const e = () => process.env.X;", /no-restricted-globals/],
  ])("rejects %s", async (code, pattern) => {
    const messages = await lintLib(code);
    expect(messages.some((m) => pattern.test(m))).toBe(true);
  });

  it("accepts pure code that takes `now` as an argument", async () => {
    expect(await lintLib('import { z } from "zod";\nexport const f = (now: Date) => new Date(now.getTime() + 1);\nexport const s = z.string();')).toEqual([]);
  });
});
