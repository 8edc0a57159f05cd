import { expect, test } from "./fixtures";
import { accountIdOf, control, hydrated, onboardHosted, signUp, uniqueEmail } from "./helpers";
import { Page } from "@playwright/test";

/** The development mailbox's rows to `to` with this subject. */
function mailRows(page: Page, to: string, subject: string) {
  return page.getByTestId("mailbox").locator("tbody tr", { hasText: to }).filter({ hasText: subject });
}

/** Waits until exactly one such mail is in the mailbox, and that it stays one. */
async function exactlyOneMail(page: Page, to: string, subject: string) {
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(mailRows(page, to, subject)).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // Webhooks still arriving (Stripe sends more than one event per change) add no second one.
  await page.waitForTimeout(3_000);
  await page.goto("/dev/mailbox");
  await expect(mailRows(page, to, subject)).toHaveCount(1);
}

test("the owner is mailed once when Stripe needs something, and the mail opens the account page", async ({ page }) => {
  test.setTimeout(150_000);
  const email = uniqueEmail("notify");
  await signUp(page, email);
  const emulator = await onboardHosted(page);
  await expect(page.getByTestId("account-status")).toHaveText("Active", { timeout: 45_000 });
  const id = await accountIdOf(page, emulator, email);

  // Stripe asks for a document within three days.
  await control(page, emulator, `/_sandbox/api/accounts/${id}/requirements/add`, {
    field: "individual.verification.document",
    deadline_days: 3,
  });
  await expect(page.getByTestId("account-status")).toHaveText("Restricted soon", { timeout: 30_000 });

  const subject = "Stripe needs some information about your account";
  await exactlyOneMail(page, email, subject);
  await mailRows(page, email, subject).getByRole("link").click();
  const text = (await page.getByTestId("text").textContent()) ?? "";
  expect(text).toContain("Identity document");
  expect(text).toContain("Stripe's deadline is");
  await page.getByRole("link", { name: "the HTML part" }).click();
  await page.screenshot({ path: "screenshots/mail-requirements-due.png", fullPage: true });
  await page.getByRole("link", { name: "Provide the information" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  await expect(page.getByTestId("account-status")).toHaveText("Restricted soon");

  // The deadline passes: one mail saying the account is restricted.
  await control(page, emulator, `/_sandbox/api/accounts/${id}/requirements/escalate`, {});
  await expect(page.getByTestId("account-status")).toHaveText("Restricted", { timeout: 30_000 });
  await exactlyOneMail(page, email, "Your account is restricted until Stripe has what it needs");
});

test("the owner chooses the optional mails on the profile page", async ({ page }) => {
  const email = uniqueEmail("mailchoices");
  await signUp(page, email);
  await page.goto("/profile");
  await hydrated(page);
  const section = page.getByRole("region", { name: "Mail about your account" });
  await expect(section).toContainText("We always mail you when Stripe needs information from you");
  const reminders = section.getByLabel("Reminders 7 days and 1 day before Stripe's deadline");
  const payouts = section.getByLabel("A failed payout, or a way of getting paid that Stripe turned off");
  await expect(reminders).toBeChecked();
  await expect(payouts).toBeChecked();
  await section.screenshot({ path: "screenshots/profile-mail-choices.png" });

  await payouts.uncheck();
  await section.getByRole("button", { name: "Save mail choices" }).click();
  await expect(section.getByText("Your mail choices are saved.")).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "Mail about your account" }).getByLabel(/A failed payout/)).not.toBeChecked();
  await expect(page.getByRole("region", { name: "Mail about your account" }).getByLabel(/Reminders/)).toBeChecked();
});
