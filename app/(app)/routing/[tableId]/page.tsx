import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePage } from "@/server/auth/guard";
import { TableEditorView } from "./editor-view";

export const metadata: Metadata = { title: "Decision table" };

export default async function TableEditorPage({ params }: { params: Promise<{ tableId: string }> }) {
  const { tableId } = await params;
  const user = await requirePage("routing", `/routing/${tableId}`);
  return (
    <Suspense>
      <TableEditorView tableId={tableId} canEdit={user.role === "admin" || user.role === "ops"} userId={user.id} />
    </Suspense>
  );
}
