import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { homeFor } from "@/lib/auth/permissions";
import { currentUser } from "@/server/auth/auth";
import { demoSignInHints } from "@/server/services/demo.service";
import { AuthCard } from "../_components/auth-card";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const user = await currentUser();
  if (user) redirect(homeFor(user.role));
  const hints = await demoSignInHints();
  return (
    <AuthCard title="Sign in">
        <p className="muted" style={{ margin: 0 }}>Route every lead to the right owner — and know why.</p>
        <SignInForm callbackUrl={typeof callbackUrl === "string" ? callbackUrl : "/"} />
        {hints ? (
          <div className="demo-users">
            <strong>Demo workspace</strong> — password <code>{hints.password}</code> for every user:
            <table>
              <tbody>
                {hints.users.map((u) => (
                  <tr key={u.email}>
                    <td><code>{u.email}</code></td>
                    <td className="muted">{u.roleLabel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
    </AuthCard>
  );
}
