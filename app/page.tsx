import { redirect } from "next/navigation";
import { homeFor } from "@/lib/auth/permissions";
import { currentUser } from "@/server/auth/auth";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await currentUser();
  redirect(user ? homeFor(user.role) : "/signin");
}
