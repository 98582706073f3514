import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePage } from "@/server/auth/guard";
import { getDb } from "@/server/db";
import { ReviewView } from "./review-view";

export const metadata: Metadata = { title: "Monthly routing review" };

export default async function MonthlyReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePage("monthly_review", `/monthly-review/${id}`);
  // A mistyped or foreign link is a 404, not an error box.
  if (!z.uuid().safeParse(id).success) notFound();
  const db = await getDb();
  if (!(await db.selectFrom("monthly_reviews").select("id").where("id", "=", id).where("workspace_id", "=", user.workspaceId).executeTakeFirst())) notFound();
  return <ReviewView id={id} role={user.role} userId={user.id} />;
}
