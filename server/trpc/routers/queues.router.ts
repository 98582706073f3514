import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { OPS_ROLES, procedure, requireUser, router } from "../init";
import { countOpenReviewItemsByReason, listInbox, listOpenReviewItems, listRepsBrief } from "../../repositories/queue.repository";
import { routingContext } from "../../services/ingest/routing-context";
import { recordLeadOutcome } from "../../services/outcomes.service";
import { fieldErrorsFromIssues, ValidationError } from "../../errors";
import { OutcomeEventInput } from "@/lib/ingest/lead-input";

/** What a rep does from the inbox (reassignments are ops' work, in the review queue and the API). */
const INBOX_ACTIONS = ["accepted", "rejected", "first_touch", "meeting_booked", "opportunity_created", "closed_won", "closed_lost"] as const;
import { assignFromReview, correctAndReroute, humanReason, markJunkFromReview, ReviewCorrection } from "../../services/review.service";

export const reviewRouter = router({
  queue: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ reason: z.string().max(64).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      const [items, byReason, reps, routing] = await Promise.all([
        listOpenReviewItems(ctx.db, user.workspaceId, 200, input.reason),
        countOpenReviewItemsByReason(ctx.db, user.workspaceId),
        listRepsBrief(ctx.db, user.workspaceId),
        routingContext(ctx.db, user.workspaceId),
      ]);
      const taxonomy = routing.settings.classification.taxonomy.map((c) => ({ key: c.key, label: c.label }));
      return { items: items.map((i) => ({ ...i, proposedRoute: (i.queued as { proposedRoute?: string | null } | null)?.proposedRoute ?? null, reasonLabel: humanReason(i.reason_code) })), byReason, reps, taxonomy, now: ctx.now() };
    }),

  assign: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ leadId: z.uuid(), repId: z.uuid({ error: "choose a rep" }) }))
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      await assignFromReview(ctx.db, { userId: user.id, workspaceId: user.workspaceId }, input.leadId, input.repId, ctx.now());
      return { ok: true };
    }),

  markJunk: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ leadId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      await markJunkFromReview(ctx.db, { userId: user.id, workspaceId: user.workspaceId }, input.leadId, ctx.now());
      return { ok: true };
    }),

  correct: procedure
    .meta({ roles: OPS_ROLES })
    .input(z.object({ leadId: z.uuid(), correction: ReviewCorrection }))
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      return correctAndReroute(ctx.db, { userId: user.id, workspaceId: user.workspaceId }, input.leadId, input.correction, ctx.now());
    }),
});

export const inboxRouter = router({
  /** Sales users get their own inbox; ops and admin may open any rep's. */
  list: procedure
    .meta({ roles: ["admin", "ops", "sales"] })
    .input(z.object({ repId: z.uuid().optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      let repId: string | undefined;
      if (user.role === "sales") {
        if (input.repId && input.repId !== user.repId) throw new TRPCError({ code: "FORBIDDEN", message: "Sales users can only open their own inbox." });
        repId = user.repId ?? undefined;
      } else {
        repId = input.repId;
      }
      const reps = user.role === "sales" ? [] : await listRepsBrief(ctx.db, user.workspaceId);
      repId ??= reps[0]?.id;
      const leads = repId ? await listInbox(ctx.db, user.workspaceId, repId, 200) : [];
      return { repId: repId ?? null, reps, leads };
    }),

  /**
   * A rep's action on a lead (accept, reject with a reason, first touch, meeting, opportunity, close): the same
   * service as POST /api/v1/leads/{id}/events, so both paths behave identically. Sales users act only on their own
   * leads; `actionId` (one per click) makes a double submit record the event once.
   */
  act: procedure
    .meta({ roles: ["admin", "ops", "sales"] })
    .input(z.object({
      leadId: z.uuid(),
      actionId: z.string().min(8).max(100),
      type: z.enum(INBOX_ACTIONS, { error: "choose an action" }),
      reasonCode: z.string().max(64).optional(),
      comment: z.string().trim().max(2000).optional(),
      amount: z.number().positive({ error: "must be greater than 0" }).max(1e12).optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      if (user.role === "sales" && !user.repId) throw new TRPCError({ code: "FORBIDDEN", message: "Your user is not linked to a rep." });
      const parsed = OutcomeEventInput.safeParse({
        eventId: `inbox:${input.actionId}`,
        type: input.type,
        reasonCode: input.reasonCode || undefined,
        comment: input.comment || undefined,
        amount: input.amount,
      });
      if (!parsed.success) throw new ValidationError("The action is incomplete.", fieldErrorsFromIssues(parsed.error.issues));
      return recordLeadOutcome({ db: ctx.db, now: ctx.now }, user.workspaceId, input.leadId, parsed.data, {
        userId: user.id,
        repId: user.repId,
        restrictToOwnLeads: user.role === "sales",
      });
    }),
});
