"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";
import { formatDateTime, formatFullDateTime } from "./dates";
import { ModalDialog } from "./dialog";

const KIND_LABELS: Record<string, string> = {
  sla_reminder: "SLA reminder",
  sla_breached: "SLA breached",
  sla_reassigned: "Reassigned",
  lead_assigned: "New lead",
  review_overdue: "Review overdue",
};

/** The bell: unread count in the sidebar; a dialog with the newest notifications, each linking to its lead. */
export function NotificationBell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const q = useQuery(trpc.notifications.list.queryOptions(undefined, { refetchInterval: 30_000 }));
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }),
  }));
  const unread = q.data?.unread ?? 0;
  return (
    <>
      <button type="button" className="bell" onClick={() => setOpen(true)} aria-haspopup="dialog" data-testid="notification-bell"
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}>
        <svg aria-hidden width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" /><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        Notifications
        {unread > 0 ? <span className="bell-count" data-testid="bell-count">{unread > 99 ? "99+" : unread}</span> : null}
      </button>
      {open ? (
        <ModalDialog labelledBy="bell-title" width="min(560px, 94vw)" onClose={() => setOpen(false)}>
          <div className="card-head">
            <div>
              <h2 id="bell-title">Notifications</h2>
              <p>{unread ? `${unread} unread` : "All read"}</p>
            </div>
            <div style={{ display: "flex", gap: 8 }}>
              <button type="button" className="btn" disabled={!unread || markRead.isPending} onClick={() => markRead.mutate({ ids: "all" })}>Mark all read</button>
              <button type="button" className="btn" onClick={() => setOpen(false)} autoFocus>Close</button>
            </div>
          </div>
          <AlertPreferencesRow />
          <div className="bell-list" data-testid="notification-list">
            {q.isError ? <p className="bell-empty">The notifications could not be loaded: {q.error.message}</p>
              : !q.data ? <p className="bell-empty">Loading…</p>
              : q.data.items.length === 0 ? <p className="bell-empty">Nothing yet. Reminders, SLA breaches and reassignments of your leads show up here.</p>
              : (
                <ul>
                  {q.data.items.map((n) => (
                    <li key={n.id} className={n.read_at ? "bell-item" : "bell-item bell-unread"}>
                      <div className="bell-meta">
                        <span className={n.kind === "sla_breached" ? "badge badge-bad" : n.kind === "sla_reminder" ? "badge badge-warn" : "badge badge-brand"}>{KIND_LABELS[n.kind] ?? n.kind}</span>
                        <time dateTime={new Date(n.created_at).toISOString()} title={formatFullDateTime(n.created_at)}>{formatDateTime(n.created_at)}</time>
                      </div>
                      {n.link ? (
                        <Link href={n.link} onClick={() => { setOpen(false); if (!n.read_at) markRead.mutate({ ids: [n.id] }); }}><strong>{n.title}</strong></Link>
                      ) : <strong>{n.title}</strong>}
                      {n.body ? <p>{n.body}</p> : null}
                    </li>
                  ))}
                </ul>
              )}
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}

/** The user's own alert settings: email on or off, and quiet hours (emails wait for the team's working hours). */
function AlertPreferencesRow() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.notifications.preferences.queryOptions());
  // Shown as chosen at once; put back to what is stored if saving fails.
  const [chosen, setChosen] = useState<{ email: boolean; quietHours: boolean } | null>(null);
  const save = useMutation(trpc.notifications.savePreferences.mutationOptions({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.preferences.queryKey() }),
    onError: () => setChosen(null),
  }));
  if (!q.data) return null;
  const { email, quietHours } = chosen ?? q.data;
  const choose = (next: { email: boolean; quietHours: boolean }) => {
    setChosen(next);
    save.mutate(next);
  };
  return (
    <div className="bell-prefs" data-testid="alert-preferences">
      <label>
        <input type="checkbox" checked={email} onChange={(e) => choose({ email: e.target.checked, quietHours })} />
        Also email me these alerts
      </label>
      <label>
        <input type="checkbox" checked={quietHours} disabled={!email} onChange={(e) => choose({ email, quietHours: e.target.checked })} />
        Hold emails outside my team&apos;s working hours
      </label>
      {!q.data.emailAvailable ? <span className="muted small">Email is not set up for this installation (SMTP_URL); the bell still has everything.</span> : null}
      {save.isError ? <span className="field-error" role="alert">Not saved: {save.error.message}</span> : null}
    </div>
  );
}
