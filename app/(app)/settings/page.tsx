import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { SettingsView } from "./settings-view";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requirePage("settings", "/settings");
  return <SettingsView />;
}
