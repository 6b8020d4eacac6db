import { strict as assert } from "node:assert";
import { parseOptions } from "../../../bench/lib/options";

describe("npm run bench options", () => {
  it("with none, runs everything: 4 services, N = 1 to 1,000, S = 60, 3 runs, every part", () => {
    const o = parseOptions([]);
    assert.deepEqual(
      [o.label, o.services, o.ns, o.timeScale, o.runs, o.parts, o.fleet.migrationTasks],
      [
        "full",
        ["ads", "mgn", "ec2-instance", "ec2-image"],
        [1, 10, 100, 1000],
        60,
        3,
        ["poll", "fleet", "state", "coldstart"],
        1000,
      ],
    );
    assert.equal(parseOptions(["--seed", "7"]).label, "full");
  });

  it("--quick: N = 1, 10, 100 at S = 120, one run, a small fleet", () => {
    const o = parseOptions(["--quick"]);
    assert.deepEqual(
      [o.label, o.ns, o.timeScale, o.runs, o.coldRuns, o.fleet, o.stateCount],
      [
        "quick",
        [1, 10, 100],
        120,
        1,
        1,
        { migrationTasks: 100, mgnImports: 10, adsImports: 5, taskSeconds: 10 },
        50,
      ],
    );
  });

  it("picking rows runs part 1 only, unless --parts says otherwise", () => {
    const o = parseOptions([
      "--services",
      "ads",
      "--ns",
      "1,10",
      "--runs",
      "1",
      "--time-scale",
      "120",
    ]);
    assert.deepEqual(
      [o.label, o.services, o.ns, o.runs, o.timeScale, o.parts],
      ["partial", ["ads"], [1, 10], 1, 120, ["poll"]],
    );
    assert.deepEqual(parseOptions(["--ns", "100", "--parts", "poll,fleet"]).parts, [
      "poll",
      "fleet",
    ]);
  });

  it("--measure-max-n overrides the named peers only", () => {
    assert.deepEqual(parseOptions(["--measure-max-n", "cdk-30min=1,sdk-waiter=10"]).measuredMaxN, {
      "sdk-waiter": 10,
      terraform: 1,
      "terraform-p10": 0,
      cdk: 1,
      "cdk-30min": 1,
    });
  });

  it("refuses unknown names and counts that are not whole numbers", () => {
    assert.throws(() => parseOptions(["--services", "ec2"]), /unknown service "ec2"/);
    assert.throws(() => parseOptions(["--strategies", "pulumi"]), /unknown strategy "pulumi"/);
    assert.throws(() => parseOptions(["--runs", "1.5"]), /--runs must be an integer >= 1/);
    assert.throws(() => parseOptions(["--fleet-size", "10,1"]), /three counts/);
    assert.throws(() => parseOptions(["--measure-max-n", "cdk=x"]), /--measure-max-n cdk/);
  });
});
