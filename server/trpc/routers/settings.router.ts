import { OPS_ROLES, procedure, requireUser, router } from "../init";
import { getWorkspace, listTeamsWithReps, listUsers } from "../../repositories/workspace.repository";

export const settingsRouter = router({
  overview: procedure.meta({ roles: OPS_ROLES }).query(async ({ ctx }) => {
    const user = requireUser(ctx);
    const [workspace, [teams, reps], users] = await Promise.all([
      getWorkspace(ctx.db, user.workspaceId),
      listTeamsWithReps(ctx.db, user.workspaceId, ctx.now()),
      user.role === "admin" ? listUsers(ctx.db, user.workspaceId) : Promise.resolve(null),
    ]);
    return {
      workspace: { name: workspace.name, slug: workspace.slug, currency: workspace.currency, timeZone: workspace.time_zone },
      teams: teams.map((t) => ({ ...t, reps: reps.filter((r) => r.team_id === t.id) })),
      users,
    };
  }),
});
