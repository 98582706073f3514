import { describe, expect, it } from "vitest";
import {
  applyAssignment,
  assign,
  type AssignContext,
  AssignmentError,
  type AssignmentLead,
  AssignmentResult,
  createAssignmentState,
  decideAssignment,
  type Destination,
  poolMembers,
  poolStandings,
  type RepProfile,
  roundRobinPoolKey,
  serializeState,
  type SkipReason,
} from "@/lib/assignment";
import { at, dest, rep, rr, TEAM_CALENDAR, weekdays, who } from "./fixtures";

const NOW = at("2026-03-10T10:00:00Z"); // Tuesday 11:00 in Berlin
const context: AssignContext = { teamCalendars: { "team-a": TEAM_CALENDAR } };

describe("strategies", () => {
  const reps = [
    rep("ana", { territories: ["DE", "AT"] }),
    rep("ben", { territories: ["EMEA"] }),
    rep("cleo", { active: false }),
    rep("dan", { outOfOffice: [{ startsAt: at("2026-03-09T00:00:00Z"), endsAt: at("2026-03-13T00:00:00Z") }] }),
    rep("eve", { teamId: "team-b" }),
  ];

  it.each<[string, Destination, AssignmentLead, string, string]>([
    ["account owner gets their account's lead", dest([{ kind: "account_owner" }, rr()]), { accountOwnerRepId: "ana" }, "ana", "account_owner"],
    ["no account owner → next strategy", dest([{ kind: "account_owner" }, { kind: "rep", repId: "ben" }]), {}, "ben", "rep"],
    ["unknown account owner → next strategy", dest([{ kind: "account_owner" }, { kind: "rep", repId: "ben" }]), { accountOwnerRepId: "zed" }, "ben", "rep"],
    ["inactive owner falls through by default", dest([{ kind: "account_owner" }, { kind: "rep", repId: "ben" }]), { accountOwnerRepId: "cleo" }, "ben", "rep"],
    ["out-of-office owner falls through by default", dest([{ kind: "account_owner" }, { kind: "rep", repId: "ben" }]), { accountOwnerRepId: "dan" }, "ben", "rep"],
    ["out-of-office owner kept when fallThrough is false", dest([{ kind: "account_owner", fallThrough: false }, { kind: "rep", repId: "ben" }]), { accountOwnerRepId: "dan" }, "dan", "account_owner"],
    ["inactive owner kept when fallThrough is false", dest([{ kind: "account_owner", fallThrough: false }]), { accountOwnerRepId: "cleo" }, "cleo", "account_owner"],
    ["owner who rejected the lead is excluded even when kept", dest([{ kind: "account_owner", fallThrough: false }, { kind: "rep", repId: "ben" }]), { accountOwnerRepId: "ana", excludeRepIds: ["ana"] }, "ben", "rep"],
    ["specific rep", dest([{ kind: "rep", repId: "eve" }]), {}, "eve", "rep"],
    ["specific rep out of office → next strategy", dest([{ kind: "rep", repId: "dan" }, { kind: "queue", queue: "nurture-queue" }]), {}, "queue:nurture-queue", "queue"],
    ["specific rep out of office kept when fallThrough is false", dest([{ kind: "rep", repId: "dan", fallThrough: false }]), {}, "dan", "rep"],
    ["unknown specific rep → fallback", dest([{ kind: "rep", repId: "nobody" }]), {}, "queue:review", "fallback"],
    ["named queue", dest([{ kind: "queue", queue: "review" }, rr()]), {}, "queue:review", "queue"],
    ["round robin picks an eligible rep", dest([rr({ repIds: ["ana", "ben"] })]), {}, "ana", "round_robin"],
    ["no strategies → fallback queue", dest([]), {}, "queue:review", "fallback"],
    ["no eligible rep → fallback route (a result, not an error)", dest([rr({ repIds: ["cleo", "dan"] })], { kind: "route", routePathKey: "sdr-queue" }), {}, "route:sdr-queue", "fallback"],
  ])("%s", (_label, destination, lead, expected, kind) => {
    const { result } = assign(destination, lead, reps, createAssignmentState(), NOW);
    expect(who(result)).toBe(expected);
    expect(result.reason.kind).toBe(kind);
    expect(result.reason.text.length).toBeGreaterThan(10);
    expect(AssignmentResult.safeParse(result).success).toBe(true);
  });

  it("explains fallbacks with every step tried and every rep skipped", () => {
    const { result } = assign(
      dest([{ kind: "account_owner" }, rr({ repIds: ["cleo", "dan"] })], { kind: "route", routePathKey: "sdr-queue" }),
      { accountOwnerRepId: "dan" },
      reps,
      createAssignmentState(),
      NOW,
    );
    expect(result.reason.skipped).toEqual([
      { repId: "dan", reason: "out_of_office", strategy: "account_owner" },
      { repId: "cleo", reason: "inactive", strategy: "round_robin" },
      { repId: "dan", reason: "out_of_office", strategy: "round_robin" },
    ]);
    expect(result.reason.steps.map((s) => [s.strategy, s.outcome])).toEqual([
      ["account_owner", "fell_through"],
      ["round_robin", "fell_through"],
    ]);
    expect(result.reason.text).toBe(
      "no eligible owner → fallback route sdr-queue (account owner: Dan is out of office; round robin: no eligible rep among 2 (inactive 1, out_of_office 1))",
    );
  });

  it("names the earlier steps in the winning sentence", () => {
    const { result } = assign(dest([{ kind: "account_owner" }, rr({ repIds: ["ben"] })]), { accountOwnerRepId: "cleo" }, reps, createAssignmentState(), NOW);
    expect(result.reason.text).toBe("round robin: Ben, the only eligible rep of 1 — after account owner: Cleo is inactive");
  });
});

