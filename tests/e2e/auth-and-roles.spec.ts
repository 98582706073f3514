import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support";


async function navLabels(page: Page): Promise<string[]> {
  return page.getByRole("navigation", { name: "Main" }).locator(".nav-label").allTextContents();
}

test("an unauthenticated visitor is sent to sign-in, and tRPC refuses them", async ({ page, request }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  const api = await request.get("/api/trpc/leads.list?input=" + encodeURIComponent(JSON.stringify({ json: {} })));
  expect(api.status()).toBe(401);
});

test("bad credentials get a clear message and field errors", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await page.getByLabel("Work email").fill("ops@demo.switchyard.dev");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".error-box")).toContainText("do not match");
});

const ROLES = [
  { email: "admin@demo.switchyard.dev", nav: ["Dashboard", "Leads", "Routing", "Review", "Monthly review", "Inbox", "Settings"], home: /\/dashboard/ },
  { email: "ops@demo.switchyard.dev", nav: ["Dashboard", "Leads", "Routing", "Review", "Monthly review", "Inbox", "Settings"], home: /\/dashboard/ },
  { email: "growth@demo.switchyard.dev", nav: ["Dashboard", "Leads", "Routing", "Monthly review"], home: /\/dashboard/ },
  { email: "sales@demo.switchyard.dev", nav: ["Leads", "Monthly review", "Inbox"], home: /\/inbox/ },
];

for (const role of ROLES) {
  test(`${role.email} sees the right navigation and lands on their home`, async ({ page }) => {
    await signIn(page, role.email);
    await expect(page).toHaveURL(role.home);
    expect(await navLabels(page)).toEqual(role.nav);
  });
}

test("growth is refused pages outside its role with a 403", async ({ page }) => {
  await signIn(page, "growth@demo.switchyard.dev");
  const res = await page.goto("/settings");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: /don.t have access/ })).toBeVisible();
});

test("a sales user sees only their own leads and is refused another rep's lead", async ({ page, browser }) => {
  // Find a lead owned by someone else, as ops.
  const ops = await browser.newPage();
  await signIn(ops, "ops@demo.switchyard.dev");
  const others = await ops.request.get("/api/trpc/inbox.list?input=" + encodeURIComponent(JSON.stringify({ json: {} })));
  expect(others.ok()).toBe(true);
  const inbox = (await others.json()) as { result: { data: { json: { reps: Array<{ id: string; name: string }> } } } };
  const otherRep = inbox.result.data.json.reps.find((r) => r.name !== "Maya Chen")!;
  const otherLeads = await ops.request.get("/api/trpc/leads.list?input=" + encodeURIComponent(JSON.stringify({ json: { ownerRepId: otherRep.id, pageSize: 10 } })));
  const otherLeadId = ((await otherLeads.json()) as { result: { data: { json: { rows: Array<{ id: string }> } } } }).result.data.json.rows[0]!.id;
  await ops.close();

  await signIn(page, "sales@demo.switchyard.dev");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" }).click();
  await expect(page.getByRole("heading", { name: "My leads" })).toBeVisible();
  const mine = await page.request.get("/api/trpc/leads.list?input=" + encodeURIComponent(JSON.stringify({ json: { pageSize: 200 } })));
  const rows = ((await mine.json()) as { result: { data: { json: { rows: Array<{ owner_name: string | null }> } } } }).result.data.json.rows;
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((r) => r.owner_name))).toEqual(new Set(["Maya Chen"]));

  const page404 = await page.goto(`/leads/${otherLeadId}`);
  expect(page404?.status()).toBe(404);
  const api = await page.request.get("/api/trpc/leads.byId?input=" + encodeURIComponent(JSON.stringify({ json: { id: otherLeadId } })));
  expect(api.status()).toBe(404);
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, "ops@demo.switchyard.dev");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/leads");
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/signout");
  await expect(page.getByText("You are signed out.")).toBeVisible();
});

test("the sign-out page confirms before ending the session", async ({ page }) => {
  await signIn(page, "growth@demo.switchyard.dev");
  await page.goto("/signout");
  await expect(page.getByText("growth@demo.switchyard.dev")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
});
