/**
 * The monthly routing review (server/services/review): everyone with the area reads it; ops and sales work it
 * (checklist, comments, action items, sign-off); ops start one on demand and ask the LLM for its summary. Growth
 * reads only.
 */
import { z } from "zod";
import {
  ActionItemInput, ActionItemStatusInput, actionItemOptions, addActionItem, addComment, ChecklistUpdate, CommentInput, createReview, getReview, listReviews,
  ReviewPeriodInput, ReviewSettingsInput, reviewSettings, saveReviewSettings, setActionItemStatus, signReview, updateChecklist, type ReviewActor,
} from "../../services/review/reviews.service";
import { writeNarrative } from "../../services/review/narrative.service";
import { ALL_ROLES, OPS_ROLES, procedure, requireUser, router, type Context } from "../init";

/** Those who work a review: ops and sales (an admin may stand for either). */
const WORK_ROLES = ["admin", "ops", "sales"] as const;

const actor = (ctx: Context): ReviewActor => {
  const user = requireUser(ctx);
  return { userId: user.id, workspaceId: user.workspaceId, role: user.role, now: ctx.now() };
};
const Id = z.object({ id: z.uuid() });

export const monthlyReviewRouter = router({
  list: procedure.meta({ roles: ALL_ROLES }).query(({ ctx }) => listReviews(ctx.db, requireUser(ctx).workspaceId, ctx.now())),
  get: procedure.meta({ roles: ALL_ROLES }).input(Id).query(({ ctx, input }) => getReview(ctx.db, requireUser(ctx).workspaceId, input.id, ctx.now())),
  /** People, table versions and finished simulations an action item may name. */
  options: procedure.meta({ roles: WORK_ROLES }).query(({ ctx }) => actionItemOptions(ctx.db, requireUser(ctx).workspaceId)),

  /** How often reviews are created, and when the next one is. */
  settings: procedure.meta({ roles: ALL_ROLES }).query(({ ctx }) => reviewSettings(ctx.db, requireUser(ctx).workspaceId, ctx.now())),
  saveSettings: procedure.meta({ roles: OPS_ROLES }).input(ReviewSettingsInput).mutation(({ ctx, input }) => saveReviewSettings(ctx.db, actor(ctx), input)),
  create: procedure.meta({ roles: OPS_ROLES }).input(ReviewPeriodInput).mutation(({ ctx, input }) => createReview(ctx.db, actor(ctx), input)),
  check: procedure.meta({ roles: WORK_ROLES }).input(ChecklistUpdate).mutation(({ ctx, input }) => updateChecklist(ctx.db, actor(ctx), input)),
  comment: procedure.meta({ roles: WORK_ROLES }).input(CommentInput).mutation(({ ctx, input }) => addComment(ctx.db, actor(ctx), input)),
  addActionItem: procedure.meta({ roles: WORK_ROLES }).input(ActionItemInput).mutation(({ ctx, input }) => addActionItem(ctx.db, actor(ctx), input)),
  setActionItemStatus: procedure.meta({ roles: WORK_ROLES }).input(ActionItemStatusInput).mutation(({ ctx, input }) => setActionItemStatus(ctx.db, actor(ctx), input)),
  sign: procedure.meta({ roles: WORK_ROLES }).input(Id).mutation(({ ctx, input }) => signReview(ctx.db, actor(ctx), input.id)),
  /** Asks the configured LLM for the summary now (the template stays when none is configured or its answer is refused). */
  writeNarrative: procedure.meta({ roles: OPS_ROLES }).input(Id)
    .mutation(({ ctx, input, signal }) => writeNarrative(ctx.db, requireUser(ctx).workspaceId, input.id, { now: ctx.now(), signal })),
});
