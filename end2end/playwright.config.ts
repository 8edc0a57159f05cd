import { defineConfig, devices } from "@playwright/test";

// The journeys run against the debug server built by `cargo leptos build`, on its own port and
// with a fresh data folder, in Debian's Chromium (Playwright downloads no browser here).
const port = Number(process.env.E2E_PORT ?? 3100);
// The fault pass: every journey again while the emulator injects Stripe's kinds of failure
// (tests/faults.setup.ts). The portal retries Stripe calls a little more and reconciles its
// cache every few seconds, as a platform facing that would configure it.
const underFaults = !!process.env.E2E_FAULTS;
// The same journeys against PostgreSQL (scripts/test makes the database afresh) instead of the
// embedded SQLite file.
const database = process.env.E2E_DATABASE_URL;
export const baseURL = `http://127.0.0.1:${port}`;
export const admin = { email: "admin@example.com", password: "admin password for e2e" };

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  // Under faults a Stripe call may wait out a few retries (backoff from 0.5 s) before it answers.
  expect: { timeout: underFaults ? 20_000 : 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  outputDir: underFaults ? "test-results/faults" : "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: underFaults
    ? [
        { name: "emulator faults on", testMatch: /faults\.setup\.ts/, teardown: "emulator faults off" },
        { name: "emulator faults off", testMatch: /faults\.teardown\.ts/ },
        { name: "chromium under faults", use: chromium, dependencies: ["emulator faults on"] },
      ]
    : [{ name: "chromium", use: chromium }],
  webServer: {
    // The server's output goes to a file that scripts/test searches for panics afterwards (a
    // panic fails the run like a failed journey, even when the journey itself passed).
    command: `rm -rf target/e2e && exec target/debug/server > target/e2e-server${underFaults ? "-faults" : ""}${database ? "-pg" : ""}.log 2>&1`,
    cwd: "..",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      BIND_ADDR: `127.0.0.1:${port}`,
      DATA_DIR: "target/e2e",
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LEPTOS_SITE_ROOT: "target/site",
      // Any free port: a portal started by `scripts/run` may hold the default one.
      EMULATOR_ADDR: "127.0.0.1:0",
      LOG: "info",
      // A failed event reaches "failed" in seconds (the console's retry journey).
      WEBHOOK_MAX_ATTEMPTS: "3",
      // Every journey's owner signs up from 127.0.0.1.
      SIGN_UPS_PER_CLIENT_PER_HOUR: "10000",
      // The digest is sent from the console in its journey, not on a schedule in the middle of
      // the others.
      ADMIN_DIGEST_EVERY_SECS: "0",
      ...(underFaults ? { STRIPE_MAX_RETRIES: "4", RECONCILE_EVERY_SECS: "5" } : {}),
      ...(database ? { DATABASE_URL: database } : {}),
    },
  },
});
