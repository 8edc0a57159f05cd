import { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { adminPage, hydrated, onboardHosted, signUp, uniqueEmail } from "./helpers";

// Every page on a small phone (360 × 740): nothing wider than the screen, so nothing scrolls
// sideways, and a picture of each (screenshots/phone-<name>.png) for people to look at.

test.use({ viewport: { width: 360, height: 740 } });

/** Opens `path`, checks that the page fits the screen's width, and takes its picture. */
async function fits(page: Page, path: string, name: string) {
  await page.goto(path);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // Embedded components and late content settle before measuring.
  await page.waitForLoadState("networkidle");
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // What sticks out, named for the failure message.
    wide: [...document.querySelectorAll("body *")]
      .filter((e) => !e.closest(".area-nav") && e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`),
  }));
  expect(scrollWidth, `${path} is wider than the screen: ${wide.join(", ")}`).toBeLessThanOrEqual(innerWidth);
  await page.screenshot({ path: `screenshots/phone-${name}.png`, fullPage: true });
}

test("an owner's pages fit a phone's screen, and the navigation stays in one row", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("phone");
  await signUp(page, email);
  await fits(page, "/account", "account-start");
  await onboardHosted(page);
  await expect(page.getByTestId("account-status")).toBeVisible();
  // What matters first comes first: the status and what Stripe needs, then the money.
  await expect(page.getByRole("region", { name: "Balances" })).toBeAttached();
  const order = await page.evaluate(() => {
    const at = (e: Element | null) => [...document.querySelectorAll("*")].indexOf(e!);
    return {
      status: at(document.getElementById("status-title")),
      needs: at(document.getElementById("requirements-title")),
      balances: at(document.querySelector("[aria-label=Balances]")),
    };
  });
  expect(order.status).toBeGreaterThan(-1);
  expect(order.status).toBeLessThan(order.needs);
  expect(order.needs).toBeLessThan(order.balances);

  const pages: [string, string][] = [
    ["/account", "account"],
    ["/account/payments", "payments"],
    ["/account/payouts", "payouts"],
    ["/account/balances", "balances"],
    ["/account/documents", "documents"],
    ["/account/settings", "settings"],
    ["/account/test-data", "test-data"],
    ["/profile", "profile"],
  ];
  for (const [path, name] of pages) await fits(page, path, name);

  // The portal's navigation is one row a thumb scrolls sideways: every link the same height,
  // the current page's link scrolled into view.
  await page.goto("/account/test-data");
  await hydrated(page);
  const nav = page.getByRole("navigation", { name: "Your account" });
  const links = nav.getByRole("link");
  await expect(links).toHaveCount(7);
  const tops = await links.evaluateAll((all) => all.map((a) => Math.round(a.getBoundingClientRect().top)));
  expect(new Set(tops).size, `one row, not ${tops.join(", ")}`).toBe(1);
  const current = nav.getByRole("link", { name: "Test data" });
  await expect(current).toHaveAttribute("aria-current", "page");
  await expect(current).toBeInViewport();

  // The console, as an admin, on the same phone; with this owner's account among the pages.
  const consolePage = await adminPage(browser);
  await consolePage.setViewportSize({ width: 360, height: 740 });
  const consolePages: [string, string][] = [
    ["/admin", "admin"],
    ["/admin/accounts", "admin-accounts"],
    ["/admin/events", "admin-events"],
    ["/admin/audit", "admin-audit"],
    ["/admin/mail", "admin-mail"],
    ["/admin/settings", "admin-settings"],
    ["/admin/admins", "admin-admins"],
  ];
  for (const [path, name] of consolePages) await fits(consolePage, path, name);
  await consolePage.goto(`/admin/accounts?q=${encodeURIComponent(email)}`);
  await consolePage.getByRole("link", { name: email }).click();
  await expect(consolePage).toHaveURL(/\/admin\/accounts\/acct_/);
  await fits(consolePage, new URL(consolePage.url()).pathname, "admin-account");
  // The console speaks to the admin, not to the owner.
  await expect(consolePage.getByTestId("requirements")).not.toContainText("from you");
  await expect(consolePage.getByRole("definition").filter({ hasText: email })).toBeVisible();
});
