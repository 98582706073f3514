"use client";

import { useActionState } from "react";
import { signInAction, type SignInState } from "./actions";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  const emailError = state.fieldErrors?.email?.[0];
  const passwordError = state.fieldErrors?.password?.[0];
  return (
    <form action={action} noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state.message ? <div className="error-box" role="alert">{state.message}</div> : null}
      <div className="field">
        <label htmlFor="email">Work email</label>
        <input
          id="email" name="email" type="email" autoComplete="username" autoFocus required
          defaultValue={state.email} aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? "email-error" : undefined}
        />
        {emailError ? <span id="email-error" className="field-error">{emailError}</span> : null}
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password" name="password" type="password" autoComplete="current-password" required
          aria-invalid={passwordError ? true : undefined} aria-describedby={passwordError ? "password-error" : undefined}
        />
        {passwordError ? <span id="password-error" className="field-error">{passwordError}</span> : null}
      </div>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
