import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { AlertsView } from "./alerts-view";

export const metadata: Metadata = { title: "Alerts & deliveries" };

export default async function AlertsPage() {
  await requirePage("settings", "/settings/alerts");
  return <AlertsView />;
}
