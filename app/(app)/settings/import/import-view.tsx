"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useTRPC } from "../../../_trpc/client";
import { ErrorState, TableSkeleton } from "../../../_components/states";
import { SettingsNav } from "../settings-nav";
import { JobProgress } from "./job-progress";
import { MapAndPreview } from "./map-and-preview";
import { PastImports } from "./past-imports";
import { Stepper } from "./shared";
import { UploadForm } from "./upload-form";

/** /settings/import: upload (and past imports) without ?job; the mapping, preview or progress of a job with it. */
export function ImportView() {
  const params = useSearchParams();
  const jobId = params.get("job");
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>Import CSV history — leads with their timestamps and outcomes, accounts, reps — so metrics and simulation run on it.</p>
        </div>
        {jobId ? <Link className="btn" href="/settings/import">New import</Link> : null}
      </div>
      <SettingsNav />
      {jobId ? <JobFlow id={jobId} /> : <Start />}
    </div>
  );
}

function Start() {
  return (
    <>
      <Stepper current={0} />
      <div className="stack">
        <UploadForm />
        <PastImports />
      </div>
    </>
  );
}

function JobFlow({ id }: { id: string }) {
  const trpc = useTRPC();
  const job = useQuery({
    ...trpc.import.get.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1000 : false),
  });
  if (job.isPending) return <div className="card"><TableSkeleton rows={4} /></div>;
  if (job.isError) {
    return (
      <div className="stack">
        <ErrorState title="This import could not be loaded" error={job.error} onRetry={() => job.refetch()} />
        <p><Link href="/settings/import">Back to imports</Link></p>
      </div>
    );
  }
  if (job.data.status === "pending") return <MapAndPreview job={job.data} />;
  return (
    <>
      <Stepper current={3} />
      <JobProgress job={job.data} />
    </>
  );
}
