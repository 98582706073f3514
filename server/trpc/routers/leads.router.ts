import { z } from "zod";
import { DimensionIds, DRILL_METRICS } from "@/lib/metrics/dashboard-filters";
import { ALL_ROLES, procedure, requireUser, router } from "../init";
import { getLeadFor, listLeadsFor } from "../../services/leads.service";

const LEAD_STATUSES = ["new", "assigned", "queued", "in_review", "accepted", "working", "rejected", "junk", "duplicate", "won", "lost", "disqualified", "closed"] as const;

export const LeadListInput = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.array(z.enum(LEAD_STATUSES)).max(20).optional(),
  routePath: z.array(z.string().max(64)).max(50).optional(),
  ownerRepId: z.uuid().optional(),
  sources: DimensionIds,
  teams: DimensionIds,
  reps: DimensionIds,
  versions: DimensionIds,
  metric: z.enum(DRILL_METRICS).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  sort: z
    .object({ field: z.enum(["received_at", "score", "sla_due_at", "company", "status"]), dir: z.enum(["asc", "desc"]) })
    .default({ field: "received_at", dir: "desc" }),
  page: z.number().int().min(0).max(100_000).default(0),
  pageSize: z.number().int().min(10).max(200).default(50),
});

export const leadsRouter = router({
  list: procedure
    .meta({ roles: ALL_ROLES })
    .input(LeadListInput)
    .query(({ ctx, input }) => listLeadsFor(ctx.db, requireUser(ctx), { ...input, now: ctx.now() })),

  byId: procedure
    .meta({ roles: ALL_ROLES })
    .input(z.object({ id: z.uuid({ error: "Not a lead id." }) }))
    .query(({ ctx, input }) => getLeadFor(ctx.db, requireUser(ctx), input.id)),
});
