import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { accountIdOf, activeOwner, control, hydrated, withFaults } from "./helpers";

test("an owner creates test data and sees it in the embedded payments and balances", async ({ page }) => {
  test.setTimeout(150_000);
  await activeOwner(page, "testdata");
  await page.getByRole("link", { name: "Test data" }).click();
  await expect(page.getByTestId("test-data-panel")).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Number of payments").fill("3");
  await page.getByLabel("Add one payment the customer disputes").check();
  await page.getByLabel("Add one payment the card issuer declines").check();
  await page.getByRole("button", { name: "Create payments" }).click();
  const report = page.locator(".test-data-report");
  await expect(report).toContainText("Declined payment", { timeout: 30_000 });
  await expect(report).toContainText("Disputed payment");
  await expect(report.locator("code").first()).toHaveText(/^pi_/);
  await page.screenshot({ path: "screenshots/test-data.png", fullPage: true });

  await page.getByRole("button", { name: "Refund a test payment" }).click();
  await expect(report).toContainText("Refund", { timeout: 20_000 });

  // The embedded payments list shows them (the emulator's Connect.js stand-in renders into the page).
  await page.getByRole("link", { name: "Payments", exact: true }).click();
  const payments = page.locator("stripe-connect-payments");
  await expect(payments).toBeAttached({ timeout: 20_000 });
  await expect(payments).toContainText(/Failed|failed|Declined|declined/, { timeout: 20_000 });
  await page.screenshot({ path: "screenshots/payments.png", fullPage: true });

  await page.getByRole("link", { name: "Balances" }).click();
  await expect(page.locator("stripe-connect-balances")).toBeAttached({ timeout: 20_000 });
  await page.screenshot({ path: "screenshots/balances.png", fullPage: true });

  // Going back and forth neither starts Connect.js twice per page nor leaves old elements behind.
  await page.getByRole("link", { name: "Payments", exact: true }).click();
  await expect(page.locator("stripe-connect-payments")).toHaveCount(1, { timeout: 20_000 });
  await expect(page.locator("stripe-connect-balances")).toHaveCount(0);
  const scripts = await page.locator("script[src*='connect.js']").count();
  expect(scripts).toBe(1);

  // The AccountSession expires mid-visit (the emulator's clock moves past its 30 minutes): the
  // next request asks the portal for a fresh client secret, without a reload.
  const list = page.locator("stripe-connect-payments");
  await expect(list).toContainText("Succeeded", { timeout: 20_000 });
  const emulator = new URL((await page.locator("script[src*='connect.js']").getAttribute("src"))!).origin;
  await control(page, emulator, "/_sandbox/api/clock/advance", { seconds: 3600 });
  // The stand-in's next request is refused with a 401 (which Chromium logs) before it asks for
  // a fresh client secret, as Connect.js does when its session has expired.
  allowConsole(failedLoad("/_connectjs/v1/", 401));
  const fresh = page.waitForRequest(/\/api\/create_account_session/);
  await list.getByLabel("Status").selectOption("failed");
  await fresh;
  await expect(list.locator("tbody tr")).toHaveCount(1, { timeout: 20_000 });
  await expect(list).toContainText("Failed");
});

test("each page's Content-Security-Policy allows the emulator's Connect.js and nothing more", async ({ page }) => {
  await activeOwner(page, "csp");
  for (const path of ["/account", "/account/payments", "/account/payouts", "/account/balances", "/account/documents", "/account/settings"]) {
    const response = await page.goto(path);
    const csp = response!.headers()["content-security-policy"];
    const script = await page.locator("script[src*='connect.js']").first().getAttribute("src", { timeout: 20_000 }).catch(() => null);
    const origin = script ? new URL(script).origin : null;
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval' http:\/\/127\.0\.0\.1:\d+;/);
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).not.toContain("unsafe-inline");
    if (origin) expect(csp, path).toContain(`frame-src 'self' ${origin}`);
  }
});

test("the payout schedule: words, a refused anchor, a manual schedule and paying out", async ({ page }) => {
  test.setTimeout(150_000);
  const { email, emulator } = await activeOwner(page, "payouts");
  await page.getByRole("link", { name: "Payouts", exact: true }).click();
  await hydrated(page);
  const schedule = page.getByTestId("payout-schedule");
  await expect(schedule).toBeVisible();
  await expect(page.locator("stripe-connect-payouts")).toBeAttached({ timeout: 20_000 });

  // Monthly on the 40th: refused next to the field, the form keeps what was typed. (Answered
  // with a 422, which Chromium logs.)
  allowConsole(failedLoad("/api/update_payout_schedule", 422));
  await page.getByLabel("How often").selectOption("monthly");
  await page.getByLabel("Day of the month").fill("40");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.locator(".field-invalid")).toContainText(/1 and 31|1 to 31|day/i);
  await expect(page.getByLabel("Day of the month")).toHaveValue("40");
  await page.screenshot({ path: "screenshots/payout-schedule-error.png", fullPage: true });

  await page.getByLabel("Day of the month").fill("31");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByTestId("schedule-words")).toContainText("Monthly on the 31st", { timeout: 20_000 });

  // A manual schedule, money available: pay out now.
  await page.getByLabel("How often").selectOption("manual");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByTestId("schedule-words")).toContainText("Manual", { timeout: 20_000 });
  const account = await accountIdOf(page, emulator, email);
  await control(page, emulator, `/_sandbox/api/accounts/${account}/payments`, { count: 3 });
  await control(page, emulator, "/_sandbox/api/clock/advance", { days: 3 });
  await page.reload();
  await hydrated(page);
  await page.getByRole("button", { name: "Pay out now" }).first().click();
  await expect(page.getByText(/Payout of .* started/)).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: "screenshots/payouts.png", fullPage: true });
});

test("a failing AccountSession shows the error, and Try again recovers", async ({ page }) => {
  test.setTimeout(150_000);
  const { emulator } = await activeOwner(page, "sessionfail");
  const error = page.locator(".embed-error");
  // Stripe refuses every AccountSession: the portal's answer to the page is an error status,
  // which Chromium logs.
  allowConsole(failedLoad("/api/create_account_session", 409));
  await withFaults(page, emulator, { error_500_rate: 1 }, async () => {
    await page.getByRole("link", { name: "Documents" }).click();
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toContainText("Stripe could not prepare this view");
    await page.screenshot({ path: "screenshots/embedded-error.png", fullPage: true });
  });
  await error.getByRole("button", { name: "Try again" }).click();
  await expect(page.locator("stripe-connect-documents")).toBeAttached({ timeout: 20_000 });
  await expect(error).toBeHidden();
});
