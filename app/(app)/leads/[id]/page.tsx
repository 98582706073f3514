import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePage } from "@/server/auth/guard";
import { getDb } from "@/server/db";
import { leadVisibleTo } from "@/server/services/leads.service";
import { LeadView } from "./lead-view";

export const metadata: Metadata = { title: "Lead" };

export default async function LeadPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePage("leads", `/leads/${id}`);
  // A real 404 for ids that do not exist or that this user may not see (a sales user and another rep's lead).
  if (!z.uuid().safeParse(id).success || !(await leadVisibleTo(await getDb(), user, id))) notFound();
  return <LeadView id={id} />;
}