describe("round robin eligibility: one case per skip reason", () => {
  const day = { startsAt: at("2026-03-10T00:00:00Z"), endsAt: at("2026-03-11T00:00:00Z") };
  const lead: AssignmentLead = { country: "FR", region: "EMEA", product: "Analytics", segment: "smb" };

  it.each<[SkipReason, RepProfile, Partial<Parameters<typeof rr>[0]>, AssignContext?]>([
    ["inactive", rep("x", { active: false }), {}],
    ["zero_weight", rep("x", { weight: 0 }), {}],
    ["out_of_office", rep("x", { outOfOffice: [day] }), {}],
    ["outside_hours", rep("x", { timeZone: "America/Los_Angeles" }), { respectWorkingHours: true }, context],
    ["outside_hours", rep("x", { workingHours: weekdays("14:00", "18:00") }), { respectWorkingHours: true }],
    ["capacity_open", rep("x", { maxOpenLeads: 0 }), {}],
    ["capacity_daily", rep("x", { maxLeadsPerDay: 0 }), {}],
    ["territory", rep("x", { territories: ["DE", "APAC"] }), { matchTerritory: true }],
    ["product", rep("x", { products: ["CRM"] }), { matchProduct: true }],
    ["segment", rep("x", { segments: ["enterprise"] }), { matchSegment: true }],
  ])("%s", (reason, candidate, options, ctx) => {
    const { result } = assign(dest([rr(options)]), lead, [candidate], createAssignmentState(), NOW, ctx);
    expect(result.kind).toBe("queue");
    expect(result.reason.skipped).toEqual([{ repId: "x", reason, strategy: "round_robin" }]);
  });

  it("excluded: a rep who turned the lead down is skipped on re-routing", () => {
    const { result } = assign(dest([rr()]), { excludeRepIds: ["x"] }, [rep("x"), rep("y")], createAssignmentState(), NOW);
    expect(who(result)).toBe("y");
    expect(result.reason.skipped).toEqual([{ repId: "x", reason: "excluded", strategy: "round_robin" }]);
  });

  it.each<[string, RepProfile, AssignmentLead, boolean]>([
    ["country code in territories", rep("x", { territories: ["FR"] }), { country: "fr", region: "EMEA" }, true],
    ["region in territories", rep("x", { territories: ["EMEA"] }), { country: "FR", region: "emea" }, true],
    ["neither", rep("x", { territories: ["NA", "US"] }), { country: "FR", region: "EMEA" }, false],
    ["no territories = any", rep("x"), { country: "FR" }, true],
    ["unknown lead location never excludes", rep("x", { territories: ["US"] }), {}, true],
    ["product case-insensitive", rep("x", { products: ["Analytics"] }), { product: " analytics " }, true],
    ["unknown product never excludes", rep("x", { products: ["CRM"] }), {}, true],
    ["segment mismatch", rep("x", { segments: ["smb"] }), { segment: "Enterprise" }, false],
  ])("fit: %s", (_label, candidate, lead, fits) => {
    const { result } = assign(dest([rr({ matchTerritory: true, matchProduct: true, matchSegment: true })]), lead, [candidate], createAssignmentState(), NOW);
    expect(result.kind === "rep").toBe(fits);
  });

  it("a rep is available inside working hours (own hours, team hours in the rep's zone, holidays)", () => {
    const strategy = dest([rr({ respectWorkingHours: true })]);
    const berlinTeam = rep("x");
    expect(who(assign(strategy, {}, [berlinTeam], createAssignmentState(), NOW, context).result)).toBe("x");
    // Easter Monday is a team holiday.
    expect(who(assign(strategy, {}, [berlinTeam], createAssignmentState(), at("2026-04-06T10:00:00Z"), context).result)).toBe("queue:review");
    // A rep's own holidays replace the team's.
    const ownHolidays = rep("y", { holidays: [] });
    expect(who(assign(strategy, {}, [ownHolidays], createAssignmentState(), at("2026-04-06T10:00:00Z"), context).result)).toBe("y");
    // Team hours 09:00–17:00 apply in the rep's own zone: 10:00Z is 06:00 in New York.
    const remote = rep("z", { timeZone: "America/New_York" });
    expect(who(assign(strategy, {}, [remote], createAssignmentState(), NOW, context).result)).toBe("queue:review");
    expect(who(assign(strategy, {}, [remote], createAssignmentState(), at("2026-03-10T14:00:00Z"), context).result)).toBe("z");
  });

  it("working hours without the team calendar is a typed configuration error", () => {
    expect(() => assign(dest([rr({ respectWorkingHours: true })]), {}, [rep("x")], createAssignmentState(), NOW)).toThrow(AssignmentError);
    try {
      assign(dest([rr({ respectWorkingHours: true })]), {}, [rep("x")], createAssignmentState(), NOW, { teamCalendars: new Map() });
    } catch (e) {
      expect((e as AssignmentError).code).toBe("missing_team_calendar");
    }
  });

  it("capacity checks can be switched off", () => {
    const full = rep("x", { maxOpenLeads: 0, maxLeadsPerDay: 0 });
    expect(who(assign(dest([rr({ respectCapacity: false })]), {}, [full], createAssignmentState(), NOW).result)).toBe("x");
  });
});

