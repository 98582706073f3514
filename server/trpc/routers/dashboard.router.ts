import { z } from "zod";
import { DashboardFilters, DIMENSIONS, GRANULARITIES } from "@/lib/metrics/dashboard-filters";
import { TARGET_LIMITS, type MetricTargets } from "@/lib/metrics/definitions";
import { ANALYTICS_ROLES, OPS_ROLES, procedure, requireUser, router } from "../init";
import {
  dashboardAlerts, dashboardBreakdown, dashboardDistribution, dashboardFairness, dashboardOptions, dashboardSummary, dashboardTrend, saveTargets,
} from "../../services/metrics/dashboard.service";

const Filters = z.object({ filters: DashboardFilters.default({ range: "30d" }) });

const Targets = z.object(
  Object.fromEntries(
    Object.entries(TARGET_LIMITS).map(([key, l]) => [
      key,
      z.number({ error: "Enter a number." }).min(l.min, l.unit === "rate" ? "Must be at least 0%." : `Must be at least ${l.min} minutes.`)
        .max(l.max, l.unit === "rate" ? "Must be at most 100%." : `Must be at most ${l.max} minutes.`),
    ]),
  ) as Record<keyof MetricTargets, z.ZodNumber>,
);

export const dashboardRouter = router({
  options: procedure.meta({ roles: ANALYTICS_ROLES }).query(({ ctx }) => dashboardOptions(ctx.db, requireUser(ctx).workspaceId)),

  /** What looks unusual in the period against the weeks before it (explainable, statistical). */
  alerts: procedure
    .meta({ roles: ANALYTICS_ROLES })
    .input(Filters)
    .query(({ ctx, input }) => dashboardAlerts(ctx.db, { workspaceId: requireUser(ctx).workspaceId, now: ctx.now() }, input.filters)),

  summary: procedure
    .meta({ roles: ANALYTICS_ROLES })
    .input(Filters)
    .query(({ ctx, input }) => dashboardSummary(ctx.db, { workspaceId: requireUser(ctx).workspaceId, now: ctx.now() }, input.filters)),

  breakdown: procedure
    .meta({ roles: ANALYTICS_ROLES })
    .input(Filters.extend({ dimension: z.enum(DIMENSIONS).default("route_path") }))
    .query(({ ctx, input }) => dashboardBreakdown(ctx.db, { workspaceId: requireUser(ctx).workspaceId, now: ctx.now() }, input.filters, input.dimension)),

  trend: procedure
    .meta({ roles: ANALYTICS_ROLES })
    .input(Filters.extend({ granularity: z.enum(GRANULARITIES).default("day"), percentiles: z.array(z.enum(["stl", "stl_b"])).max(2).default(["stl_b"]) }))
    .query(({ ctx, input }) => dashboardTrend(ctx.db, { workspaceId: requireUser(ctx).workspaceId, now: ctx.now() }, input.filters, input.granularity, input.percentiles)),

  distribution: procedure
    .meta({ roles: ANALYTICS_ROLES })
    .input(Filters)
    .query(({ ctx, input }) => dashboardDistribution(ctx.db, { workspaceId: requireUser(ctx).workspaceId, now: ctx.now() }, input.filters)),

  fairness: procedure
    .meta({ roles: ANALYTICS_ROLES })
    .input(Filters)
    .query(({ ctx, input }) => dashboardFairness(ctx.db, { workspaceId: requireUser(ctx).workspaceId, now: ctx.now() }, input.filters)),

  saveTargets: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ targets: Targets }))
    .mutation(({ ctx, input }) => {
      const user = requireUser(ctx);
      return saveTargets(ctx.db, { workspaceId: user.workspaceId, userId: user.id }, input.targets as MetricTargets);
    }),
});
