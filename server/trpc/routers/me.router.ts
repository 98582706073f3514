import { navigationFor, ROLE_LABELS } from "@/lib/auth/permissions";
import { ALL_ROLES, procedure, requireUser, router } from "../init";

export const meRouter = router({
  get: procedure.meta({ roles: ALL_ROLES }).query(({ ctx }) => {
    const user = requireUser(ctx);
    return { ...user, roleLabel: ROLE_LABELS[user.role], navigation: navigationFor(user.role) };
  }),
});