describe("capacity", () => {
  it("max open leads counts across strategies and frees up when leads close", async () => {
    const { onClosed } = await import("@/lib/assignment");
    const x = rep("x", { maxOpenLeads: 2 });
    const state = createAssignmentState();
    const d = dest([{ kind: "account_owner" }, rr()]);
    const first = assign(d, { accountOwnerRepId: "x" }, [x], state, NOW).result; // owner assignment counts toward load
    assign(d, {}, [x], state, NOW);
    expect(who(assign(d, {}, [x], state, NOW).result)).toBe("queue:review");
    if (first.kind !== "rep") throw new Error("expected a rep");
    onClosed(state, first.ticket);
    expect(who(assign(d, {}, [x], state, NOW).result)).toBe("x");
  });

  it("max leads per day resets at midnight in the rep's zone (Tokyo)", () => {
    const x = rep("x", { timeZone: "Asia/Tokyo", maxLeadsPerDay: 2 });
    const state = createAssignmentState();
    const d = dest([rr()]);
    const late = at("2026-03-10T14:00:00Z"); // 23:00 JST
    expect(who(assign(d, {}, [x], state, late).result)).toBe("x");
    expect(who(assign(d, {}, [x], state, late).result)).toBe("x");
    const third = assign(d, {}, [x], state, at("2026-03-10T14:59:59Z")).result;
    expect(third.reason.skipped).toEqual([{ repId: "x", reason: "capacity_daily", strategy: "round_robin" }]);
    expect(who(assign(d, {}, [x], state, at("2026-03-10T15:00:00Z")).result)).toBe("x"); // 00:00 JST
    expect(state.reps.x).toMatchObject({ day: "2026-03-11", today: 1, open: 3 });
  });

  it("live loads from the context override the state's counters", () => {
    const x = rep("x", { maxOpenLeads: 5, maxLeadsPerDay: 5 });
    const d = dest([rr()]);
    expect(assign(d, {}, [x], createAssignmentState(), NOW, { loads: { x: { openLeads: 5 } } }).result.reason.skipped[0]?.reason).toBe("capacity_open");
    expect(assign(d, {}, [x], createAssignmentState(), NOW, { loads: new Map([["x", { leadsToday: 5 }]]) }).result.reason.skipped[0]?.reason).toBe("capacity_daily");
    expect(who(assign(d, {}, [x], createAssignmentState(), NOW, { loads: { x: { openLeads: 4, leadsToday: 4 } } }).result)).toBe("x");
  });
});

