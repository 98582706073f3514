/** Lead reads with row-level scope: sales users only ever see leads they own. */
import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { NotFoundError } from "../errors";
import { findLead, listLeadDeliveries, listLeadEvents, listLeadSlaSteps, listLeads, type LeadListQuery, type LeadScope } from "../repositories/lead.repository";
import type { SessionUser } from "./auth.service";

/** The visibility scope of a user. A sales user without a rep sees nothing (an impossible owner id). */
export function leadScopeFor(user: SessionUser): LeadScope {
  if (user.role === "sales") return { workspaceId: user.workspaceId, ownerRepId: user.repId ?? "00000000-0000-0000-0000-000000000000" };
  return { workspaceId: user.workspaceId };
}

export async function listLeadsFor(db: Kysely<Database>, user: SessionUser, query: LeadListQuery) {
  return listLeads(db, leadScopeFor(user), query);
}

/** One lead with its event log; NotFound when it does not exist or the user may not see it. */
export async function getLeadFor(db: Kysely<Database>, user: SessionUser, leadId: string) {
  const lead = await findLead(db, leadScopeFor(user), leadId);
  if (!lead) throw new NotFoundError("Lead");
  const [events, workspace, deliveries, slaSteps] = await Promise.all([
    listLeadEvents(db, lead.id),
    db.selectFrom("workspaces").select("currency").where("id", "=", user.workspaceId).executeTakeFirstOrThrow(),
    listLeadDeliveries(db, lead.id),
    listLeadSlaSteps(db, lead.id),
  ]);
  return { lead, events, currency: workspace.currency, deliveries, slaSteps };
}

/** Whether the user may see this lead (exists in their workspace and, for sales, is theirs). */
export async function leadVisibleTo(db: Kysely<Database>, user: SessionUser, leadId: string): Promise<boolean> {
  return (await findLead(db, leadScopeFor(user), leadId)) !== undefined;
}
