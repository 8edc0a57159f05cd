import { Page } from "@playwright/test";
import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { accountIdOf, adminPage, control, hydrated, openHostedForm, openSettings, signUp, uniqueEmail } from "./helpers";

async function restrictedOwner(page: Page): Promise<{ email: string; emulator: string; account: string }> {
  const email = uniqueEmail("restricted");
  await signUp(page, email);
  await hydrated(page);
  await openHostedForm(page);
  const emulator = new URL(page.url()).origin;
  await page.getByRole("button", { name: "Submit", exact: true }).click();
  await page.waitForURL(/\/account\?returned=1$/);
  const account = await accountIdOf(page, emulator, email);
  // Stripe's deadline passes with information still missing.
  await control(page, emulator, `/_sandbox/api/accounts/${account}/requirements/add`, {
    field: "individual.verification.document",
    deadline_days: 2,
  });
  await control(page, emulator, `/_sandbox/api/accounts/${account}/requirements/escalate`);
  await expect(page.getByTestId("account-status")).toHaveText("Restricted", { timeout: 30_000 });
  return { email, emulator, account };
}

test("an admin finds a restricted account from the chart and sends a new onboarding link that fixes it", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const owner = await restrictedOwner(page);
  const console = await adminPage(browser);
  await hydrated(console);
  const restrictedBar = console.getByTestId("chart-restricted");
  const before = Number(await restrictedBar.locator(".chart-count").innerText());
  expect(before).toBeGreaterThan(0);
  await console.screenshot({ path: "screenshots/console-overview.png", fullPage: true });
  await restrictedBar.click();
  await expect(console).toHaveURL(/\/admin\/accounts\?status=restricted$/);
  await console.screenshot({ path: "screenshots/console-accounts.png", fullPage: true });
  await console.getByRole("link", { name: owner.email }).click();
  await expect(console).toHaveURL(new RegExp(`/admin/accounts/${owner.account}$`));
  await hydrated(console);
  await expect(console.getByTestId("account-status")).toHaveText("Restricted");

  // On a laptop's screen the admin sees, without scrolling, what is wrong (the status and what
  // Stripe needs) and what they can do about it.
  await console.setViewportSize({ width: 1280, height: 800 });
  const firstScreen = [
    console.getByRole("heading", { name: "Account status" }),
    console.getByTestId("account-status"),
    console.getByRole("heading", { name: "What Stripe needs" }),
    // The first of what Stripe needs (the list itself may run on below).
    console.getByTestId("requirements").getByRole("listitem").first(),
    console.getByRole("button", { name: "Resync from Stripe" }),
    console.getByRole("button", { name: "Create onboarding link" }),
    console.getByRole("button", { name: "Reject" }),
    console.getByRole("button", { name: "Apply" }),
  ];
  for (const element of firstScreen) {
    const box = await element.boundingBox();
    expect(box, `${element} is on the page`).not.toBeNull();
    expect(box!.y + box!.height, `${element} ends within the first 800 px`).toBeLessThanOrEqual(800);
  }
  await console.screenshot({ path: "screenshots/admin-account-wide.png" });

  // The long lists are on tabs whose choice is in the URL: a reload and the back button keep it.
  const tabs = console.getByRole("navigation", { name: "Account details" });
  await expect(tabs.getByRole("link", { name: "Capabilities" })).toHaveAttribute("aria-current", "page");
  await expect(console.getByRole("heading", { name: "Capabilities", exact: true })).toBeVisible();
  await tabs.getByRole("link", { name: "Webhook events" }).click();
  await expect(console).toHaveURL(new RegExp(`/admin/accounts/${owner.account}\\?tab=events$`));
  await expect(tabs.getByRole("link", { name: "Webhook events" })).toHaveAttribute("aria-current", "page");
  await expect(console.getByRole("heading", { name: "Webhook events" })).toBeVisible();
  await expect(console.getByRole("heading", { name: "Capabilities", exact: true })).toHaveCount(0);
  await console.reload();
  await hydrated(console);
  await expect(tabs.getByRole("link", { name: "Webhook events" })).toHaveAttribute("aria-current", "page");
  await expect(console.getByRole("heading", { name: "Webhook events" })).toBeVisible();
  await tabs.getByRole("link", { name: "Audit log" }).click();
  await expect(console).toHaveURL(/\?tab=audit$/);
  await expect(console.getByRole("heading", { name: "Audit log", level: 2 })).toBeVisible();
  await console.goBack();
  await expect(console).toHaveURL(/\?tab=events$/);
  await expect(console.getByRole("heading", { name: "Webhook events" })).toBeVisible();
  console.on("dialog", (d) => d.accept());
  await console.getByRole("button", { name: "Create onboarding link" }).click();
  const link = await console.getByTestId("link-Link").inputValue();
  expect(link).toContain("/setup/s/");
  await console.screenshot({ path: "screenshots/console-account.png", fullPage: true });

  // The owner opens the link the admin sent and completes the form.
  await page.goto(link);
  await page.getByRole("button", { name: "Submit", exact: true }).click();
  await page.waitForURL(/\/account\?returned=1$/);
  await expect(page.getByTestId("account-status")).not.toHaveText("Restricted", { timeout: 45_000 });

  await expect(async () => {
    await console.goto("/admin");
    const after = Number(await console.getByTestId("chart-restricted").locator(".chart-count").innerText());
    expect(after).toBe(before - 1);
  }).toPass({ timeout: 45_000 });
});

