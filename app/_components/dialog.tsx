"use client";

/** The field-level errors a tRPC error carries (server/trpc/init.ts errorFormatter), keyed by field path. */
export function fieldErrors(error: unknown): Record<string, string[]> {
  return ((error as { data?: { fieldErrors?: Record<string, string[]> } } | null)?.data?.fieldErrors) ?? {};
}

/** A modal <dialog>, open while mounted; Escape or a close calls onClose (the owner unmounts it). */
export function ModalDialog({ label, labelledBy, width, onClose, children }: {
  label?: string;
  labelledBy?: string;
  width?: string;
  onClose: () => void;
  children: React.ReactNode;
}) {
  return (
    <dialog
      ref={(el) => { if (el && !el.open) el.showModal(); }}
      className="card dialog"
      style={width ? { width } : undefined}
      aria-label={label}
      aria-labelledby={labelledBy}
      onClose={onClose}
    >
      {children}
    </dialog>
  );
}

/** A dialog's footer: Cancel, then the submit button(s) given as children. */
export function DialogActions({ onCancel, children }: { onCancel: () => void; children: React.ReactNode }) {
  return (
    <div className="card-head" style={{ borderTop: "1px solid var(--border)", borderBottom: "none", justifyContent: "flex-end" }}>
      <button type="button" className="btn" onClick={onCancel}>Cancel</button>
      {children}
    </div>
  );
}
