import type { Metadata } from "next";
import { requirePage } from "@/server/auth/guard";
import { RoutingView } from "./routing-view";

export const metadata: Metadata = { title: "Routing" };

export default async function RoutingPage() {
  const user = await requirePage("routing", "/routing");
  return <RoutingView canEdit={user.role === "admin" || user.role === "ops"} isAdmin={user.role === "admin"} />;
}
