"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "@/server/auth/auth";

export interface SignInState {
  fieldErrors?: { email?: string[]; password?: string[] };
  message?: string;
  email?: string;
}

const Form = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "Enter a valid email address." })),
  password: z.string().min(1, { error: "Enter your password." }),
  callbackUrl: z.string().optional(),
});

/** Only same-site paths are allowed as a post-sign-in destination (no open redirects). */
function safeCallback(url: string | undefined): string {
  if (!url || !url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return "/";
  return url;
}

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = Form.safeParse({
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    callbackUrl: formData.get("callbackUrl") ?? undefined,
  });
  const email = String(formData.get("email") ?? "");
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors;
    return { fieldErrors: { email: fieldErrors.email, password: fieldErrors.password }, email };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallback(parsed.data.callbackUrl),
    });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const locked = (error as AuthError & { code?: string }).code === "locked";
      return {
        message: locked
          ? "Too many failed attempts for this email. Try again in 15 minutes."
          : "That email and password do not match an active account.",
        email,
      };
    }
    throw error; // the redirect after a successful sign-in is thrown, and must propagate
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}
