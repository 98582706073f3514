/**
 * Where a simulation's time goes: the history read alone (the service's repository call over the stored days, no
 * replay) with this process's and PostgreSQL's CPU, and a V8 CPU profile of one full run
 * (node:inspector in this process), summarised by area and hottest functions.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { historyDays, historyFactKeys, readHistory } from "@/server/repositories/simulation.repository";
import { summarizeCpuProfile } from "../lib/cpu-profile";
import { postgresCpuByPid, postgresCpuDelta } from "../lib/harness";
import type { SimulationSetup } from "./prepare";
import type { Period } from "./run";

export interface LoadOnly {
  days: number;
  leads: number;
  wallMs: number;
  nodeCpuMs: number;
  pgCpuMs: number | null;
  /** The slowest day's read and decode (ms) and its lead count. */
  slowest: { ms: number; leads: number };
}

/** The service's history read without the replay: the stored days, read and decoded as a simulation reads them. */
export async function loadOnly(db: Kysely<Database>, setup: SimulationSetup, period: Period, pgCpu: boolean): Promise<LoadOnly> {
  const factKeys = historyFactKeys(new Set([...setup.baseline.definition.inputs, ...setup.draft.definition.inputs].map((i) => i.field)));
  const pg0 = pgCpu ? postgresCpuByPid() : null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let leads = 0;
  const slowest = { ms: 0, leads: 0 };
  let s0 = performance.now();
  for await (const rows of readHistory(db, setup.workspaceId, { since: period.since.getTime(), until: period.until.getTime(), now: Date.now(), filters: {}, factKeys })) {
    let count = 0;
    for (const _ of rows) count++;
    const ms = performance.now() - s0;
    if (ms > slowest.ms) Object.assign(slowest, { ms, leads: count });
    leads += count;
    s0 = performance.now();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { days: historyDays(period).length, leads, wallMs, nodeCpuMs: (cpu.user + cpu.system) / 1000, pgCpuMs: pg0 ? postgresCpuDelta(pg0, postgresCpuByPid()) : null, slowest };
}

/** Runs `fn` under the V8 sampling profiler; writes the profile to `file` and returns the summary lines. */
export async function cpuProfile<T>(file: string, fn: () => Promise<T>, top = 15): Promise<{ value: T; lines: string[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 250 });
    await session.post("Profiler.start");
    let value: T;
    try {
      value = await fn();
    } finally {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
    }
    return { value, lines: summarizeCpuProfile(file, top) };
  } finally {
    session.disconnect();
  }
}
