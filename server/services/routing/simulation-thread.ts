/**
 * The simulation's draft thread, seen from the main thread: start it, hand it the stored days as the baseline
 * replays them, collect the draft's outcome. See simulation.worker.ts.
 */
import "server-only";
import { Worker } from "node:worker_threads";
import type { PlaceContext } from "@/lib/routing/place";
import type { SideOutcome } from "@/lib/simulate";
import type { HistoryView } from "../../repositories/history-leads";

export type DraftThreadMessage =
  | { type: "init"; draft: { versionId: string; version: number; definition: unknown }; place: PlaceContext; view: HistoryView }
  | { type: "day"; data: Uint8Array }
  | { type: "end" };

export type DraftThreadReply = { type: "loaded" } | { type: "ready" } | { type: "done"; outcome: SideOutcome } | { type: "error"; message: string };

/**
 * A draft thread for one run at a time. One thread that finished its run cleanly is kept idle (unreferenced, so it
 * never holds the process open) for the next run: starting one costs a few hundred milliseconds of loading code.
 */
export class DraftThread {
  private static idle: DraftThread | null = null;
  private readonly worker: Worker;
  private readonly loadedP: Promise<boolean>;
  private failure: Error | null = null;
  private closed = false;
  /** The current run's outcome, once `finish` asked for it. */
  private pending: { resolve: (outcome: SideOutcome) => void; reject: (error: Error) => void } | null = null;

  private constructor() {
    if (import.meta.url.endsWith("/simulation-thread.ts")) {
      // Run from source (tests, benchmarks under tsx): a worker thread does not inherit tsx's loader (nor does
      // `--import tsx` in its execArgv load it first on Node 20), so a small script registers tsx, then imports it.
      // (The path is derived by hand: a `new URL("./….ts", import.meta.url)` would make the build copy the source.)
      const entry = import.meta.url.replace(/\/simulation-thread\.ts$/, "/simulation.worker.ts");
      const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
      this.worker = new Worker(boot, { eval: true });
    } else {
      // The production build bundles the worker into JavaScript of its own: Turbopack rewrites this
      // `new Worker(new URL(…, import.meta.url))` expression into the bundled chunk.
      this.worker = new Worker(new URL("./simulation.worker.ts", import.meta.url));
    }
    let loaded: (ok: boolean) => void = () => undefined;
    this.loadedP = new Promise((resolve) => (loaded = resolve));
    const failed = (error: Error) => {
      this.failure ??= error;
      if (DraftThread.idle === this) DraftThread.idle = null;
      loaded(false);
      this.pending?.reject(this.failure);
      this.pending = null;
    };
    this.worker.on("message", (m: DraftThreadReply) => {
      if (m.type === "loaded") loaded(true);
      else if (m.type === "done") {
        this.pending?.resolve(m.outcome);
        this.pending = null;
      } else if (m.type === "error") failed(new Error(`the draft thread failed: ${m.message}`));
    });
    this.worker.on("error", (error) => failed(error instanceof Error ? error : new Error(String(error))));
    this.worker.on("exit", (code) => {
      if (!this.closed) failed(new Error(`the draft thread stopped (exit code ${code})`));
    });
  }

  /** The idle thread, or a new one; `loaded()` says whether it came up. */
  static acquire(): DraftThread {
    const idle = DraftThread.idle;
    DraftThread.idle = null;
    if (idle && !idle.failure && !idle.closed) {
      idle.worker.ref();
      return idle;
    }
    return new DraftThread();
  }

  /** True once the thread has loaded its code; false when it could not start (the caller replays on one thread). */
  loaded(): Promise<boolean> {
    return this.loadedP;
  }

  /** Why it failed, when it did. */
  get error(): Error | null {
    return this.failure;
  }

  init(message: Omit<Extract<DraftThreadMessage, { type: "init" }>, "type">): void {
    this.post({ type: "init", ...message });
  }

  /** A stored day, in order (a copy goes to the thread: this thread replays the same bytes). */
  day(data: Uint8Array): void {
    this.post({ type: "day", data });
  }

  /** No more days: the draft's outcome once the thread has replayed every day sent. */
  finish(): Promise<SideOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    const outcome = new Promise<SideOutcome>((resolve, reject) => (this.pending = { resolve, reject }));
    this.post({ type: "end" });
    return outcome;
  }

  /**
   * Done with the thread for this run: kept idle for the next when its run finished cleanly (`reusable`) and no
   * other thread is idle, stopped otherwise (a cancelled or failed run may have left a replay half fed).
   */
  async release(reusable: boolean): Promise<void> {
    if (this.closed) return;
    if (reusable && !this.failure && !this.pending && !DraftThread.idle) {
      this.worker.unref();
      DraftThread.idle = this;
      return;
    }
    this.closed = true;
    await this.worker.terminate();
  }

  private post(message: DraftThreadMessage): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(message);
  }
}
