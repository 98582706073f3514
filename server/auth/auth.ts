/**
 * Auth.js (next-auth v5) with email + password. Sessions are signed JWT cookies (the Credentials provider requires
 * the JWT strategy); the token carries only the user id, and every request re-reads the user from the database
 * (see loadSessionUser) so deactivation and role changes apply at once.
 */
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "../db";
import { authenticate, loadSessionUser, type SessionUser } from "../services/auth.service";
import { authSecret } from "./secret";

class LockedOut extends CredentialsSignin {
  override code = "locked";
}

export const { handlers, auth, signIn, signOut } = NextAuth(async () => ({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
  logger: {
    // A wrong password is an expected outcome, answered on the form; everything else is logged.
    error(error) {
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const forwarded = request?.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
        const result = await authenticate(await getDb(), credentials, forwarded || request?.headers.get("x-real-ip") || null);
        if (!result.ok) {
          if (result.reason === "locked") throw new LockedOut();
          return null;
        }
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));

/** The signed-in user for this request (fresh from the database), or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return loadSessionUser(await getDb(), id);
}
