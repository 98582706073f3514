import type { Kysely } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  summary: string;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry to the workspace's audit log (in the caller's transaction when given one). */
export async function recordAudit(db: Kysely<Database>, actor: { workspaceId: string; userId: string }, entry: AuditEntry): Promise<void> {
  await db.insertInto("audit_log").values({
    workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: entry.action, entity_type: entry.entityType, entity_id: entry.entityId,
    summary: entry.summary, before: entry.before == null ? null : json(entry.before), after: entry.after == null ? null : json(entry.after),
  }).execute();
}
