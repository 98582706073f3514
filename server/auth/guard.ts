/** Page guards for server components: sign-in redirect and a real 403 for areas a role may not open. */
import "server-only";
import { forbidden, redirect } from "next/navigation";
import { canAccess, type Area } from "@/lib/auth/permissions";
import type { SessionUser } from "../services/auth.service";
import { currentUser } from "./auth";

/** The signed-in user, or a redirect to /signin that comes back to `returnTo`. */
export async function requireSignedIn(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** As requireSignedIn, and 403 unless the user's role may open `area`. */
export async function requirePage(area: Area, returnTo: string): Promise<SessionUser> {
  const user = await requireSignedIn(returnTo);
  if (!canAccess(user.role, area)) forbidden();
  return user;
}
