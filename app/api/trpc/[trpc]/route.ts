import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { currentUser } from "@/server/auth/auth";
import { getDb } from "@/server/db";
import { appRouter } from "@/server/trpc/root";

export const dynamic = "force-dynamic";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => ({ db: await getDb(), user: await currentUser(), now: () => new Date() }),
  });

export { handler as GET, handler as POST };
