"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { formatCount } from "@/lib/format";
import { ProgressBar } from "./shared";
import styles from "./import.module.css";

const KINDS = [
  { value: "leads", title: "Leads", hint: "History with timestamps and outcomes: owner, touches, decisions, meetings, deals." },
  { value: "accounts", title: "Accounts", hint: "Companies with domain, owner, customer status, size, industry, country." },
  { value: "reps", title: "Reps", hint: "People who own leads: email, team (created if missing), role, territories, capacity." },
] as const;

interface Problem {
  detail: string;
  errors?: Record<string, string[]>;
}

/** Choose what the file holds, pick it, and upload it (streamed to the server, with a progress bar). */
export function UploadForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<(typeof KINDS)[number]["value"]>("leads");
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const upload = () => {
    if (!file) {
      setProblem({ detail: "Choose a CSV file first." });
      input.current?.focus();
      return;
    }
    setProblem(null);
    setSent({ loaded: 0, total: file.size });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/imports?kind=${kind}&filename=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => {
      setSent({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
      if (e.lengthComputable && e.loaded >= e.total) setChecking(true);
    };
    xhr.onload = () => {
      setChecking(false);
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201) {
        const id = (body as { job: { id: string } }).job.id;
        void queryClient.invalidateQueries();
        router.push(`/settings/import?job=${id}`);
        return;
      }
      setSent(null);
      setProblem((body as Problem | null) ?? { detail: `The upload failed (${xhr.status}).` });
    };
    xhr.onerror = () => {
      setChecking(false);
      setSent(null);
      setProblem({ detail: "The upload was interrupted. Check the connection and try again." });
    };
    xhr.send(file);
  };

  const busy = sent !== null;
  return (
    <section className="card" aria-labelledby="upload-title">
      <div className="card-head">
        <div>
          <h2 id="upload-title">Upload a CSV file</h2>
          <p>Comma, semicolon or tab separated; UTF-8 (with or without BOM). Up to 200 MB by default. Nothing is imported until you confirm the mapping.</p>
        </div>
      </div>
      <form
        className="card-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          upload();
        }}
      >
        <fieldset className={styles.kinds}>
          <legend>What does the file hold?</legend>
          {KINDS.map((k) => (
            <label key={k.value} className={styles.kind}>
              <input type="radio" name="kind" value={k.value} checked={kind === k.value} onChange={() => setKind(k.value)} disabled={busy}
                aria-label={k.title} aria-describedby={`kind-hint-${k.value}`} />
              <div>
                <strong aria-hidden>{k.title}</strong>
                <span id={`kind-hint-${k.value}`}>{k.hint}</span>
              </div>
            </label>
          ))}
        </fieldset>
        <div
          className={styles.drop}
          data-over={over}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const dropped = e.dataTransfer.files[0];
            if (dropped) setFile(dropped);
          }}
        >
          <div className="field" style={{ alignItems: "center" }}>
            <label htmlFor="import-file">CSV file</label>
            <input
              id="import-file"
              ref={input}
              type="file"
              accept=".csv,.tsv,.txt,text/csv"
              disabled={busy}
              aria-describedby="import-file-hint"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <span id="import-file-hint" className="muted small">
              {file ? `${file.name} · ${formatBytes(file.size)}` : "Choose a file or drop it here."}
            </span>
          </div>
        </div>
        {busy ? (
          <div aria-live="polite" className="stack" style={{ gap: 6 }}>
            <ProgressBar value={sent.loaded} max={sent.total} label="Upload progress" />
            <span className="muted small">
              {checking ? "Uploaded; counting rows…" : `Uploading ${formatBytes(sent.loaded)} of ${formatBytes(sent.total)}`}
            </span>
          </div>
        ) : null}
        {problem ? (
          <div className="error-box" role="alert">
            <strong>{problem.detail}</strong>
            {problem.errors ? (
              <ul style={{ margin: "6px 0 0", paddingLeft: 18 }}>
                {Object.entries(problem.errors).map(([field, messages]) => <li key={field}>{field}: {messages.join(", ")}</li>)}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button className="btn btn-primary" type="submit" disabled={busy}>{busy ? "Uploading…" : "Upload and map columns"}</button>
        </div>
      </form>
    </section>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${formatCount(Math.round(n / 1024))} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}
