"use client";

/** Shared loading / error / empty states so every page fails the same, readable way. */
export function ErrorState({ title, error, onRetry }: { title: string; error: { message: string } | null; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <strong>{title}.</strong> {error?.message ?? "Unknown error."}{" "}
      {onRetry ? <button type="button" className="btn" style={{ marginLeft: 8 }} onClick={onRetry}>Try again</button> : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function TableSkeleton({ rows = 8, cols = 6 }: { rows?: number; cols?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading" style={{ padding: 12 }}>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} style={{ display: "grid", gridTemplateColumns: `repeat(${cols}, 1fr)`, gap: 12, marginBottom: 10 }}>
          {Array.from({ length: cols }, (_, c) => <div key={c} className="skeleton" style={{ height: 14 }} />)}
        </div>
      ))}
    </div>
  );
}