describe("weighted round robin", () => {
  it("interleaves by weight instead of rotating (2:1 → a a b, a a b …)", () => {
    const reps = [rep("a", { weight: 2 }), rep("b", { weight: 1 })];
    const state = createAssignmentState();
    const order = Array.from({ length: 9 }, () => who(assign(dest([rr()]), {}, reps, state, NOW).result)).join("");
    expect(order).toBe("abaabaaba");
  });

  it("sends the lead to the rep furthest behind and says so with shares", () => {
    const reps = [rep("a", { weight: 1 }), rep("b", { weight: 3 })];
    const state = createAssignmentState();
    for (let i = 0; i < 4; i++) assign(dest([rr()]), {}, reps, state, NOW);
    const { result } = assign(dest([rr()]), {}, reps, state, NOW);
    expect(result.reason.kind).toBe("round_robin");
    expect(result.reason.candidates.map((c) => [c.repId, c.targetShare, c.share, c.target])).toEqual([
      ["a", 0.25, 0.25, 0.25],
      ["b", 0.75, 0.75, 0.75],
    ]);
    expect(result.reason.text).toMatch(/^round robin: B, furthest behind weighted share 0\.75 vs target 0\.75 of leads while eligible \(2 of 2 eligible\)$/);
  });

  it("value weighting: a lead counts by its value toward the share", () => {
    const reps = [rep("a"), rep("b")];
    const state = createAssignmentState();
    const d = dest([rr({ valueWeighted: true })]);
    expect(who(assign(d, { value: 90 }, reps, state, NOW).result)).toBe("a");
    // b is now owed 45 points; a needs several small leads to be due again.
    const next = Array.from({ length: 5 }, () => who(assign(d, { value: 10 }, reps, state, NOW).result));
    expect(next).toEqual(["b", "b", "b", "b", "b"]);
    expect(poolStandings(state, roundRobinPoolKey(rr({ valueWeighted: true }))).map((s) => [s.repId, s.received])).toEqual([
      ["a", 90],
      ["b", 50],
    ]);
    // Invalid values count as 1.
    const s2 = createAssignmentState();
    assign(d, { value: -5 }, reps, s2, NOW);
    assign(d, { value: Number.NaN }, reps, s2, NOW);
    expect(poolStandings(s2, "rr:all").map((s) => s.received)).toEqual([1, 1]);
  });

  it("territory-only leads neither entitle nor charge reps outside the territory", () => {
    const reps = [rep("de", { territories: ["DE"] }), rep("any")];
    const state = createAssignmentState();
    const d = dest([rr({ matchTerritory: true })]);
    for (let i = 0; i < 10; i++) assign(d, { country: "FR" }, reps, state, NOW); // only "any" fits
    const german = Array.from({ length: 10 }, () => who(assign(d, { country: "DE" }, reps, state, NOW).result));
    expect(german.filter((r) => r === "de").length).toBe(5); // an even split of the German leads
  });

  it("pools: teams ∪ listed reps, all reps when neither is given; keys derived or explicit", () => {
    const reps = [rep("a"), rep("b", { teamId: "team-b" }), rep("c", { teamId: "team-c" })];
    expect(poolMembers(rr({ teamIds: ["team-b"], repIds: ["c"] }), reps).members.map((r) => r.id)).toEqual(["b", "c"]);
    expect(poolMembers(rr(), reps).members.map((r) => r.id)).toEqual(["a", "b", "c"]);
    expect(roundRobinPoolKey(rr({ teamIds: ["t2", "t1"] }))).toBe("rr:teams=t1,t2;reps=");
    expect(roundRobinPoolKey(rr({ repIds: ["b", "a"] }))).toBe("rr:teams=;reps=a,b");
    expect(roundRobinPoolKey(rr({ poolKey: "emea-sdr" }))).toBe("emea-sdr");
    expect(roundRobinPoolKey(rr())).toBe("rr:all");
  });
});

