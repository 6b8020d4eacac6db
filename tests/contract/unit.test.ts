/**
 * The lifecycle contract in the unit tier: each resource's real provider on its fake api (the
 * shared scripted-task store) and a manual clock.
 */
import { RESOURCES } from "./resources";
import { lifecycleContract } from "./suite";

describe("lifecycle contract (unit tier: fake apis, manual clock)", () => {
  lifecycleContract(RESOURCES, (row) => row.unit());
});
