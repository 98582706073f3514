import { ANALYTICS_ROLES, procedure, requireUser, router } from "../init";
import { listRepsBrief } from "../../repositories/queue.repository";
import { listDecisionTables, listRoutePaths } from "../../repositories/workspace.repository";

export const routingRouter = router({
  overview: procedure.meta({ roles: ANALYTICS_ROLES }).query(async ({ ctx }) => {
    const user = requireUser(ctx);
    const [routePaths, tables, reps] = await Promise.all([
      listRoutePaths(ctx.db, user.workspaceId),
      listDecisionTables(ctx.db, user.workspaceId),
      listRepsBrief(ctx.db, user.workspaceId),
    ]);
    return { routePaths, tables, reps };
  }),
});
