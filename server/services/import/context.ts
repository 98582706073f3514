/**
 * What an import run knows about its workspace, loaded once per run: reps (by email and by name) and teams (with
 * their calendars) — both kept up to date as the import creates them —, route paths, the published decision table
 * compiled, and the scoring model. Memory is bounded by the size of the workspace's configuration, not the file.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { addBusinessMinutes, isValidTimeZone, type BusinessCalendar, type WeeklyHours } from "@/lib/calendar";
import { compile, parseDecisionTable } from "@/lib/decision-table";
import { toCode, type FieldMapping, type ImportMapping, type PublishedTable, type RepRole, type RowError } from "@/lib/import";
import { compileScoring, DEFAULT_SCORING_CONFIG, type CompiledScoring } from "@/lib/scoring";
import { getWorkspaceInfo, loadPublishedTable, loadReps, loadRoutePaths, loadTeams } from "../../repositories/import.repository";

export interface ImportDeps {
  db: Kysely<Database>;
  now: () => Date;
  /** Where uploaded files live (DATA_DIR); files are DATA_DIR/imports/<job id>.csv. */
  dataDir: string;
}

export interface RepEntry {
  id: string;
  teamId: string;
  name: string;
  email: string;
  role: string;
}

export interface TeamEntry {
  id: string;
  key: string;
  name: string;
  calendar: BusinessCalendar;
}

export interface PlannedTeam {
  id: string;
  key: string;
  name: string;
  timeZone: string;
}

export interface PlannedRep {
  id: string;
  teamId: string;
  name: string;
  email: string;
  role: RepRole;
  timeZone: string;
}

/** Teams and reps a row needs created (inserted idempotently by the writer). */
export interface Needs {
  teams: PlannedTeam[];
  reps: PlannedRep[];
}

export const DEFAULT_TEAM_NAME = "Imported reps";

/** Mon–Fri 09:00–17:00: the calendar of teams an import creates (in the workspace time zone). */
export const DEFAULT_WEEKLY_HOURS: WeeklyHours = {
  mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]],
  fri: [["09:00", "17:00"]], sat: [], sun: [],
};

export interface RouteInfo {
  key: string;
  kind: string;
  slaMinutes: number | null;
}

export interface ImportContext {
  workspace: { id: string; slug: string; timeZone: string; currency: string };
  /** The zone naive timestamps are read in. */
  timeZone: string;
  routes: Map<string, RouteInfo>;
  table: PublishedTable | null;
  scoring: CompiledScoring;
  directory: Directory;
}

/** Reps and teams of the workspace, with what this run has created. */
export class Directory {
  private readonly byEmail = new Map<string, RepEntry>();
  private readonly byId = new Map<string, RepEntry>();
  private readonly byName = new Map<string, RepEntry[]>();
  private readonly teamsByKey = new Map<string, TeamEntry>();
  private readonly teamsById = new Map<string, TeamEntry>();
  private readonly teamsByName = new Map<string, TeamEntry>();

  constructor(private readonly timeZone: string) {}

  addRep(rep: RepEntry): void {
    const previous = this.byId.get(rep.id);
    if (previous) {
      const list = this.byName.get(previous.name.trim().toLowerCase());
      if (list) this.byName.set(previous.name.trim().toLowerCase(), list.filter((r) => r.id !== rep.id));
    }
    this.byId.set(rep.id, rep);
    this.byEmail.set(rep.email.toLowerCase(), rep);
    const key = rep.name.trim().toLowerCase();
    const list = this.byName.get(key) ?? [];
    if (!list.some((r) => r.id === rep.id)) list.push(rep);
    this.byName.set(key, list);
  }

  addTeam(team: TeamEntry): void {
    this.teamsByKey.set(team.key, team);
    this.teamsById.set(team.id, team);
    this.teamsByName.set(team.name.trim().toLowerCase(), team);
  }

