import { baseURL } from "../playwright.config";
import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { accountIdOf, emulatorOrigin, hydrated, onboardHosted, signUp, stripeApi, stripeFaults, uniqueEmail, withFaults } from "./helpers";

// The owner's journeys while the offline Stripe emulator misbehaves as Stripe sometimes does:
// `stripeFaults` (a fifth of API answers are 500 or 429, each late, and webhook deliveries
// dropped, sent twice or held back). The journeys still complete (a person may have to
// press a button again after a plain error), and nothing is created twice on "Stripe". (The
// suite's fault pass, `E2E_FAULTS=1`, runs every other journey under the same faults.)

test("under faults, an owner onboards once and creates test data once", async ({ page }) => {
  test.setTimeout(240_000);
  const email = uniqueEmail("faults");
  // A Stripe failure that outlasts the portal's retries is shown as a plain error, answered with
  // a 409 by the portal's page or server function, which Chromium logs.
  allowConsole(failedLoad(`${baseURL}/`, 409));
  await signUp(page, email);
  const emulator = await emulatorOrigin(page);
  await withFaults(page, emulator, stripeFaults, async () => {
    // Pressed until Stripe answers: one idempotency key per owner, so never two accounts.
    await onboardHosted(page);
    // Webhooks may be lost: the return page read the account itself, and the view follows the cache.
    // Its read may fail too, past the portal's retries: the page says so, and a person tries again.
    await expect(async () => {
      if (await page.getByRole("heading", { name: "That did not work" }).isVisible()) await page.reload();
      await expect(page.getByTestId("account-status")).toHaveText("Active", { timeout: 15_000 });
    }).toPass({ timeout: 90_000 });
    const account = await accountIdOf(page, emulator, email);

    await page.goto("/account/test-data");
    await hydrated(page);
    await page.getByLabel("Number of payments").fill("3");
    const report = page.locator(".test-data-report");
    await expect(async () => {
      await page.getByRole("button", { name: "Create payments" }).click();
      await expect(report).toContainText("pi_", { timeout: 20_000 });
    }).toPass({ timeout: 90_000 });
    // Every payment the report names exists once on Stripe: a retried request never made a
    // second one. (Read through Stripe's API, which the faults also hit.)
    const intents: Array<{ id: string }> = (
      await stripeApi(page, emulator, "GET", "/v1/payment_intents?limit=100", { account })
    ).data;
    const reported = new Set((await report.innerText()).match(/pi_[A-Za-z0-9]+/g) ?? []);
    expect(reported.size).toBeGreaterThanOrEqual(3);
    for (const id of reported) {
      expect(intents.filter((intent) => intent.id === id)).toHaveLength(1);
    }
  });
});
