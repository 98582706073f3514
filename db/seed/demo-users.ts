/** The demo workspace's sign-in accounts (also listed in README.md and on the sign-in page of the demo). */
import type { Role } from "@/lib/auth/permissions";

export const DEMO_PASSWORD = "switchyard-demo";

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  /** For sales users: the email of the rep they are. */
  repEmail?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: "admin@demo.switchyard.dev", name: "Ada Admin", role: "admin" },
  { email: "ops@demo.switchyard.dev", name: "Omar Ops", role: "ops" },
  { email: "growth@demo.switchyard.dev", name: "Grace Growth", role: "growth" },
  { email: "sales@demo.switchyard.dev", name: "Maya Chen", role: "sales", repEmail: "maya.chen@demo.switchyard.dev" },
  { email: "sales2@demo.switchyard.dev", name: "Lukas Weber", role: "sales", repEmail: "lukas.weber@demo.switchyard.dev" },
];

/**
 * Demo-only inbound credentials, printed in README so a newcomer can post a lead at once. They exist only in the
 * seeded demo workspace; real workspaces create their own keys and sources in Settings (shown once, stored hashed or
 * encrypted).
 */
export const DEMO_API_KEY = "sy_DEMOdemo_DemoOnlyKeyDoNotUseInProduction000000000";
export const DEMO_WEBHOOK_SECRET = "whsec_c3dpdGNoeWFyZC1kZW1vLXdlYmhvb2stc2VjcmV0ISE=";
