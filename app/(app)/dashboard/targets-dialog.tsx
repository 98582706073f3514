"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { MetricTargets } from "@/lib/metrics/definitions";
import { useTRPC } from "../../_trpc/client";
import { DialogActions, fieldErrors, ModalDialog } from "../../_components/dialog";

const FIELDS: Array<{ key: keyof MetricTargets; label: string; unit: "min" | "%"; hint: string }> = [
  { key: "speedToLeadMinutes", label: "Speed to lead, median (business minutes) ≤", unit: "min", hint: "DESIGN default: 5 minutes for high-intent leads" },
  { key: "slaBreachRate", label: "SLA breach rate ≤", unit: "%", hint: "default 10%" },
  { key: "wrongAssignmentRate", label: "Wrong-assignment rate ≤", unit: "%", hint: "default 5%" },
  { key: "acceptanceRate", label: "Acceptance rate ≥", unit: "%", hint: "default 60%" },
  { key: "meetingRate", label: "Meeting rate ≥", unit: "%", hint: "default 15%" },
  { key: "manualTriageRate", label: "Manual triage rate ≤", unit: "%", hint: "default 20%" },
];

export function TargetsDialog({ targets, onClose }: { targets: MetricTargets; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(FIELDS.map((f) => [f.key, String(f.unit === "%" ? Math.round(targets[f.key] * 1000) / 10 : targets[f.key])])),
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  const save = useMutation(trpc.dashboard.saveTargets.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() });
      onClose();
    },
  }));
  const server = fieldErrors(save.error);
  return (
    <ModalDialog label="Edit targets" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const errors: Record<string, string> = {};
          const out: Partial<MetricTargets> = {};
          for (const f of FIELDS) {
            const raw = values[f.key]?.trim() ?? "";
            const n = Number(raw);
            if (raw === "" || !Number.isFinite(n)) errors[f.key] = "Enter a number.";
            else if (f.unit === "%" && (n < 0 || n > 100)) errors[f.key] = "Between 0 and 100%.";
            else if (f.unit === "min" && (n < 0.5 || n > 10_080)) errors[f.key] = "Between 0.5 and 10,080 minutes.";
            else out[f.key] = f.unit === "%" ? n / 100 : n;
          }
          setLocal(errors);
          if (Object.keys(errors).length === 0) save.mutate({ targets: out as MetricTargets });
        }}
      >
        <div className="card-head"><h2>Targets</h2><p>Shown beside each figure on the dashboard and in the monthly review.</p></div>
        <div className="card-body stack">
          {FIELDS.map((f) => {
            const error = local[f.key] ?? server[`targets.${f.key}`]?.[0];
            return (
              <div className="field" key={f.key}>
                <label htmlFor={`target-${f.key}`}>{f.label}</label>
                <div className="row" style={{ gap: 6 }}>
                  <input id={`target-${f.key}`} inputMode="decimal" value={values[f.key]} aria-invalid={Boolean(error)} aria-describedby={`target-${f.key}-hint`}
                    onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))} style={{ width: 110 }} />
                  <span className="muted">{f.unit}</span>
                </div>
                <span id={`target-${f.key}-hint`} className="muted small">{f.hint}</span>
                {error ? <span className="field-error" role="alert">{error}</span> : null}
              </div>
            );
          })}
          {save.error && Object.keys(server).length === 0 ? <p className="field-error" role="alert">{save.error.message}</p> : null}
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save targets"}</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
