/** Every job kind the worker runs, and its handler. */
import "server-only";
import { DELIVER_JOB } from "../services/notifications/channels";
import { deliverHandler } from "../services/notifications/deliver";
import { NARRATIVE_JOB, narrativeHandler } from "../services/review/narrative.service";
import { REVIEW_SLA_JOB, reviewSlaHandler } from "../services/sla/review-clock";
import { SLA_STEP_JOB } from "../services/sla/sla-chain";
import { slaStepHandler } from "../services/sla/sla-steps";
import type { JobHandler } from "./worker";

export const jobHandlers: Record<string, JobHandler> = {
  [SLA_STEP_JOB]: slaStepHandler,
  [DELIVER_JOB]: deliverHandler,
  [REVIEW_SLA_JOB]: reviewSlaHandler,
  [NARRATIVE_JOB]: narrativeHandler,
};
