/**
 * The route path catalog (each outcome of the decision table: trigger summary, data required, destination
 * strategy, SLA, the confidence an AI-derived input needs, fallback) and the workspace's publishing policy.
 * Changes apply to live routing at once (the config_version trigger) and are audited with before/after.
 */
import "server-only";
import type { Kysely } from "kysely";
import { z } from "zod";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { Destination } from "@/lib/assignment";
import { canonicalJson } from "@/lib/canonical-json";
import { FACT_FIELDS } from "@/lib/routing/facts";
import { EscalationChain } from "@/lib/sla/escalation";
import { recordAudit } from "../../repositories/audit.repository";
import { fieldErrorsFromIssues, NotFoundError, ValidationError, type FieldErrors } from "../../errors";
import type { Actor } from "./versions.service";

export const RoutePathInput = z.object({
  id: z.uuid(),
  name: z.string().trim().min(1, "Name the route path.").max(80, "Keep the name under 80 characters."),
  triggerSummary: z.string().trim().max(500, "Keep the summary under 500 characters."),
  dataRequired: z.array(z.string()).max(20),
  slaMinutes: z.number({ error: "Enter whole minutes." }).int("Enter whole minutes.").min(1, "At least 1 minute.").max(43_200, "At most 30 days (43,200 minutes).").nullable(),
  confidenceThreshold: z.number({ error: "Enter a percentage." }).min(0, "At least 0%.").max(1, "At most 100%.").nullable(),
  fallbackRouteKey: z.string().nullable(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour like #2f5bea."),
  destination: z.unknown(),
  /** What happens when the owner lets the SLA pass; omitted: unchanged. */
  escalation: EscalationChain.optional(),
});

export async function updateRoutePath(db: Kysely<Database>, actor: Actor, input: z.infer<typeof RoutePathInput>) {
  const fields: FieldErrors = {};
  const add = (k: string, m: string) => (fields[k] ??= []).push(m);
  const known = new Set(FACT_FIELDS.map((f) => f.field));
  for (const f of input.dataRequired) if (!known.has(f as never)) add("dataRequired", `“${f}” is not a lead fact.`);
  const destination = Destination.safeParse(input.destination);
  if (!destination.success) Object.assign(fields, fieldErrorsFromIssues(destination.error.issues.map((i) => ({ path: ["destination", ...i.path], message: i.message }))));
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("route_paths").selectAll().where("id", "=", input.id).where("workspace_id", "=", actor.workspaceId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError("Route path");
    const routes = await trx.selectFrom("route_paths").select(["key"]).where("workspace_id", "=", actor.workspaceId).execute();
    const keys = new Set(routes.map((r) => r.key));
    if (input.fallbackRouteKey !== null) {
      if (input.fallbackRouteKey === row.key) add("fallbackRouteKey", "A route path cannot fall back to itself.");
      else if (!keys.has(input.fallbackRouteKey)) add("fallbackRouteKey", `No route path “${input.fallbackRouteKey}”.`);
    }
    if (destination.success) {
      const reps = new Set((await trx.selectFrom("reps").select("id").where("workspace_id", "=", actor.workspaceId).execute()).map((r) => r.id));
      destination.data.strategies.forEach((s, i) => {
        if (s.kind === "round_robin") {
          if (!s.repIds?.length && !s.teamIds?.length) add(`destination.strategies.${i}.repIds`, "Pick at least one rep for the round robin.");
          for (const id of s.repIds ?? []) if (!reps.has(id)) add(`destination.strategies.${i}.repIds`, "A chosen rep no longer exists.");
        }
        if (s.kind === "rep" && !reps.has(s.repId)) add(`destination.strategies.${i}.repId`, "Pick a rep.");
      });
      const fb = destination.data.fallback;
      if (fb.kind === "route" && (!keys.has(fb.routePathKey) || fb.routePathKey === row.key)) add("destination.fallback", "Fall back to another existing route path.");
    }
    if (Object.keys(fields).length) throw new ValidationError("Some fields need attention; nothing was saved.", fields);
    const after = {
      name: input.name, trigger_summary: input.triggerSummary, data_required: input.dataRequired, sla_minutes: input.slaMinutes,
      confidence_threshold: input.confidenceThreshold, fallback_route_key: input.fallbackRouteKey, color: input.color,
      destination: destination.success ? destination.data : row.destination,
      escalation: input.escalation ?? row.escalation,
    };
    await trx.updateTable("route_paths").set({ ...after, destination: json(after.destination as Record<string, unknown>), escalation: json(after.escalation as Record<string, unknown>), updated_at: actor.now }).where("id", "=", row.id).execute();
    const before = {
      name: row.name, trigger_summary: row.trigger_summary, data_required: row.data_required, sla_minutes: row.sla_minutes,
      confidence_threshold: row.confidence_threshold, fallback_route_key: row.fallback_route_key, color: row.color, destination: row.destination,
      escalation: row.escalation,
    };
    const changed = Object.keys(after).filter((k) => canonicalJson(after[k as keyof typeof after]) !== canonicalJson(before[k as keyof typeof before]));
    if (changed.length) {
      await recordAudit(trx, actor, { action: "route_path.updated", entityType: "route_path", entityId: row.id, summary: `Route path ${row.key}: changed ${changed.join(", ")}`, before, after });
    }
    return { id: row.id, changed };
  });
}

export const RoutingPolicyInput = z.object({ requireApprover: z.boolean() });

export async function routingPolicy(db: Kysely<Database>, workspaceId: string) {
  const ws = await db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirstOrThrow();
  return { requireApprover: (ws.settings as { routing?: { requireApprover?: boolean } }).routing?.requireApprover === true };
}

/** Admin only (the router enforces it): whether publishing needs a second person's approval. */
export async function saveRoutingPolicy(db: Kysely<Database>, actor: Actor, input: z.infer<typeof RoutingPolicyInput>) {
  await db.transaction().execute(async (trx) => {
    const ws = await trx.selectFrom("workspaces").select("settings").where("id", "=", actor.workspaceId).forUpdate().executeTakeFirstOrThrow();
    const settings = ws.settings as Record<string, unknown> & { routing?: Record<string, unknown> };
    await trx.updateTable("workspaces").set({ settings: json({ ...settings, routing: { ...(settings.routing ?? {}), requireApprover: input.requireApprover } }) }).where("id", "=", actor.workspaceId).execute();
    await recordAudit(trx, actor, {
      action: "routing_policy.updated", entityType: "workspace", entityId: actor.workspaceId,
      summary: input.requireApprover ? "Publishing a decision table now needs a second approver" : "Publishing a decision table no longer needs a second approver",
    });
  });
  return input;
}
