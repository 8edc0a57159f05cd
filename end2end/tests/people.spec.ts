import { allowConsole, expect, failedLoad, test } from "./fixtures";
import { admin } from "../playwright.config";
import { hydrated, mailedLink, signIn, submitSignUp, uniqueEmail } from "./helpers";

const password = "a long enough password";

test("a person signs up, signs out, signs in again and is refused the console", async ({ page }) => {
  const email = uniqueEmail("owner");
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "Create an account" }).first().click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page).toHaveTitle("Create an account · Connect portal");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-up\/check-email$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.screenshot({ path: "screenshots/sign-up-check-email.png", fullPage: true });

  // The mailed link opens a page with one button; it confirms the address, and the person
  // signs in with their password.
  await page.goto(await mailedLink(page, email, "Confirm your email address"));
  await hydrated(page);
  await page.screenshot({ path: "screenshots/confirm-email.png", fullPage: true });
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page).toHaveURL(/\/sign-in\?email=confirmed$/);
  await expect(page.getByText("Your address is confirmed.")).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Set up payments" })).toBeVisible();
  await page.screenshot({ path: "screenshots/account-home.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();

  // Signed out: the portal sends people to sign in, and brings them back afterwards.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Faccount$/);
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);

  // An account owner may not use the console: the page comes with a 403, which Chromium logs.
  allowConsole(failedLoad("/admin", 403));
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
});

test("a wrong password gets a clear error and keeps what was typed; a taken email gets the same answer as a new one", async ({ page }) => {
  const email = uniqueEmail("typo");
  // The refused forms are answered with a 422, which Chromium logs.
  allowConsole(failedLoad("/api/sign_up", 422), failedLoad("/api/sign_in", 422));
  await page.goto("/sign-up");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters for your password.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await page.screenshot({ path: "screenshots/sign-up-error.png", fullPage: true });

  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-up\/check-email$/);

  // The same address again: the same page (nothing tells that it has a login); its owner is
  // told by mail.
  await submitSignUp(page, email);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  expect(await mailedLink(page, email, "Confirm your email address")).toContain("/confirm-email?token=");
  await page.goto("/dev/mailbox");
  await expect(
    page.getByTestId("mailbox").locator("tr", { hasText: email }).filter({ hasText: "Someone tried to create a login with your address" }),
  ).toHaveCount(1);

  await signIn(page, email, "not the password");
  await expect(page.getByText("The email or password is not right.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an admin signs in and sees the console", async ({ page }) => {
  await signIn(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("Account owners")).toBeVisible();
  await page.screenshot({ path: "screenshots/admin-overview.png", fullPage: true });
});

test.describe("before hydration", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-up and sign-in forms work without JavaScript", async ({ page }) => {
    const email = uniqueEmail("nojs");
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Repeat the password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/sign-up\/check-email$/);
    await page.goto("/dev/mailbox");
    await page.getByTestId("mailbox").locator("tr", { hasText: email }).getByRole("link").click();
    const link = ((await page.getByTestId("text").textContent()) ?? "").match(/https?:\/\/\S+\?token=[0-9a-f]{64}/)![0];
    await page.goto(link);
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await expect(page).toHaveURL(/\/sign-in\?email=confirmed$/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("heading", { name: "Set up payments" })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);

    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("The email or password is not right.")).toBeVisible();

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account$/);
  });
});

test("unknown pages say so with a 404", async ({ page }) => {
  // The page comes with a 404, which Chromium logs.
  allowConsole(failedLoad("/no-such-page", 404));
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
