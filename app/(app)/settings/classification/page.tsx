import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { ClassificationView } from "./classification-view";

export const metadata: Metadata = { title: "Classification" };

export default async function ClassificationPage() {
  await requirePage("settings", "/settings/classification");
  return <ClassificationView />;
}
