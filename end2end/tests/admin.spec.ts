import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { admin } from "../playwright.config";
import {
  adminPage,
  control,
  emulatorOrigin,
  hydrated,
  openHostedForm,
  signUp,
  stripeApi,
  uniqueEmail,
  withFaults,
} from "./helpers";

const password = "a long enough password";

test("an admin invites another admin; the link works once", async ({ browser }) => {
  const console = await adminPage(browser);
  await console.goto("/admin/admins");
  await hydrated(console);
  await console.getByLabel("Who is it for?").fill("Sam from support");
  await console.getByRole("button", { name: "Create invite link" }).click();
  const link = await console.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[0-9a-f]{64}$/);
  await expect(console.getByTestId("invites")).toContainText("Sam from support");
  await console.screenshot({ path: "screenshots/console-admins.png", fullPage: true });

  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto(new URL(link).pathname);
  await hydrated(newcomer);
  await expect(newcomer.getByText(`${admin.email} invited you`)).toBeVisible();
  await newcomer.screenshot({ path: "screenshots/invite.png", fullPage: true });
  const email = uniqueEmail("sam");
  await newcomer.getByLabel("Email").fill(email);
  await newcomer.getByLabel("Password", { exact: true }).fill(password);
  // A refused form keeps what was typed (answered with a 422, which Chromium logs).
  allowConsole(failedLoad("/api/accept_admin_invite", 422));
  await newcomer.getByLabel("Repeat the password").fill("something else entirely");
  await newcomer.getByRole("button", { name: "Create admin login" }).click();
  await expect(newcomer.getByText("The two passwords do not match.")).toBeVisible();
  await expect(newcomer.getByLabel("Email")).toHaveValue(email);
  await newcomer.getByLabel("Repeat the password").fill(password);
  await newcomer.getByRole("button", { name: "Create admin login" }).click();
  await expect(newcomer).toHaveURL(/\/admin$/);
  await expect(newcomer.getByRole("heading", { level: 1 })).toBeVisible();

  // Used: the link now says so, to anyone.
  const other = await (await browser.newContext()).newPage();
  await other.goto(new URL(link).pathname);
  await expect(other.getByRole("alert")).toContainText("already used");
  await console.goto("/admin/audit?action=joined+as+admin");
  await expect(console.getByTestId("audit")).toContainText(email);
});

