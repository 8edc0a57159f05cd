import { allowConsole, expect, test } from "./fixtures";
import {
  accountIdOf,
  control,
  hydrated,
  loaderVersion,
  onboardHosted,
  renderedThroughLoader,
  signIn,
  signUp,
  uniqueEmail,
} from "./helpers";

// Every embedded page goes through Stripe's loader (@stripe/connect-js, as installed in
// app/node_modules) against the emulator's stand-in, with each setter the page uses. The embedded
// onboarding journey (with onExit) is in oauth.spec.ts, the expired-session and failing-session ones
// in embedded.spec.ts.

const password = "a long enough password";

test("every embedded page renders through Stripe's loader, with the setters it uses", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const email = uniqueEmail("loader");
  await signUp(page, email, password);
  const emulator = await onboardHosted(page);
  await expect(page.getByTestId("account-status")).toHaveText("Active", { timeout: 45_000 });

  // A payment to show: from the test-data tools, whose report links the owner's payments.
  await page.getByRole("link", { name: "Test data" }).click();
  await hydrated(page);
  await page.getByLabel("Number of payments").fill("1");
  await page.getByRole("button", { name: "Create payments" }).click();
  const link = page.locator(".test-data-report a", { hasText: /^pi_/ }).first();
  await expect(link).toBeVisible({ timeout: 30_000 });
  const paymentId = (await link.textContent())!.trim();

  // Payment details: setPayment shows this payment, setOnClose brings the owner back to the list.
  await link.click();
  await page.waitForURL(new RegExp(`/account/payments/${paymentId}$`));
  const details = page.locator("stripe-connect-payment-details");
  await expect(details).toBeAttached({ timeout: 20_000 });
  const dialog = details.getByRole("dialog");
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog).toContainText("Test payment");
  await expect(page.locator(".embed-error")).toBeHidden();
  await page.screenshot({ path: "screenshots/payment-details.png", fullPage: true });
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.waitForURL(/\/account\/payments$/);
  await renderedThroughLoader(page, "payments");
  await expect(page.locator("stripe-connect-payments")).toContainText("Test payment");

  for (const [name, tag] of [
    ["Payouts", "payouts"],
    ["Balances", "balances"],
    ["Documents", "documents"],
    ["Account settings", "account-management"],
  ]) {
    await page.getByRole("link", { name, exact: true }).click();
    await renderedThroughLoader(page, tag);
  }

  // The notification banner: Stripe needs a document; its count reaches the navigation badge
  // through setOnNotificationsChange.
  const account = await accountIdOf(page, emulator, email);
  await control(page, emulator, `/_sandbox/api/accounts/${account}/requirements/add`, {
    field: "individual.verification.document",
    deadline_days: 3,
  });
  await page.getByRole("link", { name: "Home", exact: true }).click();
  await renderedThroughLoader(page, "notification-banner");
  await renderedThroughLoader(page, "balances");
  await expect(page.locator("stripe-connect-notification-banner")).toContainText(/document/i);
  await expect(page.locator(".nav-badge")).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: "screenshots/home-banner.png", fullPage: true });

  // Connect.js's locale is the person's language: the browser's Accept-Language (en-US here)…
  const inits = await page.evaluate(() => (window as any).StripeConnect.offlineEmulatorInits);
  expect(inits.map((i: { locale: string }) => i.locale)).toContain("en-US");
  // …and Canadian French for a person whose browser asks for it, though its own language is
  // French from France: Accept-Language wins over navigator.language.
  const french = await (
    await browser.newContext({ locale: "fr-FR", extraHTTPHeaders: { "Accept-Language": "fr-CA, fr;q=0.9" } })
  ).newPage();
  await signIn(french, email, password);
  await expect(french).toHaveURL(/\/account$/);
  await french.goto("/account/documents");
  await renderedThroughLoader(french, "documents");
  const frenchInits = await french.evaluate(() => (window as any).StripeConnect.offlineEmulatorInits);
  expect(frenchInits.map((i: { locale: string }) => i.locale)).toEqual(["fr-CA"]);
  await french.context().close();

  // The runtime script does not load: the page says so, and Try again puts it in again.
  await page.route(`${emulator}/v1.0/connect.js`, (route) => route.abort());
  // Chromium logs the refused load.
  allowConsole(/^console error on \S*\/v1\.0\/connect\.js: Failed to load resource: net::ERR_FAILED$/);
  await page.goto("/account/documents");
  const error = page.locator(".embed-error");
  await expect(error).toContainText("could not be loaded", { timeout: 20_000 });
  await page.unroute(`${emulator}/v1.0/connect.js`);
  await error.getByRole("button", { name: "Try again" }).click();
  await renderedThroughLoader(page, "documents");

  // A stand-in without a setter the portal uses (here every component's setOnLoaderStart) fails
  // the page as Stripe's does: the loader throws its own error (src/init.ts), where the page
  // cannot catch it.
  await page.route(`${emulator}/v1.0/connect.js`, async (route) => {
    const response = await route.fetch();
    const script = (await response.text()).replace("setOnLoaderStart: 'handler:onLoaderStart'", "");
    await route.fulfill({ response, body: script });
  });
  const message = `Method setOnLoaderStart is not available in the documents HTML element. Are you using a supported version of the "@stripe/connect-js" package? Using version: ${loaderVersion}`;
  allowConsole(new RegExp(`^uncaught Error on \\S+: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
  const thrown = page.waitForEvent("pageerror", { timeout: 30_000 });
  await page.goto("/account/documents");
  expect((await thrown).message).toBe(message);
});
