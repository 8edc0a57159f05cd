import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { signIn, signUp, uniqueEmail } from "./helpers";

const password = "a long enough password";

test("a person changes their password and signs out their other session", async ({ page, browser }) => {
  const email = uniqueEmail("profile");
  await signUp(page, email);

  // A second browser signs in too.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email, password);
  await expect(otherPage).toHaveURL(/\/account$/);

  await page.getByRole("link", { name: email }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(3); // header + two sessions
  await expect(page.getByText("This browser")).toBeVisible();
  await page.screenshot({ path: "screenshots/profile.png", fullPage: true });

  // A wrong current password is answered with a 422, which Chromium logs.
  allowConsole(failedLoad("/api/change_password", 422));
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill("a brand new password");
  await page.getByLabel("Repeat the new password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue("a brand new password");

  await page.getByLabel("Current password").fill(password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed, and your other sessions were signed out.")).toBeVisible();
  await expect(rows).toHaveCount(2);

  await otherPage.goto("/account");
  await expect(otherPage).toHaveURL(/\/sign-in\?next=%2Faccount$/);
  await other.close();
});
