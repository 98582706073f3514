import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { OPS_ROLES, procedure, requireUser, router } from "../init";
import { countOpenReviewItemsByReason, listInbox, listOpenReviewItems, listRepsBrief } from "../../repositories/queue.repository";

export const reviewRouter = router({
  queue: procedure.meta({ roles: OPS_ROLES }).query(async ({ ctx }) => {
    const user = requireUser(ctx);
    const [items, byReason] = await Promise.all([
      listOpenReviewItems(ctx.db, user.workspaceId, 200),
      countOpenReviewItemsByReason(ctx.db, user.workspaceId),
    ]);
    return { items, byReason };
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
});
