import { Page } from "@playwright/test";
import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { adminPage, hydrated, openSettings, renderedThroughLoader, signUp, uniqueEmail } from "./helpers";

async function setOnboarding(console: Page, mode: string) {
  await openSettings(console);
  await console.getByLabel("How owners onboard").selectOption(mode);
  if (mode === "express_oauth") {
    await console.getByLabel("Connect client id (OAuth)").fill("ca_offlineEmulatorPlatform");
  }
  await console.getByRole("button", { name: "Save settings" }).click();
  await expect(console.getByText("Settings saved.")).toBeVisible();
}

test("Connect with Stripe (Express OAuth): a forged state and a denial are refused, then the owner connects", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const console = await adminPage(browser);
  await setOnboarding(console, "express_oauth");
  try {
    const email = uniqueEmail("oauth");
    await signUp(page, email);

    // A forged or replayed callback is answered with a 422 and a denial with a 409, which
    // Chromium logs.
    allowConsole(failedLoad("/account/oauth/callback?", 422), failedLoad("/account/oauth/callback?", 409));
    // A callback that did not start here is refused.
    await page.goto("/account/oauth/callback?code=ac_forged&state=forged");
    await expect(page.getByText("not valid any more")).toBeVisible();

    // Denying access on Stripe's page comes back as a denial.
    await page.goto("/account");
    await hydrated(page);
    await page.getByRole("button", { name: "Connect with Stripe" }).click();
    await page.waitForURL(/oauth\/authorize/);
    await page.screenshot({ path: "screenshots/emulator-oauth.png", fullPage: true });
    await page.getByRole("button", { name: "Deny access" }).click();
    await page.waitForURL(/\/account\/oauth\/callback/);
    await expect(page.getByText("You chose not to connect your Stripe account")).toBeVisible();

    // Connecting links the account to the owner.
    await page.goto("/account");
    await hydrated(page);
    await page.getByRole("button", { name: "Connect with Stripe" }).click();
    await page.waitForURL(/oauth\/authorize/);
    const callback = page.waitForRequest(/\/account\/oauth\/callback\?code=/);
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    const callbackUrl = (await callback).url();
    await page.waitForURL(/\/account\?returned=1$/);
    await expect(page.getByTestId("account-status")).toBeVisible();
    await page.screenshot({ path: "screenshots/account-oauth-connected.png", fullPage: true });

    // The same callback again (a replayed code) is refused: its state was used up.
    await page.goto(callbackUrl);
    await expect(page.getByText("not valid any more")).toBeVisible();

    // The owner disconnects: the connection shows as removed.
    await page.goto("/account");
    await hydrated(page);
    page.on("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Disconnect from Stripe" }).click();
    await expect(page.getByText("connection to this Stripe account was removed")).toBeVisible({ timeout: 20_000 });
  } finally {
    await setOnboarding(console, "hosted");
  }
});

test("embedded onboarding: the component collects the details and its exit returns to the status view", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const console = await adminPage(browser);
  await setOnboarding(console, "embedded");
  try {
    const email = uniqueEmail("embedded");
    await signUp(page, email);
    await hydrated(page);
    await page.getByRole("button", { name: "Start onboarding" }).click();
    await page.waitForURL(/\/account\/onboarding\/embedded$/);
    const component = page.locator("stripe-connect-account-onboarding");
    // Through Stripe's loader, with setCollectionOptions and setOnExit (used below).
    await renderedThroughLoader(page, "account-onboarding");
    await page.screenshot({ path: "screenshots/embedded-onboarding.png", fullPage: true });
    // Through the component's steps (the emulator prefills test values) to its last screen.
    for (let step = 0; step < 20; step++) {
      const done = component.getByRole("button", { name: "Done" });
      if (await done.isVisible()) {
        await done.click();
        break;
      }
      const submit = component.getByRole("button", { name: "Submit", exact: true });
      if (await submit.isVisible()) {
        const tos = component.getByLabel("I agree to the Stripe Connected Account Agreement");
        if (await tos.count()) await tos.check();
        await submit.click();
      } else {
        await component.getByRole("button", { name: "Continue", exact: true }).click();
      }
      await page.waitForTimeout(300);
    }
    // Its exit goes through the return URL, which reads the account again.
    await page.waitForURL(/\/account\?returned=1$/, { timeout: 20_000 });
    await expect(page.getByTestId("account-status")).toBeVisible();
  } finally {
    await setOnboarding(console, "hosted");
  }
});