  repByEmail(email: string): RepEntry | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  repsByName(name: string): RepEntry[] {
    return this.byName.get(name.trim().toLowerCase()) ?? [];
  }

  /** The team of a rep, or null. */
  teamOfRep(repId: string): string | null {
    return this.byId.get(repId)?.teamId ?? null;
  }

  repCount(): number {
    return this.byEmail.size;
  }

  team(nameOrKey: string): TeamEntry | undefined {
    return this.teamsByKey.get(nameOrKey) ?? this.teamsByName.get(nameOrKey.trim().toLowerCase()) ?? this.teamsByKey.get(teamKey(nameOrKey));
  }

  teamById(id: string): TeamEntry | undefined {
    return this.teamsById.get(id);
  }

  /** The SLA due time of an assignment to a rep of `teamId` (its team's business calendar). */
  slaDueAt(teamId: string, start: Date, minutes: number): Date | null {
    const team = this.teamsById.get(teamId);
    if (!team) return null;
    try {
      return addBusinessMinutes(team.calendar, start, minutes);
    } catch {
      return null; // an invalid team calendar gives no SLA rather than failing the row
    }
  }

  /** Records what a committed batch created. */
  commit(needs: Needs): void {
    for (const t of needs.teams) {
      if (!this.teamsByKey.has(t.key)) {
        this.addTeam({ id: t.id, key: t.key, name: t.name, calendar: { timeZone: t.timeZone, weeklyHours: DEFAULT_WEEKLY_HOURS, holidays: [] } });
      }
    }
    for (const r of needs.reps) if (!this.byEmail.has(r.email)) this.addRep({ id: r.id, teamId: r.teamId, name: r.name, email: r.email, role: r.role });
  }

  get zone(): string {
    return this.timeZone;
  }
}

/** "Central" → "central", "EMEA Sales!" → "emea-sales" (teams.key). */
export function teamKey(name: string): string {
  const key = toCode(name).replace(/_/g, "-").slice(0, 63).replace(/-+$/g, "");
  return /^[a-z0-9]/.test(key) ? key : `t-${key}`.slice(0, 63);
}

/** Loads the context of a run for a mapping (see the module doc). */
export async function loadImportContext(db: Kysely<Database>, workspaceId: string, mapping: ImportMapping): Promise<ImportContext> {
  const [workspace, teams, reps, routes, published] = await Promise.all([
    getWorkspaceInfo(db, workspaceId),
    loadTeams(db, workspaceId),
    loadReps(db, workspaceId),
    loadRoutePaths(db, workspaceId),
    loadPublishedTable(db, workspaceId),
  ]);
  const timeZone = mapping.options.timeZone && isValidTimeZone(mapping.options.timeZone) ? mapping.options.timeZone : workspace.time_zone;
  const directory = new Directory(workspace.time_zone);
  for (const t of teams) directory.addTeam({ id: t.id, key: t.key, name: t.name, calendar: { timeZone: t.time_zone, weeklyHours: t.weekly_hours, holidays: t.holidays } });
  for (const r of reps) directory.addRep({ id: r.id, teamId: r.team_id, name: r.name, email: r.email, role: r.role });
  let table: PublishedTable | null = null;
  if (published && mapping.options.decideRoute) {
    try {
      table = { versionId: published.id, compiled: compile(parseDecisionTable(published.definition), { skipBrokenRules: true }) };
    } catch {
      table = null; // a published table that no longer compiles decides nothing; routes stay empty
    }
  }
  return {
    workspace: { id: workspace.id, slug: workspace.slug, timeZone: workspace.time_zone, currency: workspace.currency },
    timeZone,
    routes: new Map(routes.filter((r) => r.active).map((r) => [r.key, { key: r.key, kind: r.kind, slaMinutes: r.sla_minutes }])),
    table,
    scoring: compileScoring(DEFAULT_SCORING_CONFIG),
    directory,
  };
}

