/**
 * The lifecycle contract in the provider tier: each resource's real provider against the emulator.
 */
import { TEST_REGION, useEmulator } from "../support/emulator";
import { RESOURCES } from "./resources";
import { lifecycleContract } from "./suite";

describe("lifecycle contract (provider tier: the emulator)", function () {
  this.timeout(30_000);
  const ctx = useEmulator({ homeRegion: TEST_REGION });
  // Cases change the emulated clock speed; reset() keeps it, so restore it for the next case.
  afterEach(() => ctx.emulator.configure({ timeScale: 1000 }));
  lifecycleContract(
    RESOURCES.filter((row) => row.emulator !== undefined),
    (row) => row.emulator!(ctx.emulator),
    (row) => row.emulatorNotApplicable,
  );
});
