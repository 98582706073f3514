import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePage } from "@/server/auth/guard";
import { DashboardView } from "./dashboard-view";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePage("dashboard", "/dashboard");
  return (
    <Suspense>
      <DashboardView canEditTargets={user.role === "admin" || user.role === "ops"} />
    </Suspense>
  );
}
