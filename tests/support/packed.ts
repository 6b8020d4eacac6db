import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

export interface PackedProject {
  /** The temporary project; its node_modules holds the installed package. */
  readonly dir: string;
  readonly tarball: string;
  /** What `npm pack` put in the tarball. */
  readonly files: string[];
  remove(): void;
}

/**
 * The lock entries a consumer needs for `deps`, found the way Node resolves them (nearest
 * node_modules first), copied from this repository's lock, so the consumer installs the very
 * versions the tests ran with (from the local npm cache when it holds them).
 */
function closure(
  packages: Record<string, LockEntry>,
  deps: Record<string, string>,
): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const visit = (from: string, name: string, optional: boolean): void => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf("/node_modules/")))) {
      const key = `${base ? base + "/" : ""}node_modules/${name}`;
      const entry = packages[key];
      if (entry) {
        if (out[key]) return;
        const { dev: _d, devOptional: _o, ...clean } = entry;
        out[key] = clean;
        for (const d of Object.keys(entry.dependencies ?? {})) visit(key, d, false);
        for (const d of Object.keys(entry.optionalDependencies ?? {})) visit(key, d, true);
        for (const d of Object.keys(entry.peerDependencies ?? {})) {
          if (!entry.peerDependenciesMeta?.[d]?.optional) visit(key, d, false);
        }
        return;
      }
      if (!base) {
        if (optional) return;
        throw new Error(
          `package-lock.json has no entry for ${name} (needed by ${from || "the package"})`,
        );
      }
    }
  };
  for (const name of Object.keys(deps)) visit("", name, false);
  return out;
}

/** Every installed copy of package `name` under `root`/node_modules, nested ones included. */
export function installedCopies(root: string, name: string): { path: string; version: string }[] {
  const copies: { path: string; version: string }[] = [];
  const walk = (nodeModules: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(nodeModules);
    } catch {
      return;
    }
    const dirs = entries
      .filter((e) => !e.startsWith("."))
      .flatMap((e) =>
        e.startsWith("@") ? readdirSync(join(nodeModules, e)).map((s) => `${e}/${s}`) : [e],
      );
    for (const pkg of dirs) {
      const dir = join(nodeModules, pkg);
      if (pkg === name) {
        const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
          version: string;
        };
        copies.push({ path: relative(root, dir), version });
      }
      walk(join(dir, "node_modules"));
    }
  };
  walk(join(root, "node_modules"));
  return copies.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * `npm pack`s this repository (its current build) and installs the tarball into a fresh temporary
 * project that depends on it and on its own `@pulumi/pulumi` at `pulumiVersion`, as every Pulumi
 * program does — npm, not this helper, then decides whether the package shares that copy. The
 * project's lock is seeded with this repository's locked versions of everything else, so only
 * what those lack (the consumer's SDK, when it is another version) comes from the npm cache or,
 * failing that, the registry (`--prefer-offline`).
 */
export async function installPacked(pulumiVersion: string): Promise<PackedProject> {
  const dir = mkdtempSync(join(tmpdir(), "pam-packed-"));
  try {
    const { stdout } = await run(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const packed = (JSON.parse(stdout) as { filename: string; files: { path: string }[] }[])[0]!;
    const tarball = join(dir, packed.filename);
    const projectDir = join(dir, "consumer");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      name: string;
      version: string;
      dependencies: Record<string, string>;
      bin?: Record<string, string>;
      engines?: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, LockEntry>;
    };
    const direct: Record<string, string> = {
      [pkg.name]: `file:../${packed.filename}`,
      "@pulumi/pulumi": pulumiVersion,
    };
    // The SDK's own entry is left out, whatever its version: npm must place the consumer's
    // @pulumi/pulumi and judge the package's range against it. Its dependencies stay as hints.
    const seeded = closure(lock.packages, pkg.dependencies);
    for (const key of Object.keys(seeded)) {
      if (/^node_modules\/@pulumi\/pulumi(\/|$)/.test(key)) delete seeded[key];
    }
    const packages: Record<string, LockEntry> = {
      "": { name: "consumer", version: "1.0.0", dependencies: direct },
      [`node_modules/${pkg.name}`]: {
        version: pkg.version,
        resolved: `file:../${packed.filename}`,
        integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
        dependencies: pkg.dependencies,
        ...(pkg.bin ? { bin: pkg.bin } : {}),
        ...(pkg.engines ? { engines: pkg.engines } : {}),
      },
      ...seeded,
    };
    mkdirSync(projectDir);
    writeFileSync(
      join(projectDir, "package.json"),
      JSON.stringify(
        { name: "consumer", version: "1.0.0", private: true, dependencies: direct },
        null,
        2,
      ),
    );
    writeFileSync(
      join(projectDir, "package-lock.json"),
      JSON.stringify(
        { name: "consumer", version: "1.0.0", lockfileVersion: 3, requires: true, packages },
        null,
        2,
      ),
    );
    await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
      ],
      {
        cwd: projectDir,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, npm_config_engine_strict: "false" },
      },
    );
    return {
      dir: projectDir,
      tarball,
      files: packed.files.map((f) => f.path),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
