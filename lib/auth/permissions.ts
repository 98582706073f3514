/**
 * Roles and what each may see. One table, used by the tRPC role middleware, the page guards and the navigation,
 * so a menu item is never shown for a page the server would refuse.
 */
import { z } from "zod";

export const ROLES = ["admin", "ops", "growth", "sales"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const AREAS = ["dashboard", "leads", "routing", "review", "monthly_review", "inbox", "settings"] as const;
export type Area = (typeof AREAS)[number];

export interface NavItem {
  area: Area;
  label: string;
  href: string;
  description: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { area: "dashboard", label: "Dashboard", href: "/dashboard", description: "Speed to lead, SLA, acceptance and pipeline by route path" },
  { area: "leads", label: "Leads", href: "/leads", description: "Every lead with its route, owner and decision trace" },
  { area: "routing", label: "Routing", href: "/routing", description: "Route paths and decision tables" },
  { area: "review", label: "Review", href: "/review", description: "Leads that need a human" },
  { area: "monthly_review", label: "Monthly review", href: "/monthly-review", description: "The monthly routing review: evidence, checklist, action items, sign-off" },
  { area: "inbox", label: "Inbox", href: "/inbox", description: "Leads assigned to you, by SLA" },
  { area: "settings", label: "Settings", href: "/settings", description: "Teams, reps, sources and workspace settings" },
];

const ACCESS: Record<Role, readonly Area[]> = {
  admin: AREAS,
  ops: ["dashboard", "leads", "routing", "review", "monthly_review", "inbox", "settings"],
  growth: ["dashboard", "leads", "routing", "monthly_review"],
  sales: ["inbox", "leads", "monthly_review"],
};

/** Areas a role may open (read). Writes are narrower; see `canEdit`. */
export function canAccess(role: Role, area: Area): boolean {
  return ACCESS[role].includes(area);
}

const EDIT: Record<Role, readonly Area[]> = {
  admin: ["routing", "review", "monthly_review", "settings", "inbox"],
  ops: ["routing", "review", "monthly_review", "settings", "inbox"],
  growth: [],
  // Sales leadership takes part in the monthly review: ticks, comments, action items, its sign-off.
  sales: ["inbox", "monthly_review"],
};

/** Whether a role may change things in an area (growth is read-only everywhere). */
export function canEdit(role: Role, area: Area): boolean {
  return EDIT[role].includes(area);
}

/** The navigation for a role, in menu order. */
export function navigationFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => canAccess(role, item.area));
}

/** Where a role lands after sign-in. */
export function homeFor(role: Role): string {
  return role === "sales" ? "/inbox" : "/dashboard";
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  ops: "Revenue ops",
  growth: "Growth (read-only)",
  sales: "Sales",
};
