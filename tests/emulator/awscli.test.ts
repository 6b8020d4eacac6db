import { strict as assert } from "node:assert";
import { awsCli } from "../support/awscli";
import { useEmulator } from "../support/emulator";

/**
 * Cross-checks the emulator with a second, independent client: the AWS CLI, whose botocore layer
 * validates each request and parses each response against AWS's own service models.
 */
describe("emulator through the AWS CLI (botocore)", function () {
  this.timeout(60_000);
  const ctx = useEmulator({ timeScale: 1 });

  describe("Migration Hub and Migration Hub Config", () => {
    it("sets the home region, then runs a migration task's life cycle", async () => {
      const control = await awsCli(ctx.emulator, ["migrationhub-config", "create-home-region-control", "--home-region", "us-west-2", "--target", "Type=ACCOUNT"]);
      assert.equal(control.code, 0, control.stderr);
      const hrc = (control.json as { HomeRegionControl: { ControlId: string; HomeRegion: string; Target: unknown } }).HomeRegionControl;
      assert.match(hrc.ControlId, /^hrc-[a-z0-9]{12}$/);
      assert.equal(hrc.HomeRegion, "us-west-2");
      assert.deepEqual((await awsCli(ctx.emulator, ["migrationhub-config", "get-home-region"])).json, { HomeRegion: "us-west-2" });

      assert.equal((await awsCli(ctx.emulator, ["mgh", "create-progress-update-stream", "--progress-update-stream-name", "tool-a"])).code, 0);
      const key = ["--progress-update-stream", "tool-a", "--migration-task-name", "srv-1"];
      assert.equal((await awsCli(ctx.emulator, ["mgh", "import-migration-task", ...key])).code, 0);
      const notify = await awsCli(ctx.emulator, [
        "mgh", "notify-migration-task-state", ...key,
        "--task", "Status=IN_PROGRESS,ProgressPercent=40,StatusDetail=copying",
        "--update-date-time", "2026-01-01T00:00:00Z", "--next-update-seconds", "60",
      ]);
      assert.equal(notify.code, 0, notify.stderr);
      const described = await awsCli(ctx.emulator, ["mgh", "describe-migration-task", ...key]);
      assert.equal(described.code, 0, described.stderr);
      assert.deepEqual(described.json, {
        MigrationTask: {
          ProgressUpdateStream: "tool-a",
          MigrationTaskName: "srv-1",
          Task: { Status: "IN_PROGRESS", StatusDetail: "copying", ProgressPercent: 40 },
          UpdateDateTime: 1767225600, // CLI v1 prints timestamps as sent (epoch seconds)
          ResourceAttributeList: [],
        },
      });
      const listed = await awsCli(ctx.emulator, ["mgh", "list-migration-tasks"]);
      assert.deepEqual((listed.json as { MigrationTaskSummaryList: { MigrationTaskName: string; Status: string }[] }).MigrationTaskSummaryList.map((t) => [t.MigrationTaskName, t.Status]), [["srv-1", "IN_PROGRESS"]]);
    });

    it("reports ResourceNotFoundException for an unknown task", async () => {
      ctx.emulator.configure({ homeRegion: "us-west-2" });
      const res = await awsCli(ctx.emulator, ["mgh", "describe-migration-task", "--progress-update-stream", "nope", "--migration-task-name", "x"]);
      assert.equal(res.code, 255);
      assert.match(res.stderr, /An error occurred \(ResourceNotFoundException\) when calling the DescribeMigrationTask operation/);
    });
  });
});
