/**
 * The one route-handler helper that turns errors into RFC 9457 problem details (application/problem+json), with
 * field-level errors under `errors` (dotted path → messages). Domain errors map to their status; anything else is
 * logged and answered 500 without internals.
 */
import "server-only";
import { ZodError } from "zod";
import { DomainError, fieldErrorsFromIssues, ValidationError, type FieldErrors } from "../errors";
import { log } from "../log";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly fields?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  412: "Precondition failed",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
};

export function problem(status: number, detail: string, extra: { title?: string; errors?: FieldErrors; headers?: Record<string, string> } = {}): Response {
  const body: Record<string, unknown> = { type: "about:blank", title: extra.title ?? TITLES[status] ?? "Error", status, detail };
  if (extra.errors && Object.keys(extra.errors).length) body.errors = extra.errors;
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...extra.headers },
  });
}

/** Maps any thrown value to a problem response. */
export function problemFromError(error: unknown, context: string): Response {
  if (error instanceof HttpError) return problem(error.status, error.message, { title: error.title, errors: error.fields, headers: error.headers });
  if (error instanceof ZodError) return problem(400, "The request body is not valid.", { errors: fieldErrorsFromIssues(error.issues) });
  if (error instanceof ValidationError) return problem(400, error.message, { errors: error.fields });
  if (error instanceof DomainError) return problem(error.status, error.message);
  log.error(`${context} failed`, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  return problem(500, "Something went wrong on our side; it has been logged. Retry with the same event id.");
}

/** Wraps a route handler so every error becomes a problem response. */
export function withProblems<A extends unknown[]>(context: string, handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return problemFromError(error, context);
    }
  };
}
