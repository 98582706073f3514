import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePage } from "@/server/auth/guard";
import { LeadsView } from "./leads-view";

export const metadata: Metadata = { title: "Leads" };

export default async function LeadsPage() {
  const user = await requirePage("leads", "/leads");
  return (
    <Suspense>
      <LeadsView ownOnly={user.role === "sales"} />
    </Suspense>
  );
}