test("filters live in the URL: they survive a reload and the back button", async ({ browser }) => {
  const console = await adminPage(browser);
  await console.goto("/admin/accounts");
  await hydrated(console);
  await console.getByLabel("Status", { exact: true }).selectOption("active");
  await console.getByLabel("Country").fill("US");
  await console.getByRole("button", { name: "Apply" }).click();
  await expect(console).toHaveURL(/status=active/);
  await expect(console).toHaveURL(/country=US/);
  await console.reload();
  await expect(console.getByLabel("Status", { exact: true })).toHaveValue("active");
  await expect(console.getByLabel("Country")).toHaveValue("US");
  await console.getByLabel("Status", { exact: true }).selectOption("restricted");
  await console.getByRole("button", { name: "Apply" }).click();
  await expect(console).toHaveURL(/status=restricted/);
  await console.goBack();
  await expect(console).toHaveURL(/status=active/);
  await expect(console.getByLabel("Status", { exact: true })).toHaveValue("active");
});

test("the events page lists webhooks with their payload", async ({ browser }) => {
  const console = await adminPage(browser);
  await console.goto("/admin/events");
  await hydrated(console);
  await expect(console.getByTestId("events")).toBeVisible();
  await console.locator("details.event summary").first().click();
  await expect(console.locator("pre.payload").first()).toContainText('"id"');
  await console.screenshot({ path: "screenshots/console-events.png", fullPage: true });
});

test("settings: a refused combination is explained next to its field, and a saved change reaches owners", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const console = await adminPage(browser);
  await openSettings(console);
  // Stripe forbids the platform collecting requirements for accounts with a Stripe dashboard.
  // (The refused settings are answered with a 422, which Chromium logs.)
  allowConsole(failedLoad("/api/save_platform_settings", 422));
  await console.getByLabel("Who collects requirements").selectOption("application");
  await console.getByRole("button", { name: "Save settings" }).click();
  await expect(console.locator(".field-invalid")).toContainText("cannot have a Stripe dashboard");
  await expect(console.getByLabel("Who collects requirements")).toHaveValue("application");
  await console.screenshot({ path: "screenshots/console-settings-error.png", fullPage: true });
  await console.getByLabel("Who collects requirements").selectOption("stripe");

  // Owners lose the Documents view.
  await console.getByLabel("Documents", { exact: true }).uncheck();
  await console.getByRole("button", { name: "Save settings" }).click();
  await expect(console.getByText("Settings saved.")).toBeVisible();

  const email = uniqueEmail("settings");
  await signUp(page, email);
  await hydrated(page);
  await openHostedForm(page);
  await page.getByRole("button", { name: "Save for later" }).click();
  await page.waitForURL(/\/account\?returned=1$/);
  // The portal refuses the Documents view's AccountSession with a 409, which Chromium logs.
  allowConsole(failedLoad("/api/create_account_session", 409));
  await page.goto("/account/documents");
  await expect(page.locator(".embed-error")).toContainText("does not offer the documents view", { timeout: 15_000 });

  // Back as it was.
  await openSettings(console);
  await console.getByLabel("Documents", { exact: true }).check();
  await console.getByRole("button", { name: "Save settings" }).click();
  await expect(console.getByText("Settings saved.")).toBeVisible();
});

