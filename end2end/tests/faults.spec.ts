import { expect, Page, test } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { hydrated, signUp, uniqueEmail } from "./helpers";

// The owner's journeys while the offline Stripe emulator misbehaves as Stripe sometimes does:
// 10% of API answers are 500 and 10% are 429, each answer 50 ms late, and webhook deliveries are
// dropped, sent twice or held back (20% each). The journeys still complete (a person may have to
// press a button again after a plain error), and nothing is created twice on "Stripe".

const emulatorKey = "sk_test_offline_emulator";
const faults = {
  error_500_rate: 0.1,
  error_429_rate: 0.1,
  latency_ms: 50,
  webhook_drop_rate: 0.2,
  webhook_duplicate_rate: 0.2,
  webhook_reorder_rate: 0.2,
};

let emulator = "";

async function control(page: Page, path: string, data: object) {
  const response = await page.request.post(`${emulator}${path}`, {
    headers: { authorization: `Bearer ${emulatorKey}` },
    data,
  });
  expect(response.ok(), await response.text()).toBeTruthy();
}

async function emulatorState(page: Page) {
  const response = await page.request.get(`${emulator}/_sandbox/api/state`, {
    headers: { authorization: `Bearer ${emulatorKey}` },
  });
  return response.json();
}

/** Clicks `button` until the page moves on, as a person would after a plain error. */
async function pressUntil(page: Page, button: string, url: RegExp) {
  await expect(async () => {
    await page.getByRole("button", { name: button, exact: true }).click();
    await page.waitForURL(url, { timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  // The emulator's origin, as the portal's Content-Security-Policy names it.
  const csp = (await page.request.get("/")).headers()["content-security-policy"] ?? "";
  emulator = (csp.match(/http:\/\/127\.0\.0\.1:\d+/g) ?? []).find((o) => o !== baseURL) ?? "";
  expect(emulator, csp).not.toBe("");
  await control(page, "/_sandbox/api/faults", faults);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await control(page, "/_sandbox/api/faults/reset", {});
  await page.close();
});

test("under faults, an owner onboards once and creates test data once", async ({ page }) => {
  test.setTimeout(240_000);
  const email = uniqueEmail("faults");
  await signUp(page, email);
  await hydrated(page);
  // Pressed until Stripe answers: one idempotency key per owner, so never two accounts.
  await pressUntil(page, "Start onboarding", /\/setup\/s\//);
  await page.getByRole("button", { name: "Submit", exact: true }).click();
  for (let round = 0; round < 5; round++) {
    await page.waitForURL(/\/account\?returned=1$/);
    await hydrated(page);
    const more = page.getByRole("button", { name: "Continue onboarding on Stripe" });
    if (!(await more.isVisible())) break;
    await pressUntil(page, "Continue onboarding on Stripe", /\/setup\/s\//);
    await page.getByRole("button", { name: "Submit", exact: true }).click();
  }
  // Webhooks may be lost: the return page read the account itself, and the view follows the cache.
  await expect(page.getByTestId("account-status")).toHaveText("Active", { timeout: 60_000 });

  const state = await emulatorState(page);
  const accounts = Object.values(state.accounts as Record<string, { id: string; email: string }>).filter(
    (a) => a.email === email,
  );
  expect(accounts, "one account on Stripe").toHaveLength(1);
  const account = accounts[0].id;

  await page.goto("/account/test-data");
  await hydrated(page);
  await page.getByLabel("Number of payments").fill("3");
  const report = page.locator(".test-data-report");
  await expect(async () => {
    await page.getByRole("button", { name: "Create payments" }).click();
    await expect(report).toContainText("pi_", { timeout: 20_000 });
  }).toPass({ timeout: 90_000 });
  // Every payment the report names exists once on Stripe: a retried request never made a
  // second one. (Read through Stripe's API, which the faults also hit: asked until it answers.)
  let intents: Array<{ id: string }> = [];
  await expect(async () => {
    const response = await page.request.get(`${emulator}/v1/payment_intents?limit=100`, {
      headers: { authorization: `Bearer ${emulatorKey}`, "stripe-account": account },
    });
    expect(response.ok()).toBeTruthy();
    intents = (await response.json()).data;
  }).toPass({ timeout: 30_000 });
  const reported = new Set((await report.innerText()).match(/pi_[A-Za-z0-9]+/g) ?? []);
  expect(reported.size).toBeGreaterThanOrEqual(3);
  for (const id of reported) {
    expect(intents.filter((intent) => intent.id === id)).toHaveLength(1);
  }
});
