import { z } from "zod";
import { computeKpis } from "@/lib/metrics/definitions";
import { ANALYTICS_ROLES, procedure, requireUser, router } from "../init";
import { kpisFor, leadOutcomes, workspaceTargets } from "../../services/metrics.service";
import { listRoutePaths } from "../../repositories/workspace.repository";

const DAY = 86_400_000;

export const dashboardRouter = router({
  summary: procedure
    .meta({ roles: ANALYTICS_ROLES })
    .input(
      z
        .object({
          days: z.number().int().min(1).max(366).default(30),
          routePath: z.array(z.string().max(64)).max(50).optional(),
        })
        .default({ days: 30 }),
    )
    .query(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      const now = ctx.now();
      const to = now;
      const from = new Date(to.getTime() - input.days * DAY);
      const prevFrom = new Date(from.getTime() - input.days * DAY);
      const base = { workspaceId: user.workspaceId, routePaths: input.routePath };
      const [outcomes, previous, targets, routePaths] = await Promise.all([
        leadOutcomes(ctx.db, { ...base, from, to }),
        kpisFor(ctx.db, { ...base, from: prevFrom, to: from }, now),
        workspaceTargets(ctx.db, user.workspaceId),
        listRoutePaths(ctx.db, user.workspaceId),
      ]);
      const byRoute = routePaths.map((rp) => ({
        key: rp.key,
        name: rp.name,
        kind: rp.kind,
        color: rp.color,
        kpis: computeKpis(outcomes.filter((o) => o.routePathKey === rp.key), now),
      }));
      return { period: { from, to, days: input.days }, current: computeKpis(outcomes, now), previous, targets, byRoute };
    }),
});
