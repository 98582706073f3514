"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavItem } from "@/lib/auth/permissions";

const ICONS: Record<string, string> = {
  dashboard: "◔",
  leads: "☰",
  routing: "⇄",
  review: "⚑",
  monthly_review: "✓",
  inbox: "✉",
  settings: "⚙",
};

export function Nav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(item.href + "/");
        return (
          <Link key={item.href} href={item.href} aria-current={active ? "page" : undefined} title={item.description}>
            <span className="nav-icon" aria-hidden>{ICONS[item.area]}</span>
            <span className="nav-label">{item.label}</span>
          </Link>
        );
      })}
    </nav>
  );
}
