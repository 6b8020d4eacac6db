/**
 * An interrupted `pulumi up` through the real CLI against the emulator: SIGKILL of the CLI's
 * process group (a cancelled CI job) leaves no provider host polling AWS — the host's watchdog
 * (core/engine.ts) ends it once the engine is gone — and the recovery command each start line
 * printed, after `pulumi cancel`, leads to a converged stack with no pending operation and one task
 * per resource (README "An interrupted `pulumi up`").
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DescribeImportImageTasksCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ListImportsCommand, MgnClient } from "@aws-sdk/client-mgn";
import type { Emulator } from "../../emulator";
import {
  ApplicationDiscoveryServiceClient,
  DescribeImportTasksCommand,
} from "../../provider/ads/client";
import { DEMO_REGION, demoStack, useDemoWorld } from "../support/demoStack";
import { assertOk, descendants } from "../support/pulumiStack";

const CREDENTIALS = {
  accessKeyId: "AKIAE2ERECOVERY7EXAM",
  secretAccessKey: "e2eRecoverySecret/0123456789",
};
const DESCRIBES = [
  "ads:DescribeImportTasks",
  "mgn:ListImports",
  "ec2:DescribeImportImageTasks",
] as const;

/** Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, … */
function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

const alive = (pid: number): boolean => {
  const s = stat(pid);
  return s !== undefined && s[0] !== "Z";
};

function isHost(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("dynamic-provider");
  } catch {
    return false;
  }
}

/** The words of a printed shell command (single-quoted words as the shell reads them). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] === undefined ? (m[2] ?? "") : m[1].replace(/'\\''/g, "'"),
  );
}

/** Every import task the emulator holds, per service, as `ID status`. */
async function tasks(emulator: Emulator): Promise<Record<string, string[]>> {
  const config = { endpoint: emulator.url, region: DEMO_REGION, credentials: CREDENTIALS };
  const ads = new ApplicationDiscoveryServiceClient(config);
  const mgn = new MgnClient(config);
  const ec2 = new EC2Client(config);
  try {
    const a = await ads.send(new DescribeImportTasksCommand({}));
    const m = await mgn.send(new ListImportsCommand({}));
    const e = await ec2.send(new DescribeImportImageTasksCommand({}));
    return {
      ads: (a.tasks ?? []).map((t) => `${t.importTaskId} ${t.status}`),
      mgn: (m.items ?? []).map((i) => `${i.importID} ${i.status}`),
      ec2: (e.ImportImageTasks ?? []).map((t) => `${t.ImportTaskId} ${t.Status}`),
    };
  } finally {
    mgn.destroy();
    ec2.destroy();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("e2e: an interrupted `pulumi up`", function () {
  this.timeout(300_000);

  const world = useDemoWorld(CREDENTIALS);

  it("SIGKILL of the CLI's process group stops the host within 15 s, and the printed command recovers one task per resource", async () => {
    const emu = world.emulator!;
    const stack = (world.stack = await demoStack({
      binDir: world.binDir,
      emulator: emu,
      credentials: CREDENTIALS,
      stack: "killed",
    }));
    // AWS-like speed, so the imports are still running when the CLI dies.
    emu.configure({ timeScale: 1 });
    let hosts: number[] = [];
    let group: number[] = [];
    let watching = false;
    const killed = await stack.run(["up", "--yes", "--skip-preview"], (child, stdout) => {
      const pid = child.pid;
      if (watching || pid === undefined) return;
      const started = stdout.match(/if this run dies: /g)?.length ?? 0;
      // The three imports have printed their start lines; 1.5 s more, so the CLI has written its
      // checkpoints and only waits (a kill mid-write can leave the file backend unreadable).
      if (started < 3) return;
      watching = true;
      setTimeout(() => {
        const family = descendants(pid);
        hosts = family.filter(isHost);
        // The CLI's process group: the CLI and what it started in its group. The plugin host
        // runs in a group of its own, as the CLI starts plugins, so it is not killed here.
        const pgrp = stat(pid)?.[2];
        group = [pid, ...family.filter((p) => stat(p)?.[2] === pgrp)];
        for (const p of group) {
          try {
            process.kill(p, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }, 1500);
    });
    assert.equal(killed.code, null, `up was not killed:\n${killed.stdout}\n${killed.stderr}`);
    assert.equal(hosts.length, 1, `provider hosts: ${hosts.join(", ")}`);
    assert.ok(
      hosts.every((h) => !group.includes(h)),
      "the host was in the CLI's process group",
    );

    // The host notices the engine is gone and exits: no process left within 15 s.
    const killedAt = Date.now();
    while (hosts.some(alive) && Date.now() - killedAt < 15_000) await sleep(100);
    assert.deepEqual(hosts.filter(alive), [], "the provider host outlived the CLI by 15 s");
    // And no further AWS calls: the describe counters stand still.
    const counts = (): number[] => DESCRIBES.map((op) => emu.stats().requests[op] ?? 0);
    const before = counts();
    await sleep(3000);
    assert.deepEqual(counts(), before, `describes after the host exited: ${DESCRIBES.join(", ")}`);

    // Recovery: the lock, then the command each start line printed, then `up`.
    emu.configure({ timeScale: 1000 });
    const commands = [...killed.stdout.matchAll(/if this run dies: (pulumi refresh [^\n]+)/g)]
      .map((m) => m[1]!)
      .filter((c, i, all) => all.indexOf(c) === i);
    assert.equal(commands.length, 3, commands.join("\n"));
    assertOk("cancel", await stack.pulumi("cancel", "--yes"));
    await stack.restartServer();
    for (const command of commands) {
      const [pulumi, ...args] = shellWords(command);
      assert.equal(pulumi, "pulumi");
      assertOk(command, await stack.pulumi(...args, "--yes", "--skip-preview"));
    }
    assert.deepEqual((await stack.exportState()).pending_operations ?? [], []);
    assertOk("up after the recovery", await stack.up());
    assert.deepEqual((await stack.exportState()).pending_operations ?? [], []);
    // Exactly one task per resource: the one the killed run started and printed.
    const resources = await stack.resources();
    const id = (name: string): string => resources.get(name)?.id ?? `no ${name}`;
    for (const name of ["discovery", "inventory", "web-01-image"]) {
      assert.ok(
        commands.some((c) => c.endsWith(`--import-pending-creates '${id(name)}'`)),
        name,
      );
    }
    assert.deepEqual(await tasks(emu), {
      ads: [`${id("discovery")} IMPORT_COMPLETE_WITH_ERRORS`],
      mgn: [`${id("inventory")} SUCCEEDED`],
      ec2: [`${id("web-01-image")} completed`],
    });
    const preview = await stack.run(["preview", "--expect-no-changes"]);
    assertOk("preview --expect-no-changes", preview);
  });
});
