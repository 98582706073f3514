/**
 * The lead row's outcome columns as a pure function of its event log. The outcome service recomputes them after
 * every event, in occurred-at order, so events that arrive out of order still give the right projection.
 */
import { isWrongOwnerReason } from "../metrics/definitions";

export interface ProjectionEvent {
  type: string;
  occurredAt: Date;
  repId?: string | null;
  reasonCode?: string | null;
  amount?: number | null;
}

export type ProjectedStatus = "assigned" | "accepted" | "working" | "rejected" | "won" | "lost" | "disqualified" | "closed";

export interface OutcomeProjection {
  firstTouchAt: Date | null;
  decision: "accepted" | "rejected" | null;
  decisionAt: Date | null;
  meetingBookedAt: Date | null;
  opportunityCreatedAt: Date | null;
  /** Sum of opportunity amounts; null when none. */
  opportunityAmount: number | null;
  closedAt: Date | null;
  everWrongAssigned: boolean;
  /** The status the events imply, or null when they imply nothing beyond the routing status. */
  status: ProjectedStatus | null;
}

const CLOSE_AS: Record<string, ProjectedStatus> = { disqualified: "disqualified", no_response: "disqualified", resolved: "closed" };

/** Projects a lead's events (any order; ties keep input order). */
export function projectOutcomes(events: readonly ProjectionEvent[]): OutcomeProjection {
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const p: OutcomeProjection = {
    firstTouchAt: null, decision: null, decisionAt: null, meetingBookedAt: null, opportunityCreatedAt: null,
    opportunityAmount: null, closedAt: null, everWrongAssigned: false, status: null,
  };
  let closed: ProjectedStatus | null = null;
  let rejectedStands = false;
  for (const e of ordered) {
    switch (e.type) {
      case "first_touch":
        p.firstTouchAt ??= e.occurredAt;
        break;
      case "accepted":
        p.decision = "accepted";
        p.decisionAt = e.occurredAt;
        rejectedStands = false;
        break;
      case "rejected":
        p.decision = "rejected";
        p.decisionAt = e.occurredAt;
        rejectedStands = true;
        if (isWrongOwnerReason(e.reasonCode)) p.everWrongAssigned = true;
        break;
      case "reassigned":
        rejectedStands = false;
        if (isWrongOwnerReason(e.reasonCode)) p.everWrongAssigned = true;
        break;
      case "meeting_booked":
        p.meetingBookedAt ??= e.occurredAt;
        break;
      case "opportunity_created":
        p.opportunityCreatedAt ??= e.occurredAt;
        p.opportunityAmount = (p.opportunityAmount ?? 0) + (e.amount ?? 0);
        break;
      case "closed_won":
        closed = "won";
        p.closedAt = e.occurredAt;
        break;
      case "closed_lost":
        closed = CLOSE_AS[e.reasonCode ?? ""] ?? "lost";
        p.closedAt = e.occurredAt;
        break;
    }
  }
  if (closed) p.status = closed;
  else if (rejectedStands) p.status = "rejected";
  else if (p.firstTouchAt) p.status = "working";
  else if (p.decision === "accepted") p.status = "accepted";
  return p;
}
