import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePage } from "@/server/auth/guard";
import { InboxView } from "./inbox-view";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const user = await requirePage("inbox", "/inbox");
  return (
    <Suspense>
      <InboxView isRep={user.role === "sales"} />
    </Suspense>
  );
}
