import { defineConfig, devices } from "@playwright/test";

// The journeys run against the debug server built by `cargo leptos build`, on its own port and
// with a fresh data folder, in Debian's Chromium (Playwright downloads no browser here).
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
export const admin = { email: "admin@example.com", password: "admin password for e2e" };

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
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
      },
    },
  ],
  webServer: {
    command: "rm -rf target/e2e && exec target/debug/server",
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
    },
  },
});
