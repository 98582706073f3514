import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePage } from "@/server/auth/guard";
import { ImportView } from "./import-view";

export const metadata: Metadata = { title: "Import CSV" };

export default async function ImportPage() {
  await requirePage("settings", "/settings/import");
  return (
    <Suspense>
      <ImportView />
    </Suspense>
  );
}
