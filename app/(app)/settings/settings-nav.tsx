"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/settings", label: "Teams & people" },
  { href: "/settings/inbound", label: "Sources & API keys" },
  { href: "/settings/alerts", label: "Alerts & deliveries" },
  { href: "/settings/classification", label: "Classification" },
  { href: "/settings/import", label: "Import CSV" },
];

/** The tabs of the Settings area. */
export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav className="tabs" aria-label="Settings">
      {TABS.map((t) => (
        <Link key={t.href} href={t.href} aria-current={pathname === t.href ? "page" : undefined}>{t.label}</Link>
      ))}
    </nav>
  );
}
