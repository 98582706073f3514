import { navigationFor, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireSignedIn } from "@/server/auth/guard";
import { Nav } from "../_components/nav";
import { NotificationBell } from "../_components/notification-bell";
import { TRPCReactProvider } from "../_trpc/client";
import { signOutAction } from "../signin/actions";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedIn("/");
  return (
    <TRPCReactProvider>
      <a className="skip-link" href="#main">Skip to content</a>
      <div className="shell">
        <aside className="sidebar">
          <div className="brand"><span className="brand-mark" aria-hidden>⇄</span> Switchyard</div>
          <div className="workspace-name">{user.workspaceName}</div>
          <NotificationBell />
          <Nav items={navigationFor(user.role)} />
          <div className="sidebar-foot">
            <div className="user-chip" data-testid="user-chip">
              <strong>{user.name}</strong>
              <span>{user.email}</span>
              <span>{ROLE_LABELS[user.role]}</span>
            </div>
            <form action={signOutAction}>
              <button className="btn btn-ghost" type="submit" style={{ paddingLeft: 0 }}>Sign out</button>
            </form>
          </div>
        </aside>
        <div className="main" id="main">{children}</div>
      </div>
    </TRPCReactProvider>
  );
}
