import Link from "next/link";

export default function NotFound() {
  return (
    <div className="auth-page">
      <div className="card auth-card" role="alert">
        <h1>Not found</h1>
        <p className="muted">This page or record does not exist, or you do not have access to it.</p>
        <p><Link className="btn" href="/">Go to your home page</Link></p>
      </div>
    </div>
  );
}
