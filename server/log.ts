/** Structured one-line logs (JSON in production, readable in development). */
type Level = "debug" | "info" | "warn" | "error";

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  const production = process.env.NODE_ENV === "production";
  if (level === "debug" && production) return;
  const line = production
    ? JSON.stringify({ t: new Date().toISOString(), level, msg: message, ...fields })
    : `[switchyard] ${level === "info" ? "" : level.toUpperCase() + " "}${message}${fields ? " " + JSON.stringify(fields) : ""}`;
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => write("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => write("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => write("error", m, f),
};
