import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { ReviewView } from "./review-view";

export const metadata: Metadata = { title: "Monthly routing review" };

export default async function MonthlyReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePage("monthly_review", `/monthly-review/${id}`);
  return <ReviewView id={id} role={user.role} userId={user.id} />;
}
