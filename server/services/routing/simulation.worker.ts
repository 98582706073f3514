/**
 * The draft side of a what-if simulation, on its own thread (node:worker_threads): the main thread decides and
 * places the baseline while this one decides and places the draft over the same stored days, then the two are
 * merged (lib/simulate SideReplay / Simulation `draftElsewhere`). Each side keeps its own assignment state, so they
 * never wait on each other; on two cores a year's replay takes about half the time.
 *
 * Messages in: init (the draft table, routing context, history view) → day (a stored day's bytes)… → end.
 * Out: ready, then done (the side's outcome) or error. Loads no database code and nothing marked "server-only".
 */
import { parentPort } from "node:worker_threads";
import { compile, parseDecisionTable } from "@/lib/decision-table";
import type { PlaceContext } from "@/lib/routing/place";
import { SideReplay } from "@/lib/simulate";
import { HistoryDayLeads, type HistoryView } from "../../repositories/history-leads";
import type { DraftThreadMessage, DraftThreadReply } from "./simulation-thread";

const port = parentPort;
if (!port) throw new Error("simulation.worker.ts runs as a worker thread");

let replay: SideReplay | null = null;
let view: HistoryView | null = null;

const reply = (message: DraftThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on("message", (message: DraftThreadMessage) => {
  try {
    switch (message.type) {
      case "init": {
        const place: PlaceContext = message.place;
        const definition = parseDecisionTable(message.draft.definition);
        replay = new SideReplay({ table: { ...message.draft, definition, compiled: compile(definition) }, routes: place.routes }, place);
        view = message.view;
        reply({ type: "ready" });
        break;
      }
      case "day":
        if (!replay || !view) throw new Error("day before init");
        replay.feed(new HistoryDayLeads(message.data, view));
        break;
      case "end": {
        if (!replay) throw new Error("end before init");
        const outcome = replay.finish();
        replay = null;
        reply({ type: "done", outcome }, [outcome.codes.buffer as ArrayBuffer]);
        break;
      }
    }
  } catch (error) {
    replay = null;
    reply({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
});

reply({ type: "loaded" });
