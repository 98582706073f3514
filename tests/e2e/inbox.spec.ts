import { expect, test, type APIRequestContext } from "@playwright/test";
import { signIn } from "./support";

const API_KEY = "sy_DEMOdemo_DemoOnlyKeyDoNotUseInProduction000000000";

/** A new lead for Maya Chen (sales@demo…), routed through the API by an explicit owner hint. */
async function leadForMaya(request: APIRequestContext, lastName: string): Promise<string> {
  const res = await request.post("/api/v1/leads", {
    headers: { authorization: `Bearer ${API_KEY}`, "idempotency-key": `inbox-${lastName}-${Date.now()}` },
    data: {
      contact: { email: `pat.${lastName.toLowerCase()}.${Date.now()}@northpeak-energy.com`, firstName: "Pat", lastName, title: "Head of Data" },
      company: { name: "Northpeak Energy", employees: 1800 },
      country: "United States",
      message: "We'd like a demo and pricing for 40 analysts this month.",
      hints: { ownerEmail: "maya.chen@demo.switchyard.dev" },
    },
  });
  expect(res.status()).toBe(201);
  const body = await res.json();
  expect(body.owner?.email).toBe("maya.chen@demo.switchyard.dev");
  return body.leadId as string;
}

test("a rep accepts one lead with a click and rejects another from the keyboard as wrong territory, which re-routes it", async ({ page, request }) => {
  await leadForMaya(request, "Acceptor");
  await leadForMaya(request, "Rejectee");
  await signIn(page, "sales@demo.switchyard.dev");
  await expect(page.getByRole("heading", { name: "My inbox" })).toBeVisible();

  const accepted = page.getByRole("row", { name: /Pat Acceptor, assigned/ });
  await accepted.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText("Accepted: Pat Acceptor.");
  await expect(page.getByRole("row", { name: /Pat Acceptor, accepted/ }).getByRole("button", { name: "Touched" })).toBeVisible();

  const rejected = page.getByRole("row", { name: /Pat Rejectee, assigned/ });
  await rejected.focus();
  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Reject lead" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(dialog.getByText("a reject reason is required")).toBeVisible();
  await dialog.getByLabel("Reason").selectOption("wrong_territory");
  await page.screenshot({ path: "test-results/screenshots/inbox-reject.png" });
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByRole("status")).toContainText(/Rejected: Pat Rejectee (and re-routed it to .+|and sent it to the .+ queue)\./);
  await expect(page.getByRole("row", { name: /Pat Rejectee/ })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screenshots/inbox-actions.png" });
});
