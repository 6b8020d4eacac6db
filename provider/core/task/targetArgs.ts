/**
 * The target inputs of every resource's Args (issue 11, target.ts), and `awsProviderTarget`. Only
 * resource classes and programs import this file (it loads `@pulumi/pulumi`).
 */
import * as pulumi from "@pulumi/pulumi";
import { InputValidationError } from "../errors";

/** The role a resource's AWS calls run as: STS AssumeRole, the standard AWS chain as the source. */
export interface AssumeRoleArgs {
  /**
   * ARN of the role, `arn:aws:iam::<12-digit account>:role/[<path>/]<name>`; the task lives in its
   * account. @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
   */
  roleArn: pulumi.Input<string>;
  /** The `sts:ExternalId` the role's trust policy requires: 2–1224 of `[\w+=,.@:/-]`. */
  externalId?: pulumi.Input<string>;
  /** RoleSessionName, shown in CloudTrail: 2–64 of `[\w+=,.@-]`. @default "pulumi-aws-migration" */
  sessionName?: pulumi.Input<string>;
  /** Seconds per session, 900–43200 and at most the role's MaxSessionDuration. @default 3600 */
  durationSeconds?: pulumi.Input<number>;
}

/** Where the resource's AWS task lives: its region and account. */
export interface TargetArgs {
  /**
   * AWS Region of the task, e.g. `eu-west-1`. A change replaces the resource (a task cannot move).
   * @default stack config `aws:region`, then AWS_REGION / AWS_DEFAULT_REGION
   */
  region?: pulumi.Input<string>;
  /**
   * Role to assume for every AWS call of this resource (the task then lives in the role's account).
   * A change replaces the resource. Resources naming the same role share its cached credentials.
   * @default stack config `awsMigration:assumeRole`, then the standard AWS credential chain
   */
  assumeRole?: pulumi.Input<AssumeRoleArgs>;
}

/** The part of `aws.ProviderArgs` (@pulumi/aws) that says where its resources live. */
export interface AwsProviderTargetArgs {
  region?: pulumi.Input<string>;
  assumeRoles?: pulumi.Input<
    pulumi.Input<{
      roleArn?: pulumi.Input<string>;
      externalId?: pulumi.Input<string>;
      sessionName?: pulumi.Input<string>;
      /** A Go duration such as "1h" or "15m30s" (aws.Provider's form). */
      duration?: pulumi.Input<string>;
    }>[]
  >;
}

/** Seconds of a Go duration of hours, minutes and seconds ("1h30m", "900s"). */
function durationSeconds(duration: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (m === null || duration === "") {
    throw new InputValidationError({
      property: "assumeRoles[0].duration",
      reason: `must be a duration like "1h" or "15m" (got ${JSON.stringify(duration)}). Fix: use hours, minutes and seconds`,
    });
  }
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * `{ ...awsProviderTarget(args), … }` in a resource's Args puts its task where the `aws.Provider`
 * of `args` puts its resources. One assume-role entry at most (these resources chain no roles).
 */
export function awsProviderTarget({ region, assumeRoles }: AwsProviderTargetArgs): TargetArgs {
  const target: TargetArgs = region === undefined ? {} : { region };
  if (assumeRoles === undefined) return target;
  const role = pulumi.output(assumeRoles).apply((roles) => {
    if (roles.length > 1) {
      throw new InputValidationError({
        property: "assumeRoles",
        reason: `has ${roles.length} roles; these resources assume one. Fix: pass the last role of the chain in assumeRole and trust the source account in it`,
      });
    }
    if (roles[0]?.roleArn === undefined) return undefined;
    const { roleArn, externalId, sessionName, duration } = roles[0];
    return {
      roleArn,
      ...(externalId === undefined ? {} : { externalId }),
      ...(sessionName === undefined ? {} : { sessionName }),
      ...(duration === undefined ? {} : { durationSeconds: durationSeconds(duration) }),
    };
  });
  target.assumeRole = role as pulumi.Output<AssumeRoleArgs>;
  return target;
}
