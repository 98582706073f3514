/**
 * Every migration, listed by hand in order (atproto style): no directory scanning, so bundlers and tests see the
 * same list. Migrations are frozen once merged; add a new file and a new line here.
 */
import type { Migration } from "kysely";
import * as m0001 from "./0001-initial-schema";
import * as m0002 from "./0002-live-routing";
import * as m0003 from "./0003-integrity-fixes";
import * as m0004 from "./0004-lead-metrics";
import * as m0005 from "./0005-lead-metrics-daily";
import * as m0006 from "./0006-simulation-history";
import * as m0007 from "./0007-jobs-and-notifications";
import * as m0008 from "./0008-review-narrative";

export const migrations: Record<string, Migration> = {
  "0001-initial-schema": m0001,
  "0002-live-routing": m0002,
  "0003-integrity-fixes": m0003,
  "0004-lead-metrics": m0004,
  "0005-lead-metrics-daily": m0005,
  "0006-simulation-history": m0006,
  "0007-jobs-and-notifications": m0007,
  "0008-review-narrative": m0008,
};
