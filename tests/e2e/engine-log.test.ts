/**
 * Provider lines on their resources through the Pulumi engine (core/engine.ts, core/log.ts): the
 * demo stack's `up` through the real CLI records, in `--event-log`, the ADS rejected-rows notice as
 * a warning diagnostic on the ADS resource's URN, ephemeral status diagnostics on the URN of a
 * resource that waits, and start lines that name the resource by its Pulumi name and the command
 * that recovers its task.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { demoStack, useDemoWorld } from "../support/demoStack";
import { assertOk } from "../support/pulumiStack";

const CREDENTIALS = {
  accessKeyId: "AKIAE2EENGINE7EXAMPL",
  secretAccessKey: "e2eEngineSecret/0123456789",
};
const URN = (type: string, name: string): string =>
  `urn:pulumi:dev::aws-migration-demo::pulumi-nodejs:dynamic/${type}::${name}`;

/** One `diagnosticEvent` of the CLI's event log. */
interface Diagnostic {
  urn?: string;
  message: string;
  severity: string;
  ephemeral?: boolean;
}

describe("e2e: provider lines on their resources through the Pulumi engine", function () {
  this.timeout(300_000);

  const world = useDemoWorld(CREDENTIALS);

  it("records the rejected-rows warning and the waits' live status on their resources' URNs", async () => {
    const stack = (world.stack = await demoStack({
      binDir: world.binDir,
      emulator: world.emulator!,
      credentials: CREDENTIALS,
      stack: "dev",
    }));
    const eventLog = join(stack.workDir, "events.jsonl");
    const up = await stack.run(["up", "--yes", "--skip-preview", "--event-log", eventLog]);
    assertOk("up", up);
    const diagnostics = readFileSync(eventLog, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => (JSON.parse(l) as { diagnosticEvent?: Diagnostic }).diagnosticEvent)
      .filter((d): d is Diagnostic => d !== undefined && d.severity !== "debug");
    const resources = await stack.resources();
    const adsId = resources.get("discovery")?.id ?? "";
    const mgnId = resources.get("inventory")?.id ?? "";
    const ads = URN("ads:ImportTask", "discovery");
    const mgn = URN("mgn:ImportTask", "inventory");
    const image = URN("ec2:ImportImageTask", "web-01-image");

    // The one warning of the run, on the ADS resource, counted as a warning.
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === "warning"),
      [
        {
          urn: ads,
          prefix: "warning: ",
          message: `[aws-migration] ads.ImportTask discovery (wave-1 discovery): import ${adsId} finished IMPORT_COMPLETE_WITH_ERRORS with rejected rows (servers 4 imported / 3 failed, applications 2 imported / 0 failed). Download errorsAndFailedEntriesZip (a secret output) for the rejected rows.\n`,
          color: "never",
          severity: "warning",
        },
      ],
    );
    // Each wait's live status beside its resource: its name, status, poll, elapsed time and next
    // poll. The image import (minutes of emulated time) always waits.
    const live = diagnostics.filter((d) => d.ephemeral === true);
    assert.ok(
      live.some((d) => d.urn === image),
      "no ephemeral diagnostic on the image import",
    );
    for (const d of live) {
      const name = (d.urn ?? "").split("::").pop() ?? "";
      // Only waiting resources show a live status (the ADS and MGN imports may end before their
      // first status line, depending on the machine's speed; the demo's Migration Hub tasks do not wait).
      assert.ok([ads, image, mgn].includes(d.urn ?? ""), `ephemeral on ${d.urn}`);
      assert.ok(d.message.startsWith(`${name}: `), d.message);
      assert.match(d.message, /: [^\n]+ \(poll \d+, \d+s elapsed(, next poll in \d+s)?\)\n$/);
    }
    assert.match(
      live.find((d) => d.urn === image)?.message ?? "",
      /^web-01-image: active [a-z]+ \d+% \(poll \d+, /,
    );
    // MGN's lines name the resource by its Pulumi name (the import ID follows), and the start
    // line names the command that recovers the task if the run dies.
    const mgnLines = diagnostics.filter((d) => d.urn === mgn && d.ephemeral !== true);
    assert.equal(mgnLines.length, 2, mgnLines.map((d) => d.message).join(""));
    assert.equal(
      mgnLines[0]?.message,
      `[aws-migration] mgn.ImportTask inventory (${mgnId}): started (PENDING); if this run dies: pulumi refresh --import-pending-creates '${mgn}' --import-pending-creates '${mgnId}'\n`,
    );
    assert.match(
      mgnLines[1]?.message ?? "",
      new RegExp(
        `^\\[aws-migration\\] mgn\\.ImportTask inventory \\(${mgnId}\\): SUCCEEDED \\(\\d+ poll\\(s\\)\\)\\n$`,
      ),
    );
    // No line of ours is left as the stack's plain output.
    const ours = diagnostics.filter((d) => d.message.includes("[aws-migration]"));
    assert.ok(ours.length >= 8, `only ${ours.length} lines of ours`);
    for (const d of ours) assert.match(d.urn ?? "", /::pulumi-nodejs:dynamic\//, d.message);
  });
});