/** Teams and reps planned during one batch (shared by its rows; each row lists what it needs in its own Needs). */
export class Planner {
  readonly teams = new Map<string, PlannedTeam>();
  readonly reps = new Map<string, PlannedRep>();
}

/** Plans a team by name: the existing one, one already planned in this batch, or a new one. Returns its id. */
export function ensureTeam(ctx: ImportContext, planner: Planner, needs: Needs, name: string): string {
  const existing = ctx.directory.team(name);
  if (existing) return existing.id;
  const key = teamKey(name);
  let team = planner.teams.get(key);
  if (!team) {
    team = { id: randomUUID(), key, name: name.trim(), timeZone: ctx.workspace.timeZone };
    planner.teams.set(key, team);
  }
  if (!needs.teams.includes(team)) needs.teams.push(team);
  return team.id;
}

export type RepResolution =
  | { kind: "rep"; rep: RepEntry }
  | { kind: "planned"; rep: PlannedRep }
  | { kind: "none" }
  | { kind: "error"; error: RowError };

/** The address a rep created from a name gets: "a8387c01…" → "a8387c01…@imported.invalid" (.invalid never routes mail). */
export function generatedRepEmail(ref: string): string {
  return `${toCode(ref).replace(/_/g, ".") || "rep"}@imported.invalid`;
}

/**
 * Resolves a rep reference from a row: an email (case-insensitive) or a name (exact, case-insensitive; two reps
 * with the same name are ambiguous). Unknown → per the field's `ifUnknown`, else the import's `unknownOwner`:
 * an error, no owner, or a new rep (name = the reference; email = the reference when it is one, else
 * `<reference>@imported.invalid`; the field's `createAs` role, default "sdr" for a first owner and "ae" otherwise;
 * its team, default "Imported reps", created when missing).
 */
export function resolveRep(
  ctx: ImportContext,
  planner: Planner,
  needs: Needs,
  ref: string,
  field: { key: string; mapping: FieldMapping | undefined; column: string | null; row: number },
  unknownDefault: "error" | "create" | "ignore",
): RepResolution {
  const isEmail = ref.includes("@");
  const email = isEmail ? ref.trim().toLowerCase() : generatedRepEmail(ref);
  const found = ctx.directory.repByEmail(email);
  if (found) return { kind: "rep", rep: found };
  if (!isEmail) {
    const named = ctx.directory.repsByName(ref);
    if (named.length === 1) return { kind: "rep", rep: named[0]! };
    if (named.length > 1) {
      return { kind: "error", error: { row: field.row, column: field.column, field: field.key, message: `${named.length} reps are named "${ref}"; use their email` } };
    }
  }
  const mode = field.mapping?.ifUnknown ?? unknownDefault;
  if (mode === "ignore") return { kind: "none" };
  if (mode === "error") {
    return { kind: "error", error: { row: field.row, column: field.column, field: field.key, message: `No rep has the ${isEmail ? "email" : "name"} "${ref}" (import the reps first, or let the import create unknown owners)` } };
  }
  let rep = planner.reps.get(email);
  if (!rep) {
    const teamName = field.mapping?.createAs?.team ?? DEFAULT_TEAM_NAME;
    const teamId = ensureTeam(ctx, planner, needs, teamName);
    rep = {
      id: randomUUID(),
      teamId,
      name: isEmail ? ref.trim().split("@")[0]! : ref.trim(),
      email,
      role: field.mapping?.createAs?.role ?? (field.key === "first_owner" ? "sdr" : "ae"),
      timeZone: ctx.directory.team(teamName)?.calendar.timeZone ?? ctx.workspace.timeZone,
    };
    planner.reps.set(email, rep);
  } else {
    const team = [...planner.teams.values()].find((t) => t.id === rep!.teamId);
    if (team && !needs.teams.includes(team)) needs.teams.push(team);
  }
  if (!needs.reps.includes(rep)) needs.reps.push(rep);
  return { kind: "planned", rep };
}
