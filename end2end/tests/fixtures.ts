import { Browser, BrowserContext, ConsoleMessage, expect, Page, test as base } from "@playwright/test";
import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { baseURL } from "../playwright.config";

/**
 * Secrets a journey saw (session cookies, mailed link tokens), one `kind<TAB>value` a line, for
 * `scripts/check-log-secrets` to look for in the server's log after the run: none may be there.
 */
export function recordSecret(kind: string, value: string) {
  const file = resolve("..", "target", process.env.E2E_FAULTS ? "e2e-secrets-faults.txt" : "e2e-secrets.txt");
  appendFileSync(file, `${kind}\t${value}\n`);
}

/**
 * Every journey imports `test` and `expect` from here: a journey fails when any page it opened
 * (in its own context, or one it made with `browser.newContext()`/`newPage()`) logged a console
 * error or warning (Leptos's warnings among them) or threw an uncaught exception.
 *
 * A journey that provokes one on purpose calls `allowConsole(/pattern/)` (the pattern is tested
 * against `console error on <url>: <text>`), with the reason beside it. The fault pass
 * (`E2E_FAULTS=1`) allows one thing in every journey: see `faultPassAllows`.
 */
export const test = base.extend<{ cleanConsole: void }>({
  cleanConsole: [
    async ({ context, browser }, use, testInfo) => {
      const seen: string[] = [];
      const watched = new WeakSet<Page>();
      const watch = (page: Page) => {
        if (watched.has(page)) return;
        watched.add(page);
        page.on("console", (message: ConsoleMessage) => {
          const type = message.type();
          if (type !== "error" && type !== "warning") return;
          seen.push(`console ${type} on ${message.location().url || page.url()}: ${message.text()}`);
        });
        page.on("pageerror", (error) => seen.push(`uncaught ${error.name} on ${page.url()}: ${error.message}`));
      };
      const contexts: BrowserContext[] = [context];
      const watchContext = (made: BrowserContext) => {
        made.pages().forEach(watch);
        made.on("page", watch);
        // Every session id the portal hands out, as it is set.
        made.on("response", async (response) => {
          const set = await response.headerValue("set-cookie").catch(() => null);
          for (const m of (set ?? "").matchAll(/portal_session=([^;\s]+)/g)) recordSecret("session id", m[1]);
        });
      };
      watchContext(context);
      // Contexts the journey makes itself (a second person, the admin's console).
      const newContext = browser.newContext;
      browser.newContext = async function (this: Browser, ...args: Parameters<Browser["newContext"]>) {
        const made = await newContext.apply(this, args);
        watchContext(made);
        contexts.push(made);
        return made;
      } as Browser["newContext"];
      try {
        await use();
      } finally {
        browser.newContext = newContext;
        // Session ids this journey held (contexts it closed itself are gone with theirs).
        for (const made of contexts) {
          const cookies = await made.cookies().catch(() => []);
          for (const c of cookies) if (c.name === "portal_session") recordSecret("session id", c.value);
        }
      }
      const allowed = [...(allowances.get(testInfo.testId) ?? []), ...faultPassAllows, loaderFoundStandIn];
      allowances.delete(testInfo.testId);
      const problems = seen.filter((line) => !allowed.some((pattern) => pattern.test(line)));
      if (seen.length > 0) {
        await testInfo.attach("console", { body: seen.join("\n"), contentType: "text/plain" });
      }
      expect(problems, "the browser console stays clean (errors, warnings, uncaught exceptions)").toEqual([]);
    },
    { auto: true },
  ],
});

const allowances = new Map<string, RegExp[]>();

/**
 * Stripe's loader warns that it found a Connect.js runtime already in the page (@stripe/connect-js
 * src/utils/scriptUtils.ts `EXISTING_SCRIPT_MESSAGE`, logged by `loadScript` in src/init.ts): against
 * the emulator the portal puts the stand-in in before calling the loader, so that the loader wraps it
 * instead of injecting Stripe's URL. Only that exact line.
 */
const loaderFoundStandIn =
  /^console warning on \S*: loadConnect was called but an existing Connect\.js script already exists in the document; existing script parameters will be used$/;

/**
 * A Stripe failure that outlasts the portal's retries (rare: 4 retries of a call that fails a
 * fifth of the time) is shown to the person as a plain "try again" error, answered with a 409
 * by the portal's page or server function, which Chromium logs. Only in the fault pass, and
 * only from the portal itself.
 */
const faultPassAllows: RegExp[] = process.env.E2E_FAULTS ? [failedLoad(`${baseURL}/`, 409)] : [];

/**
 * Allows, for the rest of the running journey, console messages matching `pattern` (tested
 * against `console <type> on <url>: <text>`). Say beside the call why the journey causes it.
 */
export function allowConsole(...patterns: RegExp[]) {
  const id = test.info().testId;
  allowances.set(id, [...(allowances.get(id) ?? []), ...patterns]);
}

/** Chromium's line for a response with this status (it logs one for every 4xx/5xx it loads). */
export function failedLoad(url: RegExp | string, status: number): RegExp {
  const where = typeof url === "string" ? url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : url.source;
  return new RegExp(
    `^console error on [^ ]*${where}[^ ]*: Failed to load resource: the server responded with a status of ${status} `,
  );
}

export { expect };
