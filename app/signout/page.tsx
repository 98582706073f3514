import type { Metadata } from "next";
import Link from "next/link";
import { currentUser } from "@/server/auth/auth";
import { AuthCard } from "../_components/auth-card";
import { signOutAction } from "../signin/actions";

export const metadata: Metadata = { title: "Sign out" };
export const dynamic = "force-dynamic";

export default async function SignOutPage() {
  const user = await currentUser();
  return (
    <AuthCard title="Sign out">
        {user ? (
          <>
            <p className="muted">You are signed in as <strong>{user.email}</strong>.</p>
            <form action={signOutAction} style={{ marginTop: 12 }}>
              <button className="btn btn-primary" type="submit" autoFocus>Sign out</button>{" "}
              <Link className="btn" href="/">Stay signed in</Link>
            </form>
          </>
        ) : (
          <>
            <p className="muted">You are signed out.</p>
            <p><Link className="btn btn-primary" href="/signin">Sign in</Link></p>
          </>
        )}
    </AuthCard>
  );
}
