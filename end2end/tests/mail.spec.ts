import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { adminPage, confirmAddress, hydrated, mailedLink, signIn, signUp, submitSignUp, uniqueEmail } from "./helpers";

const password = "a long enough password";

test("an unconfirmed owner is asked to confirm before onboarding, and the link works later", async ({ page }) => {
  const email = uniqueEmail("unconfirmed");
  await submitSignUp(page, email);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Confirm your email address" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Start onboarding" })).toHaveCount(0);
  await page.screenshot({ path: "screenshots/account-unconfirmed.png", fullPage: true });

  // A resend right after the first mail is spaced out, with a clear answer (a 429, which
  // Chromium logs).
  allowConsole(failedLoad("/api/resend_confirmation", 429));
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByText("We sent a link less than a minute ago.")).toBeVisible();

  // Confirming signs every session of the login out (the one here too); the password signs in.
  await confirmAddress(page, email);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Set up payments" })).toBeVisible();
});

test("forgot password: the mailed link sets a new one and signs out every other browser", async ({ page, browser }) => {
  const email = uniqueEmail("forgot");
  await signUp(page, email);

  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await signIn(elsewhere, email, password);
  await expect(elsewhere).toHaveURL(/\/account$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.screenshot({ path: "screenshots/forgot-password.png", fullPage: true });
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByText("If a login has that address, a mail with a link is on its way.")).toBeVisible();

  const reset = await mailedLink(page, email, "Reset your password");
  // The mail as a person sees it: the development mailbox, and the mail's HTML part.
  await page.screenshot({ path: "screenshots/dev-mailbox-mail.png", fullPage: true });
  await page.getByRole("link", { name: "the HTML part" }).click();
  await expect(page.getByRole("link", { name: "Choose a new password" })).toBeVisible();
  await page.screenshot({ path: "screenshots/mail-password-reset.png", fullPage: true });
  await page.goto(reset);
  await hydrated(page);
  await page.getByLabel("New password", { exact: true }).fill("a brand new password");
  await page.getByLabel("Repeat the new password").fill("a brand new password");
  await page.screenshot({ path: "screenshots/reset-password.png", fullPage: true });
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL(/\/account$/);

  await elsewhere.goto("/account");
  await expect(elsewhere).toHaveURL(/\/sign-in\?next=%2Faccount$/);
  await other.close();

  // The link worked once.
  const used = await mailedLink(page, email, "Reset your password");
  await page.goto(used);
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
});

test("an email change takes effect when the new address confirms; admins see the mail", async ({ page, browser }) => {
  const email = uniqueEmail("mover");
  const moved = uniqueEmail("moved");
  await signUp(page, email);
  await page.goto("/profile");
  await hydrated(page);
  await page.getByLabel("New email").fill(moved);
  await page.getByLabel("Your password").fill(password);
  await page.getByRole("button", { name: "Change email" }).click();
  await expect(page.getByText("We sent a link to the new address.")).toBeVisible();
  await expect(page.getByText(`You sign in with ${email}.`)).toBeVisible();

  await page.goto(await mailedLink(page, moved, "Confirm your new email address"));
  await hydrated(page);
  await page.getByRole("button", { name: "Use this address" }).click();
  await expect(page).toHaveURL(/\/profile\?email=changed$/);
  await expect(page.getByText("Your new address is confirmed")).toBeVisible();
  await expect(page.getByText(`You sign in with ${moved}.`)).toBeVisible();

  const console = await adminPage(browser);
  await console.goto("/admin/mail");
  await hydrated(console);
  await expect(console.getByRole("heading", { name: "Mail" })).toBeVisible();
  const mails = console.getByTestId("mail");
  await expect(mails.locator("li", { hasText: moved }).filter({ hasText: "Confirm your new email address" })).toHaveCount(1);
  await expect(mails.locator("li", { hasText: email }).filter({ hasText: "Your login's address was changed" })).toHaveCount(1);
  await console.screenshot({ path: "screenshots/admin-mail.png", fullPage: true });
  await console.context().close();
});
