import { createCallerFactory, router } from "./init";
import { dashboardRouter } from "./routers/dashboard.router";
import { importRouter } from "./routers/import.router";
import { leadsRouter } from "./routers/leads.router";
import { meRouter } from "./routers/me.router";
import { monthlyReviewRouter } from "./routers/monthly-review.router";
import { notificationsRouter } from "./routers/notifications.router";
import { inboxRouter, reviewRouter } from "./routers/queues.router";
import { routingRouter } from "./routers/routing.router";
import { settingsRouter } from "./routers/settings.router";

export const appRouter = router({
  me: meRouter,
  leads: leadsRouter,
  dashboard: dashboardRouter,
  routing: routingRouter,
  settings: settingsRouter,
  review: reviewRouter,
  inbox: inboxRouter,
  import: importRouter,
  notifications: notificationsRouter,
  monthlyReview: monthlyReviewRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
