/**
 * Runs once when the Next.js server starts. The work itself is Node-only (server/startup.ts), loaded only in the
 * Node.js runtime.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onServerStart } = await import("./server/startup");
    await onServerStart();
  }
}
