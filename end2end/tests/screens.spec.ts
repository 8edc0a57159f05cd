import { expect, test } from "./fixtures";
import { hydrated } from "./helpers";

// Pictures of the pages for people to look at (screenshots/), in both colour schemes and
// on a phone-sized screen; each also checks the page's main landmarks.

for (const colorScheme of ["light", "dark"] as const) {
  test(`the start page in the ${colorScheme} scheme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/");
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Get paid through our platform");
    await expect(page.getByRole("main")).toBeVisible();
    await page.screenshot({ path: `screenshots/landing-${colorScheme}.png`, fullPage: true });
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the sign-in page fits the screen", async ({ page }) => {
    await page.goto("/sign-in");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "screenshots/sign-in-phone.png", fullPage: true });
  });
});
