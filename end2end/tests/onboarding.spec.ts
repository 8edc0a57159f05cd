import { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { accountIdOf, control, hydrated, onboardHosted, openHostedForm, signUp, uniqueEmail } from "./helpers";

/** A new owner, signed up; returns their email. */
async function newOwner(page: Page, prefix: string): Promise<string> {
  const email = uniqueEmail(prefix);
  await signUp(page, email);
  return email;
}

test("an owner onboards on the hosted form and the account becomes active", async ({ page }) => {
  test.setTimeout(120_000);
  await newOwner(page, "onboard");
  await expect(page.getByRole("heading", { name: "Set up payments" })).toBeVisible();
  await page.screenshot({ path: "screenshots/account-start.png", fullPage: true });
  await onboardHosted(page, "screenshots/emulator-hosted-onboarding.png");
  // Back on the return URL: the portal read the account again instead of trusting the redirect.
  await expect(page.getByTestId("account-status")).toBeVisible();
  await page.screenshot({ path: "screenshots/account-returned.png", fullPage: true });
  // Stripe verifies what was sent in a few seconds; the open page follows without a reload.
  await expect(page.getByTestId("account-status")).toHaveText("Active", { timeout: 45_000 });
  await expect(page.getByText("Payments").locator("..").getByText("Enabled")).toBeVisible();
  await page.screenshot({ path: "screenshots/account-active.png", fullPage: true });
});

test("a used link sends the owner through the refresh URL to a new one", async ({ page }) => {
  await newOwner(page, "refresh");
  await hydrated(page);
  await openHostedForm(page);
  const first = page.url();
  await page.getByRole("button", { name: "Save for later" }).click();
  await page.waitForURL(/\/account\?returned=1$/);
  // The link was used: opening it again goes to the portal's refresh URL, which makes a new one.
  await page.goto(first);
  await page.waitForURL(/\/setup\/s\//);
  expect(page.url()).not.toBe(first);
  await expect(page.locator("form[action^='/setup/s/']")).toBeVisible();
});

test("saving for later lists what is still needed", async ({ page }) => {
  await newOwner(page, "later");
  await hydrated(page);
  await openHostedForm(page);
  await page.getByRole("button", { name: "Save for later" }).click();
  await page.waitForURL(/\/account\?returned=1$/);
  await hydrated(page);
  await expect(page.getByTestId("account-status")).toHaveText(/Action required|Onboarding not finished/);
  await expect(page.getByText("Welcome back. Stripe still needs the items below")).toBeVisible();
  await expect(page.getByTestId("currently-due").or(page.getByTestId("past-due")).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue onboarding on Stripe" })).toBeVisible();
  await page.screenshot({ path: "screenshots/account-saved-for-later.png", fullPage: true });
});

test("a requirement escalated to past due shows as Restricted without a reload", async ({ page }) => {
  test.setTimeout(120_000);
  const email = await newOwner(page, "escalate");
  const emulator = await onboardHosted(page);
  await expect(page.getByTestId("account-status")).toHaveText("Active", { timeout: 45_000 });
  const id = await accountIdOf(page, emulator, email);
  await control(page, emulator, `/_sandbox/api/accounts/${id}/requirements/add`, {
    field: "individual.verification.document",
    deadline_days: 3,
  });
  await expect(page.getByTestId("account-status")).toHaveText("Restricted soon", { timeout: 30_000 });
  await expect(page.getByTestId("deadline")).toBeVisible();
  await page.screenshot({ path: "screenshots/account-restricted-soon.png", fullPage: true });
  await control(page, emulator, `/_sandbox/api/accounts/${id}/requirements/escalate`, {});
  await expect(page.getByTestId("account-status")).toHaveText("Restricted", { timeout: 30_000 });
  await expect(page.getByTestId("past-due")).toContainText("Identity document");
  await page.screenshot({ path: "screenshots/account-restricted.png", fullPage: true });
});
