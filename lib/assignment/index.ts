/**
 * Owner assignment: account owner, named rep, queues and weighted round robin with capacity, hours and absences.
 *
 * Decisions (details in round-robin.ts, assign.ts, outcomes.ts):
 * - Round robin sends each lead to the eligible rep with the largest deficit (entitled − received), where each lead
 *   entitles only the reps eligible for it, by weight: shares count only periods and leads a rep was eligible for.
 * - Out of office / outside hours / at a cap: no entitlement accrues; on return the rep's deficit is clamped into the
 *   range of the reps who stayed, so there is neither a catch-up flood nor starvation.
 * - A rejection refunds the lead exactly (by ticket), so it does not cost the rep their turn.
 * - Account-owner assignments do not count toward round robin unless `countAccountOwnerAssignments`.
 * - No eligible rep → the destination's fallback as a result. `assign` mutates the state in place (O(pool size)).
 */

export * from "./assign";
export * from "./assignment.schema";
export { isOutOfOffice, repCalendar } from "./eligibility";
export * from "./outcomes";
export { poolMembers, roundRobinPoolKey } from "./round-robin";
export * from "./state";
export { describeNoEligibleOwner } from "./describe";
