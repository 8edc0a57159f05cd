import { test as teardown } from "@playwright/test";
import { control, emulatorOrigin } from "./helpers";

teardown("the offline emulator stops injecting faults", async ({ request }) => {
  await control({ request }, await emulatorOrigin({ request }), "/_sandbox/api/faults/reset");
});
