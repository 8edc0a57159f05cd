import { APIRequestContext, Browser, expect, Page } from "@playwright/test";
import { admin, baseURL } from "../playwright.config";
import { recordSecret } from "./fixtures";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** Waits until the page has hydrated (the app marks <html data-hydrated="true">). */
export async function hydrated(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

/** A fresh email per run, so journeys never depend on leftovers. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Sends the sign-up form; the portal answers "check your email" whatever the address. */
export async function submitSignUp(page: Page, email: string, password = "a long enough password") {
  await page.goto("/sign-up");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-up\/check-email$/);
}

/**
 * Opens the newest mail to `to` with this subject in the development mailbox (the portal runs
 * without SMTP_URL here) and returns the single-use link in its text part.
 */
export async function mailedLink(page: Page, to: string, subject: string): Promise<string> {
  let link = "";
  await expect(async () => {
    await page.goto("/dev/mailbox");
    const row = page.getByTestId("mailbox").locator("tr", { hasText: to }).filter({ hasText: subject }).first();
    await row.getByRole("link").click();
    const text = (await page.getByTestId("text").textContent()) ?? "";
    const found = text.match(/https?:\/\/\S+\?token=[0-9a-f]{64}/);
    expect(found, `a link in the mail "${subject}" to ${to}`).not.toBeNull();
    link = found![0];
  }).toPass({ timeout: 15_000 });
  recordSecret("mailed link token", link.split("token=")[1]);
  return link;
}

/** Follows the mailed confirmation link; the portal then asks to sign in. */
export async function confirmAddress(page: Page, email: string) {
  await page.goto(await mailedLink(page, email, "Confirm your email address"));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page).toHaveURL(/\/sign-in\?email=confirmed$/);
}

/**
 * Signs a new owner up as a person does: the form, the mailed link, then sign-in with the
 * password, landing on their account page.
 */
export async function signUp(page: Page, email: string, password = "a long enough password") {
  await submitSignUp(page, email, password);
  await confirmAddress(page, email);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account$/);
}

export const emulatorKey = "sk_test_offline_emulator";
/** A page, or the `request` fixture wrapped as `{ request }`: what talks to the emulator. */
type Requester = { request: APIRequestContext };
const emulatorAuth = { authorization: `Bearer ${emulatorKey}` };

/** The offline emulator's origin, from the portal's Content-Security-Policy (it names it). */
export async function emulatorOrigin(page: Requester): Promise<string> {
  const csp = (await page.request.get("/")).headers()["content-security-policy"] ?? "";
  const origin = (csp.match(/http:\/\/127\.0\.0\.1:\d+/g) ?? []).find((o) => o !== baseURL);
  expect(origin, csp).toBeTruthy();
  return origin!;
}

/**
 * A call to the emulator's Stripe API as a Stripe library makes it: a POST carries one
 * idempotency key for all its attempts, and an answer Stripe marks retryable (429, 5xx) is
 * retried with a short backoff. The suite's fault pass makes a fifth of the answers fail.
 */
