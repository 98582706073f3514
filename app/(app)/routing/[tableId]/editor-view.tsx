"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { ErrorState, TableSkeleton } from "../../../_components/states";
import { formatFullDateTime } from "../../../_components/dates";
import { RulesTab } from "./rules-tab";
import { TestsTab } from "./tests-tab";
import { SimulateTab } from "./simulate-tab";
import { VersionsTab } from "./versions-tab";
import { PublishPanel } from "./publish-panel";

export type EditorData = RouterOutputs["routing"]["table"];

const TABS = [
  { key: "rules", label: "Rules" },
  { key: "tests", label: "Tests & preview" },
  { key: "simulate", label: "Simulate" },
  { key: "versions", label: "Versions & audit" },
] as const;
type Tab = (typeof TABS)[number]["key"];

export function TableEditorView({ tableId, canEdit, userId }: { tableId: string; canEdit: boolean; userId: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const tab = (TABS.find((t) => t.key === params.get("tab"))?.key ?? "rules") as Tab;
  const q = useQuery(trpc.routing.table.queryOptions({ id: tableId }));
  const hrefFor = (key: Tab) => {
    const next = new URLSearchParams(params.toString());
    next.set("tab", key);
    return `${pathname}?${next.toString()}`;
  };

  if (q.isPending) return <div className="page"><div className="card"><TableSkeleton /></div></div>;
  if (q.isError) return <div className="page"><ErrorState title="The decision table could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div>;
  const data = q.data;
  const live = data.versions.find((v) => v.live) ?? null;
  const draft = data.versions.find((v) => v.id === data.draftVersionId) ?? null;
  const scheduled = data.versions.find((v) => v.scheduled) ?? null;

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="Breadcrumb"><Link href="/routing">Routing</Link> / {data.table.name}</nav>
      <div className="page-head" style={{ alignItems: "flex-start" }}>
        <div>
          <h1>{data.table.name}</h1>
          <p>
            {live ? <>Live: <strong>v{live.version}</strong>, published {formatFullDateTime(live.published_at)}{live.published_by_name ? ` by ${live.published_by_name}` : ""}</> : "No live version: leads go to the review queue."}
            {draft ? <> · Draft <strong>v{draft.version}</strong> open{draft.created_by_name ? ` (${draft.created_by_name})` : ""}</> : null}
            {scheduled ? <> · v{scheduled.version} takes over {formatFullDateTime(scheduled.effective_at)}</> : null}
          </p>
        </div>
        {draft ? <PublishPanel draftId={draft.id} tableId={tableId} canEdit={canEdit} userId={userId} onSimulate={() => router.push(hrefFor("simulate"))} /> : null}
      </div>
      <nav className="tabs" aria-label="Table sections">
        {TABS.map((t) => (
          <Link key={t.key} href={hrefFor(t.key)} aria-current={tab === t.key ? "page" : undefined} scroll={false}>{t.label}</Link>
        ))}
      </nav>
      {tab === "rules" ? <RulesTab data={data} canEdit={canEdit} /> : null}
      {tab === "tests" ? <TestsTab data={data} canEdit={canEdit} /> : null}
      {tab === "simulate" ? <SimulateTab data={data} canEdit={canEdit} /> : null}
      {tab === "versions" ? <VersionsTab data={data} canEdit={canEdit} /> : null}
    </div>
  );
}
