/**
 * Secret markers and the search for them. A scenario that has state and logs runs its providers
 * under distinctive credentials (KEYS) and passes presigned URLs with a distinctive signature
 * (support.MANIFEST_SIGNATURE); it collects the state it produced — every property set a provider
 * handed the engine to store, with the outputs each class declares secret set apart, as Pulumi
 * encrypts those — and every log line, and counts the markers found in them.
 */
import type { Props } from "../support/dynamicHost";
import { type Kind, MANIFEST_SIGNATURE } from "./support";

/** The key pair the scenarios' providers sign with; the secret key must never show. */
export const KEYS = {
  accessKeyId: "AKIARELIABILITYKEY01",
  secretAccessKey: "rEl1abScenarioSecretKeyDoNotLeak/Ab+Cd0123",
};

/** What the scenarios' emulators accept: the tool's `test` pair and KEYS. */
export const CREDENTIALS = [{ accessKeyId: "test", secretAccessKey: "test" }, KEYS];

/** Outputs each class marks secret (additionalSecretOutputs): Pulumi encrypts them in state. */
export const SECRET_OUTPUTS: Record<Kind, string[]> = {
  ads: ["errorsAndFailedEntriesZip"],
  mgn: ["tags"],
  image: ["diskContainers"],
  instance: ["diskImages", "launchSpecification"],
  stream: [],
  task: [],
};

export interface Captured {
  where: string;
  text: string;
}

export interface Marker {
  label: string;
  value: string;
}

/** The markers every scenario searches for: the secret key and the manifest URL's signature. */
export function baseMarkers(): Marker[] {
  return [
    { label: "secret access key", value: KEYS.secretAccessKey },
    { label: `signature ${MANIFEST_SIGNATURE.slice(0, 8)}…`, value: MANIFEST_SIGNATURE },
  ];
}

/** The markers in `text`, and any credential-bearing URL shape. */
export function leaks(text: string, markers: readonly Marker[]): string[] {
  const found: string[] = [];
  for (const m of markers) if (text.includes(m.value)) found.push(m.label);
  for (const m of text.matchAll(
    /X-Amz-(Signature|Security-Token|Credential)=(?!REDACTED)[^&"\s]+/gi,
  ))
    found.push(m[0].slice(0, 40));
  for (const m of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/(?!REDACTED@)[^\s/?#@"']+@/gi))
    found.push(`userinfo URL ${m[0]}`);
  return found;
}

/** State and logs a scenario captured, searched at the end. */
export class Evidence {
  readonly captured: Captured[] = [];
  /** Values of outputs declared secret (Pulumi stores them encrypted): searched for nothing. */
  readonly secretValues: Captured[] = [];

  /** A property set the engine would store for a resource of `kind`. */
  state(where: string, kind: Kind, props: Props): void {
    const open: Props = {};
    for (const [k, v] of Object.entries(props)) {
      if (SECRET_OUTPUTS[kind].includes(k))
        this.secretValues.push({
          where: `${where}.${k}`,
          text: typeof v === "string" ? v : JSON.stringify(v),
        });
      else open[k] = v;
    }
    this.captured.push({ where, text: JSON.stringify(open) });
  }

  /** Log output, an error message, or any other text that reaches a user. */
  text(where: string, text: string): void {
    this.captured.push({ where, text });
  }

  /** Whether a secret output holds `value` (the positive control: the marker went through). */
  holdsSecretly(value: string): boolean {
    return this.secretValues.some((v) => v.text.includes(value));
  }

  /** The signatures of presigned URLs among the secret outputs (the emulator issued them). */
  signatures(): Marker[] {
    const out = new Map<string, Marker>();
    for (const s of this.secretValues)
      for (const m of s.text.matchAll(/X-Amz-Signature=([0-9a-f]{64})/g))
        out.set(m[1]!, { label: `signature ${m[1]!.slice(0, 8)}…`, value: m[1]! });
    return [...out.values()];
  }

  /** Every marker found, as "where: what". */
  search(markers: readonly Marker[]): string[] {
    const all = [...markers, ...this.signatures()];
    return this.captured.flatMap((c) => leaks(c.text, all).map((l) => `${c.where}: ${l}`));
  }

  characters(): number {
    return this.captured.reduce((n, c) => n + c.text.length, 0);
  }
}

/**
 * Runs `fn` with KEYS as this process's AWS credentials (in-process providers read them from the
 * environment), restoring the run's own pair afterwards.
 */
export async function withKeys<T>(
  keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  fn: () => Promise<T>,
): Promise<T> {
  const names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] as const;
  const saved = names.map((n) => process.env[n]);
  process.env["AWS_ACCESS_KEY_ID"] = keys.accessKeyId;
  process.env["AWS_SECRET_ACCESS_KEY"] = keys.secretAccessKey;
  if (keys.sessionToken === undefined) delete process.env["AWS_SESSION_TOKEN"];
  else process.env["AWS_SESSION_TOKEN"] = keys.sessionToken;
  try {
    return await fn();
  } finally {
    names.forEach((n, i) => {
      if (saved[i] === undefined) delete process.env[n];
      else process.env[n] = saved[i];
    });
  }
}