export async function stripeApi(
  page: Requester,
  emulator: string,
  method: "GET" | "POST",
  path: string,
  options: { form?: Record<string, string>; account?: string } = {},
): Promise<any> {
  const headers: Record<string, string> = { ...emulatorAuth };
  if (options.account) headers["stripe-account"] = options.account;
  if (method === "POST") headers["idempotency-key"] = `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  for (let attempt = 0; ; attempt++) {
    const response = await page.request.fetch(`${emulator}${path}`, { method, headers, form: options.form });
    const retryable = response.status() === 429 || response.status() >= 500;
    if (!retryable || attempt >= 8) {
      expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBeTruthy();
      return response.json();
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** Math.min(attempt, 4)));
  }
}

/** A call to the emulator's control API (not part of Stripe's: never faulted). */
export async function control(page: Requester, emulator: string, path: string, data: object = {}): Promise<any> {
  const response = await page.request.post(`${emulator}${path}`, { headers: emulatorAuth, data });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

export async function emulatorState(page: Requester, emulator: string): Promise<any> {
  const response = await page.request.get(`${emulator}/_sandbox/api/state`, { headers: emulatorAuth });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** What the fault journeys (and the suite's fault pass) inject: 10% of API answers are 500 and
 * 10% are 429, each answer 50 ms late; 20% of webhook deliveries dropped, 20% sent twice and 20%
 * held back (reordered). */
export const stripeFaults = {
  error_500_rate: 0.1,
  error_429_rate: 0.1,
  latency_ms: 50,
  webhook_drop_rate: 0.2,
  webhook_duplicate_rate: 0.2,
  webhook_reorder_rate: 0.2,
};

const noFaults = {
  error_500_rate: 0,
  error_429_rate: 0,
  latency_ms: 0,
  webhook_drop_rate: 0,
  webhook_duplicate_rate: 0,
  webhook_reorder_rate: 0,
};

/**
 * Runs `work` with exactly these faults injected by the emulator, then puts back whatever was
 * set before (the suite's fault pass keeps its own faults on for every other journey).
 */
export async function withFaults<T>(
  page: Requester,
  emulator: string,
  faults: Partial<typeof noFaults>,
  work: () => Promise<T>,
): Promise<T> {
  const before = await (await page.request.get(`${emulator}/_sandbox/api/faults`, { headers: emulatorAuth })).json();
  await control(page, emulator, "/_sandbox/api/faults", { ...noFaults, ...faults });
  try {
    return await work();
  } finally {
    await control(page, emulator, "/_sandbox/api/faults", before);
  }
}

/**
 * Presses the owner's onboarding button (Start, or Continue once the account exists) until the
 * emulator's hosted form opens: a person presses again after a plain error, and the open page
 * may redraw under the click as webhooks arrive.
 */
export async function openHostedForm(page: Page) {
  const button = page.getByRole("button", { name: /^(Start onboarding|Continue onboarding on Stripe)$/ });
  await expect(async () => {
    if (!/\/setup\/s\//.test(page.url())) await button.click({ timeout: 5_000 });
    await page.waitForURL(/\/setup\/s\//, { timeout: 15_000 });
  }).toPass({ timeout: 90_000 });
}

/**
 * From the owner's account page, goes through the hosted form (its prefilled test values) until
 * Stripe asks for nothing more; returns the emulator's origin.
 */
export async function onboardHosted(page: Page, formScreenshot?: string): Promise<string> {
  await hydrated(page);
  await openHostedForm(page);
  const emulator = new URL(page.url()).origin;
  if (formScreenshot) await page.screenshot({ path: formScreenshot, fullPage: true });
  for (let round = 0; ; round++) {
    await expect(page.locator("form[action^='/setup/s/']")).toBeVisible();
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    await page.waitForURL(/\/account\?returned=1$/);
    await hydrated(page);
    const more = page.getByRole("button", { name: "Continue onboarding on Stripe" });
    if (round >= 4 || !(await more.isVisible())) break;
    await openHostedForm(page);
  }
  return emulator;
}

/** The id of the one emulator account with this email. */
export async function accountIdOf(page: Requester, emulator: string, email: string): Promise<string> {
  const state = await emulatorState(page, emulator);
  const accounts = Object.values(state.accounts as Record<string, { id: string; email: string }>).filter(
    (a) => a.email === email,
  );
  expect(accounts, `one account on Stripe for ${email}`).toHaveLength(1);
  return accounts[0].id;
}

/** A fresh browser context signed in as the e2e admin, on the console's overview. */
export async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/admin$/);
  return page;
}

/** The settings page, live in the browser (the form marks itself once hydrated). */
export async function openSettings(console: Page) {
  await console.goto("/admin/settings");
  await expect(console.locator("form.settings-form[data-live=true]")).toBeAttached();
}

/** The version of Stripe's loader the portal's bundle was built with (pinned in app/package.json). */
export const loaderVersion: string = JSON.parse(
  readFileSync(resolve(__dirname, "../../app/node_modules/@stripe/connect-js/package.json"), "utf8"),
).version;

/**
 * The embedded component `tag` rendered through Stripe's loader: the element is in the page, the
 * portal shows no load error, the stand-in's content replaced its loading line without failing, and
 * every Connect.js instance of the page was started by the installed loader (the stand-in records the
 * `metaOptions` it was given). A setter the portal uses that the stand-in lacks throws inside the
 * loader (an uncaught error: the console fixture fails the journey).
 */
export async function renderedThroughLoader(page: Page, tag: string) {
  const element = page.locator(`stripe-connect-${tag}`);
  await expect(element).toBeAttached({ timeout: 20_000 });
  await expect
    .poll(
      () =>
        element.evaluate((el) => {
          const root = el.shadowRoot?.querySelector(".root");
          if (!root) return "no shadow root";
          if (root.querySelector(".loading")) return "loading";
          if (root.querySelector(".alert")) return `failed: ${root.textContent}`;
          return "rendered";
        }),
      { timeout: 20_000 },
    )
    .toBe("rendered");
  await expect(page.locator(`.connect-embed[data-component="${tag}"] .embed-error`)).toBeHidden();
  const inits = await page.evaluate(() => (window as any).StripeConnect?.offlineEmulatorInits ?? []);
  expect(inits.length, "Connect.js was started").toBeGreaterThan(0);
  for (const init of inits) {
    expect(init, "started by @stripe/connect-js").toMatchObject({ sdk: true, sdkVersion: loaderVersion, eagerClientSecret: true });
  }
}

/** Signs a new owner up and onboards them on the emulator's hosted form until Active. */
export async function activeOwner(page: Page, prefix: string): Promise<{ email: string; emulator: string }> {
  const email = uniqueEmail(prefix);
  await signUp(page, email);
  const emulator = await onboardHosted(page);
  await expect(page.getByTestId("account-status")).toHaveText("Active", { timeout: 45_000 });
  return { email, emulator };
}
