/**
 * Environment, validated once with zod (create-t3-app style). Every variable is documented in README.md.
 * Read lazily (not at import) so tests can set process.env before first use.
 */
import "server-only";
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL").optional()),
  DATA_DIR: z.string().trim().optional(),
  AUTH_SECRET: z.string().trim().min(32, "must be at least 32 characters (try `openssl rand -base64 32`)").optional()
    .or(z.literal("").transform(() => undefined)),
  /** auto: seed the demo into an empty embedded database only; always: also into an empty PostgreSQL; never. */
  SEED_ON_START: z.enum(["auto", "always", "never"], { error: "must be auto, always or never" }).default("auto"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Email alerts: smtp:// or smtps:// URL of the mail server (user and password in it); unset: no email channel. */
  SMTP_URL: z.string().trim().optional().transform((v) => (v ? v : undefined))
    .pipe(z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional()),
  SMTP_FROM: z.string().trim().min(3).default("Switchyard <alerts@switchyard.invalid>"),
  /** inline: this process runs a job worker (SLA timers, notifications); off: dedicated `npm run worker` processes do. */
  JOB_WORKER: z.enum(["inline", "off"], { error: "must be inline or off" }).default("inline"),
  /** Simulations of at least this many leads replay the draft on a second thread (0: always). */
  SIMULATION_THREAD_MIN_LEADS: z.string().trim().optional().transform((v) => (v ? v : undefined))
    .pipe(z.string().regex(/^\d+$/, "must be a whole number of leads").optional())
    .transform((v) => (v === undefined ? 50_000 : Number(v))),
});

export type Env = z.infer<typeof EnvSchema> & { dataDir: string };

let cached: Env | undefined;

/** The validated environment. Throws a readable error listing every bad variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = { ...parsed.data, dataDir: path.resolve(/* turbopackIgnore: true */ parsed.data.DATA_DIR ?? path.join(/* turbopackIgnore: true */ process.cwd(), ".data")) };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
