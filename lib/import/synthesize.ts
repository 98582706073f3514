/**
 * Synthesized received times for files that have none (e.g. the X Education export): rows are spread over a
 * chosen date range, deterministically, so a re-run or a resume gives every row the same instant.
 *
 * With the file's row count known, row i of N lands in the i-th of N equal slices of the range, at a point inside
 * the slice given by a hash of the row's key (its external id, else its row number): the file order is kept
 * (oldest first, or newest first when the file lists the newest lead first) without a metronome-regular cadence.
 * Without a row count, the hash alone places the row in the range. Times are whole seconds. The range's days are
 * local days of `zone`: `from` 00:00 to the end of `to`.
 *
 * Leads imported with a synthesized time say so in their `received` event (`receivedAtSynthetic: true`): their
 * received times (and so speed-to-lead and period filters) are modelled, not observed.
 */
import { DateTime } from "luxon";
import { type SynthesizeReceivedAt } from "./mapping.schema";
import { hashFraction } from "./values";

export interface SynthesizeInput {
  /** 1-based data row number. */
  row: number;
  totalRows: number | null;
  /** Stable key of the row (external id, else "row:<n>"). */
  key: string;
  range: Pick<SynthesizeReceivedAt, "from" | "to"> & { newestFirst?: boolean };
  zone: string;
}

/** The synthesized received time of one row (see the module doc). */
export function synthesizeReceivedAt(input: SynthesizeInput): Date {
  const start = DateTime.fromISO(input.range.from, { zone: input.zone }).startOf("day").toMillis();
  const end = DateTime.fromISO(input.range.to, { zone: input.zone }).plus({ days: 1 }).startOf("day").toMillis();
  const span = Math.max(1000, end - start);
  const u = hashFraction(input.key);
  let position: number;
  if (input.totalRows !== null && input.totalRows > 0) {
    const slice = Math.min(Math.max(input.row, 1), input.totalRows) - 1;
    position = (slice + u) / input.totalRows;
    if (input.range.newestFirst) position = 1 - position;
  } else {
    position = u;
  }
  position = Math.min(Math.max(position, 0), 1 - 1e-9);
  return new Date(Math.floor((start + position * span) / 1000) * 1000);
}
