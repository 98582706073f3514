import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePage } from "@/server/auth/guard";
import { ReviewView } from "./review-view";

export const metadata: Metadata = { title: "Review queue" };

export default async function ReviewPage() {
  await requirePage("review", "/review");
  return (
    <Suspense>
      <ReviewView />
    </Suspense>
  );
}
