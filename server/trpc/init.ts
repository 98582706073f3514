/**
 * tRPC: context, the one authorization middleware, and domain-error mapping.
 *
 * Every procedure declares who may call it in its meta (`{ roles: [...] }` or `{ public: true }`); the single
 * `authorize` middleware enforces it for every procedure, and a procedure without an access declaration is refused
 * (secure by default). Row-level scope (a sales user sees only their own leads) is applied by the services from
 * `ctx.user`.
 */
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Kysely } from "kysely";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Database } from "@/db/types";
import type { Role } from "@/lib/auth/permissions";
import { DomainError, fieldErrorsFromIssues, ValidationError, type FieldErrors } from "../errors";
import type { SessionUser } from "../services/auth.service";

export interface Context {
  db: Kysely<Database>;
  user: SessionUser | null;
  /** The request clock; tests pass a fixed one. */
  now: () => Date;
}

export type Meta = { public: true; roles?: never } | { public?: never; roles: readonly Role[] };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      let fieldErrors: FieldErrors | undefined;
      if (error.cause instanceof ZodError) fieldErrors = fieldErrorsFromIssues(error.cause.issues);
      else if (error.cause instanceof ValidationError) fieldErrors = error.cause.fields;
      return {
        ...shape,
        message: error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on our side; it has been logged." : shape.message,
        data: { ...shape.data, stack: undefined, fieldErrors },
      };
    },
  });

/** Maps typed domain errors thrown by services to tRPC errors with the right code. */
const domainErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof DomainError) {
      throw new TRPCError({ code: cause.code, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      console.error(`[switchyard] tRPC ${path} failed`, result.error.cause ?? result.error);
    }
  }
  return result;
});

const authorize = t.middleware(({ meta, ctx, next }) => {
  if (meta?.public) return next();
  if (!meta?.roles) throw new TRPCError({ code: "FORBIDDEN", message: "This procedure declares no access rule." });
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  if (!meta.roles.includes(ctx.user.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `The ${ctx.user.role} role cannot do this.` });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The base of every procedure: declare `.meta({ roles })` or `.meta({ public: true })` on each one. */
export const procedure = t.procedure.use(domainErrors).use(authorize);

/** Narrows ctx.user to non-null inside procedures that declared roles. */
export function requireUser(ctx: Context): SessionUser {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return ctx.user;
}

export const ALL_ROLES = ["admin", "ops", "growth", "sales"] as const satisfies readonly Role[];
export const ANALYTICS_ROLES = ["admin", "ops", "growth"] as const satisfies readonly Role[];
export const OPS_ROLES = ["admin", "ops"] as const satisfies readonly Role[];
