import { test as setup } from "@playwright/test";
import { control, emulatorOrigin, stripeFaults } from "./helpers";

// The fault pass (`E2E_FAULTS=1`): the emulator misbehaves for every journey that follows.
setup("the offline emulator injects faults", async ({ request }) => {
  await control({ request }, await emulatorOrigin({ request }), "/_sandbox/api/faults", stripeFaults);
});
