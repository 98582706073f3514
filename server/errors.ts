/**
 * Typed domain errors. Services throw these; one tRPC middleware (server/trpc/init.ts) and one route-handler
 * helper (server/http/problem.ts) map them to status codes and field-level messages.
 */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly code: "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "TOO_MANY_REQUESTS" | "PRECONDITION_FAILED";
  abstract readonly status: number;
}

/** Input that is well-formed but invalid; `fields` maps a dotted path to its messages. */
export class ValidationError extends DomainError {
  readonly code = "BAD_REQUEST" as const;
  readonly status = 400;
  constructor(message: string, readonly fields: FieldErrors = {}) {
    super(message);
    this.name = "ValidationError";
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = "UNAUTHORIZED" as const;
  readonly status = 401;
  constructor(message = "Sign in to continue.") {
    super(message);
    this.name = "UnauthorizedError";
  }
}

export class ForbiddenError extends DomainError {
  readonly code = "FORBIDDEN" as const;
  readonly status = 403;
  constructor(message = "You do not have access to this.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** Also used when a record exists but the caller may not see it, so existence is not leaked. */
export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND" as const;
  readonly status = 404;
  constructor(what: string) {
    super(`${what} not found.`);
    this.name = "NotFoundError";
  }
}

export class ConflictError extends DomainError {
  readonly code = "CONFLICT" as const;
  readonly status = 409;
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export class PreconditionError extends DomainError {
  readonly code = "PRECONDITION_FAILED" as const;
  readonly status = 412;
  constructor(message: string, readonly details: string[] = []) {
    super(message);
    this.name = "PreconditionError";
  }
}

/** Configuration that makes it unsafe to start (e.g. DATABASE_URL without AUTH_SECRET). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** zod issues → field errors keyed by dotted path ("" for the root). */
export function fieldErrorsFromIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
