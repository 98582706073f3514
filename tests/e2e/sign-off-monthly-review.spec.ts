/**
 * The monthly routing review, end to end (issue 9): ops opens the month's review (created by the server when the
 * month ended), ticks checklist items, adds an action item linked to a draft table version and its simulation,
 * comments and signs; growth can read it and change nothing; sales signs; the review becomes read-only and shows as
 * signed off in the history. Named to run after routing.spec.ts, which expects the table to have no draft.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signIn } from "./support";

async function trpc<T>(request: APIRequestContext, path: string, input: unknown, method: "query" | "mutation"): Promise<T> {
  const res = method === "query"
    ? await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
    : await request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

test("ops and sales work through the month's review, link a draft and its simulation, and sign it off", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, "ops@demo.switchyard.dev");

  // A draft of the routing table and a finished simulation of it, as ops would have made in Routing.
  const overview = await trpc<{ tables: Array<{ id: string; name: string }> }>(page.request, "routing.overview", undefined, "query");
  const table = overview.tables[0]!;
  const draft = await trpc<{ id: string }>(page.request, "routing.openDraft", { tableId: table.id }, "mutation");
  const now = Date.now();
  const sim = await trpc<{ id: string }>(page.request, "routing.simulate", { versionId: draft.id, since: new Date(now - 30 * 86_400_000).toISOString(), until: new Date(now).toISOString() }, "mutation");
  await expect.poll(async () => (await trpc<{ status: string }>(page.request, "routing.simulation", { id: sim.id }, "query")).status, { timeout: 90_000 }).toBe("done");

  // The month's review is in the menu and in the history.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monthly review" }).click();
  await expect(page.getByRole("heading", { name: "Monthly review", level: 1 })).toBeVisible();
  const rows = page.getByTestId("review-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("review-status")).toHaveText("Draft");
  await rows.first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: /Routing review — / })).toBeVisible();
  await expect(page.getByTestId("packet-routes").locator("tbody tr").first()).toBeVisible();
  await expect(page.getByTestId("narrative-text")).toContainText("leads (");
  await page.screenshot({ path: "test-results/monthly-review-packet.png", fullPage: true });

  // Checklist: two ticks (with a note); the review is now in review.
  const checklist = page.getByTestId("review-checklist");
  await checklist.getByLabel("Pull last period's wrong-assignment rate and its top reasons").check();
  await expect(page.getByTestId("review-status")).toHaveText("In review");
  await checklist.getByLabel("Note on “Pull last period's wrong-assignment rate and its top reasons”").fill("Mostly territory mismatches in DACH");
  await checklist.getByRole("button", { name: "Save" }).click();
  await expect(checklist.getByRole("button", { name: "Save" })).toHaveCount(0);
  await checklist.getByLabel("Median and p90 speed to lead by source").check();
  await expect(checklist.getByText("2 of 7 done.")).toBeVisible();

  // An action item: refused field by field without a title, then linked to the draft and its simulation.
  const items = page.getByTestId("review-items");
  await items.getByRole("button", { name: "Add action item" }).click();
  await expect(items.getByText("Say what is to be done.")).toBeVisible();
  await items.getByLabel("What is to be done").fill("Send partner requests to SDRs first");
  await items.getByLabel("Owner").selectOption({ label: "Omar Ops (ops)" });
  await items.getByLabel("Due").fill("2026-12-15");
  const versionSelect = items.getByLabel("Table version (optional)");
  const draftLabel = await versionSelect.locator(`option[value="${draft.id}"]`).textContent();
  await versionSelect.selectOption(draft.id);
  await items.getByLabel("Its simulation (optional)").selectOption(sim.id);
  await items.getByRole("button", { name: "Add action item" }).click();
  const item = items.getByTestId("action-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("Send partner requests to SDRs first");
  await expect(item).toContainText(`${table.name} ${draftLabel!.split(" — ")[0]}`);
  await expect(item.getByTestId("item-simulation")).toHaveAttribute("href", `/routing/${table.id}?tab=simulate&sim=${sim.id}`);

  await page.getByTestId("review-comments").getByLabel("Add a comment").fill("Agreed in the call; sales to confirm the SDR capacity.");
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByTestId("review-comments")).toContainText("Agreed in the call");

  await page.getByRole("button", { name: "Sign off for ops" }).click();
  await expect(page.getByTestId("review-signoff")).toContainText("✓ Omar Ops");
  const url = page.url();

  // Growth reads the review, and can change nothing.
  const growthContext = await browser.newContext();
  const growth = await growthContext.newPage();
  await signIn(growth, "growth@demo.switchyard.dev");
  await growth.goto(url);
  await expect(growth.getByTestId("review-status")).toHaveText("In review");
  await expect(growth.getByTestId("action-item")).toContainText("Send partner requests to SDRs first");
  await expect(growth.getByTestId("review-checklist").getByRole("checkbox").first()).toBeDisabled();
  await expect(growth.getByRole("button", { name: /Sign off/ })).toHaveCount(0);
  await expect(growth.getByRole("button", { name: "Add action item" })).toHaveCount(0);
  await growthContext.close();

  // Sales signs: the review is signed off and read-only.
  const salesContext = await browser.newContext();
  const sales = await salesContext.newPage();
  await signIn(sales, "sales@demo.switchyard.dev");
  await sales.goto(url);
  await expect(sales.getByTestId("action-item")).toContainText("Send partner requests to SDRs first");
  await sales.getByRole("button", { name: "Sign off for sales" }).click();
  await expect(sales.getByTestId("review-status")).toHaveText("Signed off");
  await expect(sales.getByTestId("review-checklist").getByRole("checkbox").first()).toBeDisabled();
  await expect(sales.getByRole("button", { name: "Add action item" })).toHaveCount(0);
  await expect(sales.getByRole("button", { name: "Post comment" })).toHaveCount(0);
  await salesContext.close();

  // Ops sees it read-only too, and signed off in the history.
  await page.reload();
  await expect(page.getByTestId("review-status")).toHaveText("Signed off");
  await expect(page.getByTestId("review-checklist").getByRole("checkbox")).toHaveCount(7);
  for (const box of await page.getByTestId("review-checklist").getByRole("checkbox").all()) await expect(box).toBeDisabled();
  await page.getByRole("link", { name: "Monthly review", exact: true }).first().click();
  await expect(rows.first().getByTestId("review-status")).toHaveText("Signed off");
  await expect(rows.first()).toContainText("Omar Ops");

  // The print view carries the record.
  await page.goto(url.replace("/monthly-review/", "/print/monthly-review/"));
  await expect(page.getByRole("heading", { name: /Routing review — / })).toBeVisible();
  await expect(page.getByText("Send partner requests to SDRs first")).toBeVisible();
  await page.screenshot({ path: "test-results/monthly-review-print.png", fullPage: true });
});
