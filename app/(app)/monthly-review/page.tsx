import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { ReviewsListView } from "./reviews-list-view";

export const metadata: Metadata = { title: "Monthly review" };

export default async function MonthlyReviewsPage() {
  const user = await requirePage("monthly_review", "/monthly-review");
  return <ReviewsListView canCreate={user.role === "admin" || user.role === "ops"} />;
}
