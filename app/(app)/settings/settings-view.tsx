"use client";

import { useQuery } from "@tanstack/react-query";
import { describeWeeklyHours } from "@/lib/calendar/describe";
import { formatCount, humanize } from "@/lib/format";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { useTRPC } from "../../_trpc/client";
import { formatDateTime } from "../../_components/dates";
import { ErrorState, TableSkeleton } from "../../_components/states";
import { SettingsNav } from "./settings-nav";

export function SettingsView() {
  const trpc = useTRPC();
  const q = useQuery(trpc.settings.overview.queryOptions());
  if (q.isPending) return <div className="page"><div className="card"><TableSkeleton /></div></div>;
  if (q.isError) return <div className="page"><ErrorState title="Settings could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div>;
  const { workspace, teams, users } = q.data;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>{workspace.name} · currency {workspace.currency} · workspace time zone {workspace.timeZone}</p>
        </div>
      </div>
      <SettingsNav />
      <div className="stack">
        {teams.map((t) => (
          <section className="card" key={t.id}>
            <div className="card-head">
              <div>
                <h2>{t.name}</h2>
                <p>{t.time_zone} · {describeWeeklyHours(t.weekly_hours)} · {t.holidays.length} holidays{t.manager_name ? ` · manager ${t.manager_name}` : ""}</p>
              </div>
              <span className="badge">{t.reps.length} reps</span>
            </div>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Rep</th>
                    <th scope="col">Role</th>
                    <th scope="col">Territories</th>
                    <th scope="col">Products</th>
                    <th scope="col" className="num">Weight</th>
                    <th scope="col" className="num">Open leads</th>
                    <th scope="col" className="num">Capacity (open / day)</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {t.reps.map((r) => (
                    <tr key={r.id}>
                      <td><strong>{r.name}</strong><div className="muted small">{r.email} · {r.time_zone}</div></td>
                      <td>{r.title || humanize(r.role)}</td>
                      <td className="small">{r.territories.join(", ") || "Any"}</td>
                      <td className="small">{r.products.join(", ") || "Any"}</td>
                      <td className="num">{r.weight}</td>
                      <td className="num">{formatCount(r.open_leads)}</td>
                      <td className="num">{r.max_open_leads ?? "∞"} / {r.max_leads_per_day ?? "∞"}</td>
                      <td>{!r.active ? <span className="badge">Inactive</span> : r.out_of_office ? <span className="badge badge-warn">Out of office</span> : <span className="badge badge-good">Available</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))}
        {users ? (
          <section className="card">
            <div className="card-head"><div><h2>Users</h2><p>Who can sign in, and with which role.</p></div></div>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Rep</th><th scope="col">Last sign-in</th></tr>
                </thead>
                <tbody>
                  {users.map((u) => (
                    <tr key={u.id}>
                      <td>{u.name}</td>
                      <td className="mono small">{u.email}</td>
                      <td>{ROLE_LABELS[u.role]}</td>
                      <td>{u.rep_name ?? "—"}</td>
                      <td className="muted">{formatDateTime(u.last_sign_in_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
