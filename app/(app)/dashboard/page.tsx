import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { DashboardView } from "./dashboard-view";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  await requirePage("dashboard", "/dashboard");
  return <DashboardView />;
}