describe("account-owner assignments and round-robin shares", () => {
  const reps = [rep("a"), rep("b")];
  const owner: AssignmentLead = { accountOwnerRepId: "a" };

  it("do not count toward round robin by default", () => {
    const state = createAssignmentState();
    const d = dest([{ kind: "account_owner" }, rr()]);
    for (let i = 0; i < 3; i++) assign(d, owner, reps, state, NOW);
    expect(who(assign(d, {}, reps, state, NOW).result)).toBe("a");
    expect(state.pools["rr:all"]?.reps.a?.received).toBe(1);
  });

  it("count when configured: the owner gets correspondingly fewer round-robin leads", () => {
    const state = createAssignmentState();
    const d = dest([{ kind: "account_owner" }, rr({ countAccountOwnerAssignments: true })]);
    const first = assign(d, owner, reps, state, NOW).result;
    expect(first.kind === "rep" && first.ticket.poolKey).toBe("rr:all");
    assign(d, owner, reps, state, NOW);
    expect([0, 1].map(() => who(assign(d, {}, reps, state, NOW).result))).toEqual(["b", "b"]);
    expect(poolStandings(state, "rr:all").map((s) => [s.repId, s.received])).toEqual([
      ["a", 2],
      ["b", 2],
    ]);
  });
});

describe("determinism and the decide/apply split", () => {
  const reps = [rep("a", { weight: 1.5 }), rep("b"), rep("c", { territories: ["FR"] })];
  const d = dest([{ kind: "account_owner" }, rr({ matchTerritory: true })]);

  it("decideAssignment does not change the state; applyAssignment does, once", () => {
    const state = createAssignmentState();
    assign(d, {}, reps, state, NOW);
    const before = JSON.stringify(serializeState(state));
    const decision = decideAssignment(d, { country: "FR" }, reps, state, NOW);
    expect(JSON.stringify(serializeState(state))).toBe(before);
    applyAssignment(state, decision);
    expect(JSON.stringify(serializeState(state))).not.toBe(before);
    expect(() => applyAssignment(state, decision)).toThrow(/revision/);
  });

  it("queue and fallback decisions change nothing", () => {
    const state = createAssignmentState();
    const decision = decideAssignment(dest([{ kind: "queue", queue: "nurture" }]), {}, reps, state, NOW);
    applyAssignment(state, decision);
    expect(state.revision).toBe(0);
  });

  it("the same inputs and state give the same result and next state; rep order does not matter", () => {
    const s1 = createAssignmentState();
    for (let i = 0; i < 5; i++) assign(d, { country: i % 2 ? "FR" : "DE" }, reps, s1, NOW);
    const s2 = structuredClone(serializeState(s1));
    const r1 = assign(d, { country: "FR" }, reps, s1, NOW).result;
    const r2 = assign(d, { country: "FR" }, [...reps].reverse(), s2, NOW).result;
    expect(who(r1)).toBe(who(r2));
    expect(serializeState(s1)).toEqual(serializeState(s2));
  });
});
