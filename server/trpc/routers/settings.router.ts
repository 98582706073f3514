import { z } from "zod";
import { SourceMapping } from "@/lib/ingest/mapping";
import { OPS_ROLES, procedure, requireUser, router } from "../init";
import { getWorkspace, listTeamsWithReps, listUsers } from "../../repositories/workspace.repository";
import { LlmSettings, Taxonomy } from "@/lib/classify/taxonomy";
import { classificationOverview, retrainOfflineModel, saveLlmSettings, saveTaxonomy, testClassification } from "../../services/classify/settings.service";
import { alertSettings, createOutboundWebhook, deleteOutboundWebhook, OutboundWebhookInput, retryDeadLetters, setOutboundWebhookActive, setTeamSlack, TeamSlackInput } from "../../services/notifications/alert-settings.service";
import { ApiKeyInput, createApiKey, createSource, listInbound, revokeApiKey, rotateSourceSecret, SourceInput, updateSource } from "../../services/sources.service";

const actorOf = (user: { id: string; workspaceId: string }) => ({ userId: user.id, workspaceId: user.workspaceId });

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

  inbound: procedure.meta({ roles: OPS_ROLES }).query(({ ctx }) => listInbound(ctx.db, requireUser(ctx).workspaceId)),

  alerts: procedure.meta({ roles: OPS_ROLES }).query(({ ctx }) => alertSettings(ctx.db, requireUser(ctx).workspaceId)),
  createOutboundWebhook: procedure.meta({ roles: OPS_ROLES }).input(OutboundWebhookInput)
    .mutation(({ ctx, input }) => createOutboundWebhook(ctx.db, actorOf(requireUser(ctx)), input)),
  setOutboundWebhookActive: procedure.meta({ roles: OPS_ROLES }).input(z.object({ id: z.uuid(), active: z.boolean() }))
    .mutation(async ({ ctx, input }) => { await setOutboundWebhookActive(ctx.db, actorOf(requireUser(ctx)), input.id, input.active); return { ok: true }; }),
  deleteOutboundWebhook: procedure.meta({ roles: OPS_ROLES }).input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => { await deleteOutboundWebhook(ctx.db, actorOf(requireUser(ctx)), input.id); return { ok: true }; }),
  setTeamSlack: procedure.meta({ roles: OPS_ROLES }).input(TeamSlackInput)
    .mutation(async ({ ctx, input }) => { await setTeamSlack(ctx.db, actorOf(requireUser(ctx)), input); return { ok: true }; }),
  retryDeadLetters: procedure.meta({ roles: OPS_ROLES }).input(z.object({ ids: z.union([z.array(z.number().int().positive()).min(1).max(500), z.literal("all")]) }))
    .mutation(async ({ ctx, input }) => ({ retried: await retryDeadLetters(ctx.db, actorOf(requireUser(ctx)), input.ids, ctx.now()) })),

  createSource: procedure
    .meta({ roles: OPS_ROLES })
    .input(SourceInput)
    .mutation(async ({ ctx, input }) => {
      const { source, secret } = await createSource(ctx.db, actorOf(requireUser(ctx)), input);
      return { source, secret };
    }),

  rotateSourceSecret: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ sourceId: z.uuid(), secret: z.string().trim().min(8).max(500).optional() }))
    .mutation(({ ctx, input }) => rotateSourceSecret(ctx.db, actorOf(requireUser(ctx)), input.sourceId, input.secret)),

  updateSource: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({
      sourceId: z.uuid(),
      name: z.string().trim().min(1).max(100).optional(),
      fieldMapping: SourceMapping.optional(),
      active: z.boolean().optional(),
      rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      const { sourceId, ...patch } = input;
      await updateSource(ctx.db, actorOf(requireUser(ctx)), sourceId, patch);
      return { ok: true };
    }),

  createApiKey: procedure
    .meta({ roles: OPS_ROLES })
    .input(ApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, actorOf(requireUser(ctx)), input)),

  revokeApiKey: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ keyId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiKey(ctx.db, actorOf(requireUser(ctx)), input.keyId, ctx.now());
      return { ok: true };
    }),

  classification: procedure.meta({ roles: OPS_ROLES }).query(({ ctx }) => classificationOverview(ctx.db, requireUser(ctx).workspaceId, ctx.now())),

  saveTaxonomy: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ taxonomy: Taxonomy }))
    .mutation(({ ctx, input }) => saveTaxonomy(ctx.db, actorOf(requireUser(ctx)), input.taxonomy)),

  saveLlm: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ settings: LlmSettings, apiKey: z.string().trim().max(500).nullable().optional() }))
    .mutation(({ ctx, input }) => saveLlmSettings(ctx.db, actorOf(requireUser(ctx)), input)),

  retrainClassifier: procedure
    .meta({ roles: OPS_ROLES })
    .mutation(({ ctx }) => retrainOfflineModel(ctx.db, actorOf(requireUser(ctx)))),

  testClassification: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ text: z.string().trim().min(1, { error: "type a sample inquiry" }).max(4000) }))
    .mutation(({ ctx, input }) => testClassification(ctx.db, requireUser(ctx).workspaceId, input.text)),
});
