/** What the sign-in page may say about the demo workspace (only when the seeded demo is what is running). */
import "server-only";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { DEMO_PASSWORD, DEMO_USERS } from "@/db/seed/demo-users";
import { getDb } from "../db";

export async function demoSignInHints(): Promise<{ password: string; users: Array<{ email: string; roleLabel: string }> } | null> {
  const db = await getDb();
  const ws = await db.selectFrom("workspaces").select("settings").where("slug", "=", "demo").executeTakeFirst();
  if (!ws || (ws.settings as { demo?: boolean }).demo !== true) return null;
  return { password: DEMO_PASSWORD, users: DEMO_USERS.map((u) => ({ email: u.email, roleLabel: ROLE_LABELS[u.role] })) };
}
