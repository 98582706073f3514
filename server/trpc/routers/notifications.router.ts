import { z } from "zod";
import { AlertPreferences } from "@/lib/sla/alert-preferences";
import { alertPreferencesOf, listNotifications, markNotificationsRead, saveAlertPreferences } from "../../services/notifications/notify.service";
import { ALL_ROLES, procedure, requireUser, router } from "../init";

export const notificationsRouter = router({
  /** The signed-in user's bell: newest notifications and the unread count. */
  list: procedure.meta({ roles: ALL_ROLES }).query(({ ctx }) => {
    const user = requireUser(ctx);
    return listNotifications(ctx.db, user.workspaceId, user.id);
  }),
  /** The signed-in user's alert preferences (email on/off, quiet hours) and whether email is set up. */
  preferences: procedure.meta({ roles: ALL_ROLES }).query(({ ctx }) => alertPreferencesOf(ctx.db, requireUser(ctx).id)),
  savePreferences: procedure.meta({ roles: ALL_ROLES }).input(AlertPreferences)
    .mutation(({ ctx, input }) => saveAlertPreferences(ctx.db, requireUser(ctx).id, input)),
  markRead: procedure.meta({ roles: ALL_ROLES })
    .input(z.object({ ids: z.union([z.array(z.uuid()).max(200), z.literal("all")]) }))
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      return { marked: await markNotificationsRead(ctx.db, user.workspaceId, user.id, input.ids, ctx.now()) };
    }),
});
