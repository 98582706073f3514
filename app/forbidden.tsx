import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="auth-page">
      <div className="card auth-card" role="alert">
        <h1>You don&apos;t have access to this page</h1>
        <p className="muted">Your role does not include this area. Ask a Switchyard admin if you need it.</p>
        <p><Link className="btn" href="/">Go to your home page</Link></p>
      </div>
    </div>
  );
}
