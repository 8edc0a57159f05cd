import { expect, test } from "./fixtures";
import { accountIdOf, activeOwner, adminPage, hydrated } from "./helpers";

// Money at risk (issue 18): what Stripe reports reaches the console and the owner's home while
// they are open, without a reload.

test("a disputed payment reaches the console and the owner's home; accepting it closes it in both", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const { email, emulator } = await activeOwner(page, "dispute");
  const account = await accountIdOf(page, emulator, email);

  // The admin has the disputes page open before the dispute exists.
  const console = await adminPage(browser);
  await console.goto("/admin/disputes");
  await hydrated(console);
  const row = console.locator(`[data-testid=dispute-row]:has(a[href^="/admin/accounts/${account}"])`);
  await expect(row).toHaveCount(0);

  // A payment the customer disputes (Stripe's pm_card_createDispute test card).
  await page.getByRole("link", { name: "Test data" }).click();
  await hydrated(page);
  await page.getByLabel("Number of payments").fill("1");
  await page.getByLabel("Add one payment the customer disputes").check();
  await page.getByRole("button", { name: "Create payments" }).click();
  await expect(page.locator(".test-data-report")).toContainText("Disputed payment", { timeout: 30_000 });

  // The console's open page shows it (read again every few seconds), nearest deadline first.
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row).toHaveAttribute("data-status", "needs_response");
  await expect(row).toContainText("Respond by");
  await expect(row).toContainText("days left");
  await expect(row).toContainText("Fraudulent");
  await console.screenshot({ path: "screenshots/console-disputes.png", fullPage: true });

  // The dispute took its amount and fee from the available balance: the platform's exposure.
  await console.goto("/admin/balances");
  const negative = console.locator(`[data-testid=negative-balance][data-account="${account}"]`);
  await expect(negative).toHaveCount(1, { timeout: 30_000 });
  await expect(negative).toContainText("-$");
  await console.screenshot({ path: "screenshots/console-negative-balances.png", fullPage: true });

  // The overview counts it, with the nearest deadline; the account page lists it.
  await console.goto("/admin");
  await expect(console.getByTestId("overview-disputes")).toContainText("Next evidence deadline");
  await expect(console.getByTestId("overview-balances")).toContainText("over");
  await console.screenshot({ path: "screenshots/console-overview-risk.png", fullPage: true });
  await console.goto(`/admin/accounts/${account}?tab=disputes`);
  await expect(console.getByTestId("dispute-row")).toHaveCount(1);
  await console.goto("/admin/disputes");
  await hydrated(console);
  await expect(row).toHaveCount(1);

  // The owner's home says so, with the way to respond.
  await page.getByRole("link", { name: "Home" }).click();
  const mine = page.getByTestId("owner-disputes");
  await expect(mine).toContainText("A payment is disputed", { timeout: 20_000 });
  await expect(mine).toContainText("Respond by");
  await page.screenshot({ path: "screenshots/owner-disputes.png", fullPage: true });
  await mine.getByRole("link", { name: "Respond" }).click();
  await expect(page).toHaveURL(/\/account\/payments\/pi_/);

  // The owner accepts the dispute in the embedded payment details: Stripe closes it as lost.
  const details = page.locator("stripe-connect-payment-details");
  await expect(details).toBeAttached({ timeout: 20_000 });
  await details.getByRole("button", { name: "Accept dispute" }).click();
  await expect(details).toContainText("StatusLost", { timeout: 20_000 });

  // Both views drop it: the console's open page without a reload.
  await expect(row).toHaveCount(0, { timeout: 30_000 });
  await page.goto("/account");
  await expect(page.getByTestId("account-status")).toBeVisible();
  await expect(page.getByTestId("owner-disputes")).toHaveCount(0, { timeout: 20_000 });
});
