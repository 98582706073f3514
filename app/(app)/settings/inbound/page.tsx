import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { InboundView } from "./inbound-view";

export const metadata: Metadata = { title: "Sources & API keys" };

export default async function InboundPage() {
  await requirePage("settings", "/settings/inbound");
  return <InboundView />;
}