test("sorting and pages live in the URL; a capability filter finds what an admin requested", async ({ browser }) => {
  test.setTimeout(180_000);
  const console = await adminPage(browser);
  const emulator = await emulatorOrigin(console);
  // Enough accounts for two pages, created on "Stripe". Stripe sends no event for an account
  // the platform creates; each is then updated, and that update's `account.updated` webhook
  // brings it into the cache.
  const tag = `Zz${Date.now()}`;
  for (let i = 0; i < 27; i++) {
    const created = await stripeApi(console, emulator, "POST", "/v1/accounts", {
      form: {
        "controller[stripe_dashboard][type]": "express",
        "controller[fees][payer]": "application",
        "controller[losses][payments]": "application",
        country: "US",
        email: `${tag.toLowerCase()}-${i}@example.com`,
        "business_profile[name]": `${tag} shop ${String(i).padStart(2, "0")}`,
        "capabilities[transfers][requested]": "true",
      },
    });
    await stripeApi(console, emulator, "POST", `/v1/accounts/${created.id}`, { form: { "metadata[e2e]": tag } });
  }
  const search = `/admin/accounts?q=${tag}&sort=name`;
  const rows = console.getByTestId("accounts").locator("tbody tr");
  // All 27 in the cache: the second page holds the last two (a lost webhook waits for the
  // next reconciliation).
  await expect(async () => {
    await console.goto(search);
    await console.getByRole("link", { name: "Next page" }).click({ timeout: 2_000 });
    await expect(rows).toHaveCount(2, { timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await console.goto(search);
  await hydrated(console);
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText(`${tag} shop 00`);
  await expect(console.getByLabel("Sort by")).toHaveValue("name");
  await console.screenshot({ path: "screenshots/console-accounts-sorted.png", fullPage: true });
  await console.getByRole("link", { name: "Next page" }).click();
  await expect(console).toHaveURL(/after=\d+/);
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText(`${tag} shop 25`);
  // Back and forward move between the pages; a reload keeps the page, the filters and the order.
  await console.goBack();
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText(`${tag} shop 00`);
  await console.goForward();
  await expect(rows).toHaveCount(2);
  await console.reload();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText(`${tag} shop 25`);
  await expect(console.getByLabel("Search")).toHaveValue(tag);
  await expect(console.getByLabel("Sort by")).toHaveValue("name");
  await console.getByRole("link", { name: "First page" }).click();
  await expect(rows).toHaveCount(25);

  // On one of them, request a capability; the list's capability filter finds it.
  await rows.first().getByRole("link").click();
  await hydrated(console);
  console.on("dialog", (d) => d.accept());
  await console.getByLabel("Capability", { exact: true }).fill("us_bank_account_ach_payments");
  await console.getByLabel("Change", { exact: true }).selectOption("true");
  await console.getByRole("button", { name: "Apply" }).click();
  await expect(console.getByText("us_bank_account_ach_payments was requested")).toBeVisible();
  await console.goto(`/admin/accounts?q=${tag}&cap=us_bank_account_ach_payments`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag} shop 00`);
  await expect(console.getByLabel("Capability", { exact: true })).toHaveValue("us_bank_account_ach_payments");
});

test("an admin changes an account's payout schedule; a refused value stays next to its field", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // The refused schedule is answered with a 422, which Chromium logs.
  allowConsole(failedLoad("/api/admin_update_payout_schedule", 422));
  // An owner with an account.
  const email = uniqueEmail("schedule");
  await signUp(page, email);
  await hydrated(page);
  await openHostedForm(page);
  await page.getByRole("button", { name: "Submit", exact: true }).click();
  await page.waitForURL(/\/account\?returned=1$/);

  const console = await adminPage(browser);
  await console.goto(`/admin/accounts?q=${encodeURIComponent(email)}`);
  await console.getByRole("link", { name: email }).click();
  await hydrated(console);
  console.on("dialog", (d) => d.accept());
  await console.getByRole("navigation", { name: "Account details" }).getByRole("link", { name: "Payouts" }).click();
  await expect(console).toHaveURL(/\?tab=payouts$/);
  const schedule = console.getByTestId("payout-schedule");
  await expect(schedule).toBeVisible();
  await console.getByLabel("How often").selectOption("monthly");
  await console.getByLabel("Day of the month").fill("32");
  await console.getByRole("button", { name: "Save schedule" }).click();
  await expect(console.locator(".field-invalid")).toContainText(/31|day/i);
  await expect(console.getByLabel("Day of the month")).toHaveValue("32");
  await console.getByLabel("Day of the month").fill("31");
  await console.getByRole("button", { name: "Save schedule" }).click();
  await expect(console.getByTestId("schedule-words")).toContainText("31st", { timeout: 15_000 });
  await console.screenshot({ path: "screenshots/console-account-payouts.png", fullPage: true });
  await console.goto("/admin/audit?action=payout+schedule");
  await expect(console.getByTestId("audit")).toContainText("payout schedule");
});

test("a failed webhook event is retried from the console and applied", async ({ browser }) => {
  test.setTimeout(180_000);
  const console = await adminPage(browser);
  const emulator = await emulatorOrigin(console);
  const created = await stripeApi(console, emulator, "POST", "/v1/accounts", {
    form: { "controller[stripe_dashboard][type]": "express", "controller[fees][payer]": "application",
      "controller[losses][payments]": "application", country: "US", email: uniqueEmail("retry") },
  });
  const account = created.id as string;

  // Stripe answers nothing but 500s, and a signed thin event about the account arrives: reading
  // the account fails on every attempt (the e2e server gives up after WEBHOOK_MAX_ATTEMPTS=3).
  const id = `evt_retry_${Date.now()}`;
  const body = JSON.stringify({
    id,
    object: "v2.core.event",
    type: "v2.core.account[requirements].updated",
    created: new Date().toISOString(),
    related_object: { id: account, type: "v2.core.account", url: `/v2/core/accounts/${account}` },
  });
  const secret = readFileSync("../target/e2e/emulator-webhook-secret", "utf8").trim();
  await withFaults(console, emulator, { error_500_rate: 1 }, async () => {
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    const delivered = await console.request.post("/webhooks/stripe/thin", {
      headers: { "stripe-signature": `t=${t},v1=${v1}`, "content-type": "application/json" },
      data: body,
    });
    expect(delivered.status()).toBe(200);
    await expect(async () => {
      await console.goto(`/admin/events?status=failed&account=${account}`);
      await expect(console.getByTestId("events")).toContainText(id, { timeout: 2_000 });
    }).toPass({ timeout: 90_000 });
  });
  await hydrated(console);
  await console.screenshot({ path: "screenshots/console-events-failed.png", fullPage: true });
  // Stripe is back: the admin retries, and the event is applied.
  await console.getByRole("button", { name: "Retry" }).first().click();
  await expect(console.getByText(`${id} will be processed again shortly.`)).toBeVisible();
  await expect(async () => {
    await console.goto(`/admin/events?status=processed&account=${account}`);
    await expect(console.getByTestId("events")).toContainText(id, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await console.goto(`/admin/audit?action=retry+event`);
  await expect(console.getByTestId("audit")).toContainText(id);
});

test("an account made on Stripe outside the portal is shown as having no portal login", async ({ browser }) => {
  test.setTimeout(120_000);
  const console = await adminPage(browser);
  const emulator = await emulatorOrigin(console);
  const email = uniqueEmail("outside");
  const created = await stripeApi(console, emulator, "POST", "/v1/accounts", {
    form: { "controller[stripe_dashboard][type]": "express", "controller[fees][payer]": "application",
      "controller[losses][payments]": "application", country: "US", email },
  });
  // Stripe sends no event for an account the platform creates: an update brings it into the cache.
  await stripeApi(console, emulator, "POST", `/v1/accounts/${created.id}`, { form: { "metadata[e2e]": "outside" } });
  const rows = console.getByTestId("accounts").locator("tbody tr");
  await expect(async () => {
    await console.goto(`/admin/accounts?q=${encodeURIComponent(email)}`);
    await expect(rows).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  // What is known: no login of the portal is linked (not that an owner removed one).
  await expect(rows.first()).toContainText("no portal login");
  await expect(rows.first()).not.toContainText(/orphan/i);
  await rows.first().getByRole("link").click();
  await hydrated(console);
  await expect(console.getByRole("definition").filter({ hasText: "No portal login linked" })).toBeVisible();
  await expect(console.getByRole("main")).not.toContainText(/removed their login|orphan|from you/i);
});

test("an admin sends the digest from the console; it lists a deadline this week and opens the account", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const console = await adminPage(browser);
  const emulator = await emulatorOrigin(console);
  const email = uniqueEmail("digest");
  const created = await stripeApi(console, emulator, "POST", "/v1/accounts", {
    form: { "controller[stripe_dashboard][type]": "express", "controller[fees][payer]": "application",
      "controller[losses][payments]": "application", country: "US", email },
  });
  const account = created.id as string;
  // Stripe asks for a document by tomorrow (the soonest deadline, so among the digest's lines).
  await control(console, emulator, `/_sandbox/api/accounts/${account}/requirements/add`, {
    field: "individual.verification.document",
    deadline_days: 1,
  });
  await expect(async () => {
    await console.goto(`/admin/accounts?deadline=7d`);
    await expect(console.locator("main")).toContainText(email, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  await console.goto("/admin/mail");
  await hydrated(console);
  const digest = console.getByTestId("digest");
  await expect(digest).toContainText("Not scheduled");
  // Other journeys may have added admins: the counts as they are now.
  const [, before, admins] = (await digest.textContent())!.match(/to (\d+) of (\d+) admin/)!;
  await digest.getByRole("button", { name: "Send the digest now" }).click();
  await expect(digest.getByRole("status")).toHaveText(/The digest was mailed to \d+ admins?\./);
  await expect(digest).toContainText("sent by an admin");
  await console.screenshot({ path: "screenshots/console-mail-digest.png", fullPage: true });
  // A second click straight after sends nothing twice.
  await digest.getByRole("button", { name: "Send the digest now" }).click();
  await expect(digest.getByRole("status")).toHaveText(/less than 5 minutes ago/);

  // The mail, in the development mailbox: the account, Stripe's deadline, a link to it.
  await console.goto("/dev/mailbox");
  await console
    .getByTestId("mailbox")
    .locator("tbody tr", { hasText: admin.email })
    .filter({ hasText: "Platform digest" })
    .first()
    .getByRole("link")
    .click();
  const text = (await console.getByTestId("text").textContent()) ?? "";
  expect(text).toContain("Stripe's deadline in the next 7 days");
  const link = text.match(new RegExp(`https?://\\S+/admin/accounts/${account}`));
  expect(link, `a link to ${account} in:\n${text}`).not.toBeNull();
  await console.getByRole("link", { name: "the HTML part" }).click();
  await console.screenshot({ path: "screenshots/mail-admin-digest.png", fullPage: true });
  await console.goto(link![0]);
  await hydrated(console);
  await expect(console.getByRole("heading", { name: "What Stripe needs" })).toBeVisible();
  await expect(console.locator("main")).toContainText(account);

  // The admin turns the digest off for themselves, and the console counts them out.
  await console.goto("/admin/mail");
  await hydrated(console);
  const mine = console.getByTestId("digest").getByRole("checkbox", { name: "Send it to me" });
  await expect(mine).toBeChecked();
  await mine.uncheck();
  await console.getByTestId("digest").getByRole("button", { name: "Save", exact: true }).click();
  await expect(console.getByText("Your choice is saved.")).toBeVisible();
  await expect(console.getByTestId("digest")).toContainText(`to ${Number(before) - 1} of ${admins} admin`);
  await expect(mine).not.toBeChecked();
  await mine.check();
  await console.getByTestId("digest").getByRole("button", { name: "Save", exact: true }).click();
  await expect(console.getByTestId("digest")).toContainText(`to ${before} of ${admins} admin`);
});
