import type { FaultInjector, RateLimiter } from "./core/faults";
import { type EmulatorRequest, type EmulatorResponse, ServiceError } from "./core/http";
import {
  allows,
  frontDoorErrors,
  iamAction,
  protocolOf,
  renderError,
  requestError,
} from "./core/protocols";
import type { SeededRandom } from "./core/random";
import type { OperationContext, ServiceDefinition } from "./core/service";
import { type Credential, verifySigV4 } from "./core/sigv4";
import type { RequestCounters } from "./options";
import { route } from "./router";

/** What the front door works with; the server owns all of it. */
export interface FrontDoorDeps {
  readonly services: readonly ServiceDefinition[];
  readonly credentials: ReadonlyMap<string, Credential>;
  readonly faults: FaultInjector;
  readonly limiter: RateLimiter;
  readonly requestIds: SeededRandom;
  /** The counters in force (reset() replaces them). */
  counters(): RequestCounters;
  context(
    svc: ServiceDefinition,
    operation: string,
    credential: Credential,
    region: string,
    requestId: string,
  ): OperationContext;
}

type Counter = "requests" | "errors" | "throttled" | "faults" | "authFailures";

/**
 * The AWS front door, the same for every service: routing, authentication, the signing scope,
 * the size limit, fault injection, rate limits, authorization, then the operation through its
 * protocol (core/protocols). Every error is counted and answered in the service's own shape.
 */
export class FrontDoor {
  constructor(private readonly deps: FrontDoorDeps) {}

  /** The answer to a request whose body was over the limit (it was not read). */
  tooLarge(req: EmulatorRequest): EmulatorResponse {
    const r = route(req, this.deps.services);
    const protocol = "unknown" in r ? r.protocol : r.service.protocol;
    return renderError(
      protocol,
      requestError(protocol, "tooLarge", "Request body is too large"),
      this.deps.requestIds.uuid(),
    );
  }

  async handle(req: EmulatorRequest): Promise<EmulatorResponse | "reset"> {
    const { deps } = this;
    // Looked up at each count: a reset during an injected latency starts the new counters.
    const bump = (counter: Counter, key: string): void => {
      const map = deps.counters()[counter];
      map[key] = (map[key] ?? 0) + 1;
    };
    const requestId = deps.requestIds.uuid();
    const r = route(req, deps.services);
    if ("unknown" in r) {
      return renderError(
        r.protocol,
        requestError(r.protocol, "unknownOperation", r.detail),
        requestId,
      );
    }
    const svc = r.service;
    const protocol = protocolOf(svc);
    const errors = frontDoorErrors(svc);
    const messageKey = protocol.messageKey(svc);
    const answer = (err: ServiceError): EmulatorResponse =>
      protocol.renderError(err, requestId, messageKey);
    const fail = (err: ServiceError, op: string): EmulatorResponse => {
      bump("errors", `${svc.key}:${op}:${err.code}`);
      return answer(err);
    };

    const auth = verifySigV4(req, { credentials: deps.credentials, now: Date.now() });
    if (!auth.ok) {
      bump("authFailures", `${svc.key}:${auth.kind}`);
      return answer(protocol.authError(auth.kind, auth.detail));
    }
    if (!svc.signingNames.includes(auth.service)) {
      bump("authFailures", `${svc.key}:badScope`);
      const err = protocol.authError("badSignature", "");
      return answer(
        new ServiceError(
          err.code,
          `Credential should be scoped to correct service: '${svc.signingNames[0] ?? ""}'. `,
          err.status,
        ),
      );
    }
    // The front end limits request size before it looks at the operation.
    if (protocol.bodyLimit !== undefined && req.body.length > protocol.bodyLimit) {
      return answer(protocol.requestError("tooLarge", "Request body is too large"));
    }
    const op = r.operation;
    if (op === undefined) {
      return answer(
        r.rejection ??
          protocol.requestError(
            "unknownOperation",
            "The requested operation is not recognized by this service.",
          ),
      );
    }
    deps.counters().totalRequests++;
    bump("requests", `${svc.key}:${op}`);

    const decision = deps.faults.decide(svc.key, op, Date.now());
    if (decision.latencyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.fail) {
      bump("faults", `${svc.key}:${op}:${decision.fail}`);
      if (decision.fail === "reset") return "reset";
      return fail(decision.fail === "throttle" ? errors.throttling() : errors.internal(), op);
    }
    if (!deps.limiter.allow(auth.credential.accountId, svc.key, op, Date.now())) {
      bump("throttled", `${svc.key}:${op}`);
      return fail(errors.throttling(), op);
    }

    const ctx = deps.context(svc, op, auth.credential, auth.region, requestId);
    try {
      const call = protocol.prepare(svc, op, req, r);
      // The caller's allow list, as IAM would apply it after authentication.
      const action = iamAction(svc, op);
      if (!allows(auth.credential.allow, action)) {
        const principal = `arn:aws:iam::${auth.credential.accountId}:user/${auth.credential.accessKeyId}`;
        return fail(
          errors.accessDenied(
            `User: ${principal} is not authorized to perform: ${action}`,
            call.dryRun,
          ),
          op,
        );
      }
      return await call.run(ctx);
    } catch (err) {
      if (err instanceof ServiceError) return fail(err, op);
      // A bug of ours: the service's own 5xx in its own shape (clients retry it), saying what broke.
      const base = errors.internal();
      return fail(
        new ServiceError(
          base.code,
          `emulator bug: ${err instanceof Error ? err.message : String(err)}`,
          base.status,
        ),
        op,
      );
    }
  }
}
