import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
 * node_modules first), copied from this repository's lock so `npm ci --offline` installs the very
 * versions the tests ran with, from the local npm cache alone (the cache holds tarballs, not the
 * registry metadata a range install would need).
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

/**
 * `npm pack`s this repository (its current build) and installs the tarball into a fresh temporary
 * project, offline, as a user's project would get it. `extraDeps` are more of this repository's
 * dependencies the consumer depends on directly (e.g. @pulumi/pulumi, as every Pulumi program does).
 */
export async function installPacked(extraDeps: readonly string[] = []): Promise<PackedProject> {
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
    const direct: Record<string, string> = { [pkg.name]: `file:../${packed.filename}` };
    for (const d of extraDeps) {
      const version = pkg.dependencies[d] ?? lock.packages[`node_modules/${d}`]?.version;
      if (!version) throw new Error(`${d} is not a dependency of this repository`);
      direct[d] = version;
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
      ...closure(lock.packages, {
        ...pkg.dependencies,
        ...Object.fromEntries(extraDeps.map((d) => [d, ""])),
      }),
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
      ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
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
