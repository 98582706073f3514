import { z } from "zod";
import { ANALYTICS_ROLES, OPS_ROLES, procedure, requireUser, router } from "../init";
import { listRepsBrief } from "../../repositories/queue.repository";
import { listDecisionTables, listRoutePaths, listTeamsBrief } from "../../repositories/workspace.repository";
import {
  approveDraft, auditTrail, deleteTest, diffVersions, discardDraft, exportDefinition, factCatalog, ImportInput, importDefinition, openDraft,
  previewLead, publishDraft, PublishInput, publishReadiness, rollbackTo, RollbackInput, saveDraft, SaveDraftInput, saveTest, tableEditor,
  TestCaseInput, versionDetail,
} from "../../services/routing/versions.service";
import { routingPolicy, RoutingPolicyInput, RoutePathInput, saveRoutingPolicy, updateRoutePath } from "../../services/routing/route-paths.service";
import {
  cancelSimulation, getSimulation, listSimulations, simulationCellLeads, SimulationRequest, startSimulation,
} from "../../services/routing/simulation.service";

const actorOf = (ctx: Parameters<typeof requireUser>[0] & { now(): Date }) => {
  const user = requireUser(ctx);
  return { workspaceId: user.workspaceId, userId: user.id, now: ctx.now() };
};

const Id = z.object({ id: z.uuid() });

export const routingRouter = router({
  overview: procedure.meta({ roles: ANALYTICS_ROLES }).query(async ({ ctx }) => {
    const user = requireUser(ctx);
    const [routePaths, tables, reps, teams] = await Promise.all([
      listRoutePaths(ctx.db, user.workspaceId),
      listDecisionTables(ctx.db, user.workspaceId),
      listRepsBrief(ctx.db, user.workspaceId),
      listTeamsBrief(ctx.db, user.workspaceId),
    ]);
    return { routePaths, tables, reps, teams };
  }),

  updateRoutePath: procedure.meta({ roles: OPS_ROLES }).input(RoutePathInput).mutation(({ ctx, input }) => updateRoutePath(ctx.db, actorOf(ctx), input)),
  policy: procedure.meta({ roles: ANALYTICS_ROLES }).query(({ ctx }) => routingPolicy(ctx.db, requireUser(ctx).workspaceId)),
  savePolicy: procedure.meta({ roles: ["admin"] }).input(RoutingPolicyInput).mutation(({ ctx, input }) => saveRoutingPolicy(ctx.db, actorOf(ctx), input)),

  table: procedure.meta({ roles: ANALYTICS_ROLES }).input(Id).query(({ ctx, input }) => tableEditor(ctx.db, requireUser(ctx).workspaceId, input.id, ctx.now())),
  version: procedure.meta({ roles: ANALYTICS_ROLES }).input(Id).query(({ ctx, input }) => versionDetail(ctx.db, requireUser(ctx).workspaceId, input.id)),
  facts: procedure.meta({ roles: ANALYTICS_ROLES }).query(({ ctx }) => factCatalog(ctx.db, requireUser(ctx).workspaceId)),
  diff: procedure.meta({ roles: ANALYTICS_ROLES }).input(z.object({ from: z.uuid(), to: z.uuid() }))
    .query(({ ctx, input }) => diffVersions(ctx.db, requireUser(ctx).workspaceId, input.from, input.to)),
  audit: procedure.meta({ roles: ANALYTICS_ROLES }).input(Id).query(({ ctx, input }) => auditTrail(ctx.db, requireUser(ctx).workspaceId, input.id)),
  export: procedure.meta({ roles: ANALYTICS_ROLES }).input(Id.extend({ format: z.enum(["json", "dmn"]) }))
    .query(({ ctx, input }) => exportDefinition(ctx.db, requireUser(ctx).workspaceId, input.id, input.format)),
  preview: procedure.meta({ roles: ANALYTICS_ROLES })
    .input(z.object({ versionId: z.uuid(), leadId: z.uuid().optional(), facts: z.record(z.string(), z.unknown()).optional() }))
    .mutation(({ ctx, input }) => previewLead(ctx.db, requireUser(ctx).workspaceId, input.versionId, input.leadId ? { leadId: input.leadId } : { facts: input.facts ?? {} })),

  openDraft: procedure.meta({ roles: OPS_ROLES }).input(z.object({ tableId: z.uuid(), fromVersionId: z.uuid().optional() }))
    .mutation(({ ctx, input }) => openDraft(ctx.db, actorOf(ctx), input.tableId, input.fromVersionId)),
  saveDraft: procedure.meta({ roles: OPS_ROLES }).input(SaveDraftInput).mutation(({ ctx, input }) => saveDraft(ctx.db, actorOf(ctx), input)),
  discardDraft: procedure.meta({ roles: OPS_ROLES }).input(Id).mutation(({ ctx, input }) => discardDraft(ctx.db, actorOf(ctx), input.id)),
  import: procedure.meta({ roles: OPS_ROLES }).input(ImportInput).mutation(({ ctx, input }) => importDefinition(ctx.db, actorOf(ctx), input)),

  saveTest: procedure.meta({ roles: OPS_ROLES }).input(TestCaseInput).mutation(({ ctx, input }) => saveTest(ctx.db, actorOf(ctx), input)),
  deleteTest: procedure.meta({ roles: OPS_ROLES }).input(Id).mutation(({ ctx, input }) => deleteTest(ctx.db, actorOf(ctx), input.id)),

  readiness: procedure.meta({ roles: ANALYTICS_ROLES }).input(Id).query(({ ctx, input }) => publishReadiness(ctx.db, requireUser(ctx).workspaceId, input.id, ctx.now())),
  approve: procedure.meta({ roles: OPS_ROLES }).input(Id).mutation(({ ctx, input }) => approveDraft(ctx.db, actorOf(ctx), input.id)),
  publish: procedure.meta({ roles: OPS_ROLES }).input(PublishInput).mutation(({ ctx, input }) => publishDraft(ctx.db, actorOf(ctx), input)),
  rollback: procedure.meta({ roles: OPS_ROLES }).input(RollbackInput).mutation(({ ctx, input }) => rollbackTo(ctx.db, actorOf(ctx), input)),

  simulate: procedure.meta({ roles: OPS_ROLES }).input(SimulationRequest).mutation(({ ctx, input }) => startSimulation(ctx.db, actorOf(ctx), input)),
  simulation: procedure.meta({ roles: ANALYTICS_ROLES }).input(Id).query(({ ctx, input }) => getSimulation(ctx.db, requireUser(ctx).workspaceId, input.id)),
  simulations: procedure.meta({ roles: ANALYTICS_ROLES }).input(Id).query(({ ctx, input }) => listSimulations(ctx.db, requireUser(ctx).workspaceId, input.id)),
  cancelSimulation: procedure.meta({ roles: OPS_ROLES }).input(Id).mutation(({ ctx, input }) => cancelSimulation(ctx.db, actorOf(ctx), input.id)),
  simulationLeads: procedure.meta({ roles: ANALYTICS_ROLES })
    .input(Id.extend({ from: z.string().nullable(), to: z.string().nullable() }))
    .query(({ ctx, input }) => simulationCellLeads(ctx.db, requireUser(ctx).workspaceId, input.id, input.from, input.to)),
});
