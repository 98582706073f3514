/** The centred card of the sign-in and sign-out pages. */
export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="auth-page">
      <div className="card auth-card">
        <div className="brand" style={{ color: "var(--text)", padding: 0 }}>
          <span className="brand-mark" aria-hidden>⇄</span> Switchyard
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
