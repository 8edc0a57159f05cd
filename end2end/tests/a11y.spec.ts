import AxeBuilder from "@axe-core/playwright";
import { Page } from "@playwright/test";
import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { admin } from "../playwright.config";
import { hydrated, openHostedForm, signIn, signUp, uniqueEmail } from "./helpers";

// Every page, checked by axe-core: no serious or critical violations. Embedded Stripe components
// live in their own shadow roots and are Stripe's (or the emulator's) to answer for: excluded.

async function check(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
  const results = await new AxeBuilder({ page }).exclude("[data-component]").analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("public pages", async ({ page }) => {
  // The not-found page comes with a 404, which Chromium logs.
  allowConsole(failedLoad("/no-such-page", 404));
  for (const path of ["/", "/sign-in", "/sign-up", "/sign-up/check-email", "/forgot-password", "/no-such-page", `/invite/${"0".repeat(64)}`]) {
    await check(page, path);
  }
});

test("the owner's portal", async ({ page }) => {
  const email = uniqueEmail("a11y");
  await signUp(page, email);
  for (const path of ["/account", "/profile", "/account/test-data", "/account/payouts", "/account/payments"]) {
    await check(page, path);
  }
  // With an account: the requirements view and the schedule.
  await page.goto("/account");
  await hydrated(page);
  await openHostedForm(page);
  await page.getByRole("button", { name: "Save for later" }).click();
  await page.waitForURL(/\/account\?returned=1$/);
  for (const path of ["/account", "/account/payouts", "/account/balances", "/account/documents", "/account/settings"]) {
    await check(page, path);
  }
});

test("the console, and using it by keyboard alone", async ({ page }) => {
  await signIn(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/admin$/);
  for (const path of [
    "/admin",
    "/admin/accounts",
    "/admin/accounts?sort=name&cap_status=active",
    "/admin/events",
    "/admin/audit",
    "/admin/mail",
    "/admin/admins",
    "/admin/settings",
  ]) {
    await check(page, path);
  }
  // Keyboard: skip link, then the navigation, reaching the accounts list.
  await page.goto("/admin");
  await hydrated(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.getByRole("link", { name: "Accounts", exact: true }).evaluate((el) => el === document.activeElement);
  }
  expect(reached).toBeTruthy();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/admin\/accounts$/);
  const first = page.locator("table[data-testid=accounts] a").first();
  if (await first.count()) {
    await first.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/admin\/accounts\/acct_/);
    const account = new URL(page.url()).pathname;
    // The overview, then each of the account page's tabs (the payouts tab holds the schedule form).
    await check(page, account);
    for (const tab of ["payouts", "fees", "events", "audit"]) await check(page, `${account}?tab=${tab}`);
  }
});
