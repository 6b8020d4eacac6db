import { type EmulatorRequest, ServiceError } from "./core/http";
import type { ProtocolName } from "./core/protocols";
import type { ServiceDefinition } from "./core/service";
import { peekScope } from "./core/sigv4";

/**
 * Finds the service and operation a request is for, the way AWS front ends do: by X-Amz-Target
 * for JSON services, by path for REST-JSON, by the Action parameter for EC2 and STS (told apart
 * by the signing name, or, unsigned, by the Action and Version), by host or path for S3. The
 * signing scope breaks ties (Migration Hub Config signs as "mgh").
 */
export interface Route {
  readonly service: ServiceDefinition;
  /** undefined when the service is known but the operation is not. */
  readonly operation: string | undefined;
  readonly bucketFromHost?: string;
  /** EC2 parameters, parsed once here. */
  readonly ec2Params?: Map<string, string>;
  /** awsQuery (STS) parameters, parsed once here. */
  readonly queryParams?: Map<string, string>;
  /** Why a request for a known service names no operation, when it is not simply unknown. */
  readonly rejection?: ServiceError;
}

export type RouteResult =
  Route | { readonly unknown: true; readonly protocol: ProtocolName; readonly detail: string };

/** `bucket.localhost`, `bucket.s3.localhost`, `bucket.s3.us-east-1.localhost` → bucket. */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const hostname = host.replace(/:\d+$/, "").toLowerCase();
  const m = /^(.+?)(?:\.s3(?:[.-][a-z0-9-]+)?)?\.localhost$/.exec(hostname);
  return m?.[1];
}

export function parseForm(body: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const piece of body.split("&")) {
    if (!piece) continue;
    const eq = piece.indexOf("=");
    const key = decodeURIComponent((eq < 0 ? piece : piece.slice(0, eq)).replace(/\+/g, " "));
    const value = eq < 0 ? "" : decodeURIComponent(piece.slice(eq + 1).replace(/\+/g, " "));
    params.set(key, value);
  }
  return params;
}

export function route(req: EmulatorRequest, services: readonly ServiceDefinition[]): RouteResult {
  const target = req.headers["x-amz-target"];
  if (target) {
    const dot = target.lastIndexOf(".");
    const prefix = dot < 0 ? target : target.slice(0, dot);
    const op = dot < 0 ? "" : target.slice(dot + 1);
    for (const svc of services) {
      if (svc.protocol === "awsJson1_1" && svc.targetPrefix === prefix) {
        return { service: svc, operation: Object.hasOwn(svc.operations, op) ? op : undefined };
      }
    }
    return { unknown: true, protocol: "awsJson1_1", detail: `Unknown target ${target}` };
  }

  const host = bucketFromHost(req.headers["host"]);
  const scope = peekScope(req)?.service;
  const contentType = req.headers["content-type"] ?? "";
  const s3 = services.find((s) => s.protocol === "s3");

  if (host && s3) return { service: s3, operation: opOfS3(s3, req, host), bucketFromHost: host };

  const ec2 = services.find((s) => s.protocol === "ec2Query");
  const looksLikeQuery =
    contentType.startsWith("application/x-www-form-urlencoded") || req.query.has("Action");
  const unsignedQuery = scope === undefined && looksLikeQuery && req.path === "/";
  const query = routeAwsQuery(req, services, scope, unsignedQuery);
  if (query) return query;
  if (ec2 && (scope === "ec2" || unsignedQuery)) {
    const params = formParams(req);
    if (params instanceof ServiceError)
      return { service: ec2, operation: undefined, ec2Params: new Map(), rejection: params };
    const action = params.get("Action") ?? "";
    if (Object.hasOwn(ec2.operations, action))
      return { service: ec2, operation: action, ec2Params: params };
    const rejection = action
      ? new ServiceError(
          "InvalidAction",
          `The action ${action} is not valid for this web service.`,
          400,
        )
      : new ServiceError("MissingAction", "The request must contain the parameter Action.", 400);
    return { service: ec2, operation: undefined, ec2Params: params, rejection };
  }

  const rest = services.filter((s) => s.protocol === "restJson1");
  for (const svc of rest) {
    if (svc.protocol !== "restJson1") continue;
    const claimed = scope !== undefined && svc.signingNames.includes(scope);
    for (const [name, op] of Object.entries(svc.operations)) {
      if (op.method === req.method && op.path === req.path)
        return { service: svc, operation: name };
    }
    if (claimed) return { service: svc, operation: undefined };
  }

  if (s3 && (scope === "s3" || scope === undefined))
    return { service: s3, operation: opOfS3(s3, req, undefined) };
  return {
    unknown: true,
    protocol: "awsJson1_1",
    detail: `No service answers ${req.method} ${req.path}`,
  };
}

/** The form parameters of a query request (GET query string or POST body). */
function formParams(req: EmulatorRequest): Map<string, string> | ServiceError {
  try {
    return req.method === "GET" ? parseForm(req.rawQuery) : parseForm(req.body.toString("utf8"));
  } catch {
    // A broken %-escape in the form body (decodeURIComponent throws URIError).
    return new ServiceError(
      "MalformedQueryString",
      "The query string is malformed: it holds an invalid percent-encoding.",
      400,
    );
  }
}

/**
 * An awsQuery service (STS) claims a request signed with its name, or an unsigned query whose
 * Action it implements or whose Version is its own. An Action it lacks, or a Version not its own,
 * is STS's InvalidAction ("Could not find operation X for version Y").
 */
function routeAwsQuery(
  req: EmulatorRequest,
  services: readonly ServiceDefinition[],
  scope: string | undefined,
  unsignedQuery: boolean,
): Route | undefined {
  for (const svc of services) {
    if (svc.protocol !== "awsQuery") continue;
    if (scope !== undefined && !svc.signingNames.includes(scope)) continue;
    if (scope === undefined && !unsignedQuery) continue;
    const params = formParams(req);
    if (params instanceof ServiceError) {
      if (scope === undefined) continue;
      return { service: svc, operation: undefined, queryParams: new Map(), rejection: params };
    }
    const action = params.get("Action") ?? "";
    const version = params.get("Version");
    const known = Object.hasOwn(svc.operations, action);
    if (scope === undefined && !known && version !== svc.version) continue;
    if (known && version === svc.version)
      return { service: svc, operation: action, queryParams: params };
    const rejection = new ServiceError(
      "InvalidAction",
      `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`,
      400,
    );
    return { service: svc, operation: undefined, queryParams: params, rejection };
  }
  return undefined;
}

function opOfS3(
  s3: ServiceDefinition,
  req: EmulatorRequest,
  bucket: string | undefined,
): string | undefined {
  return s3.protocol === "s3" ? s3.operationOf(req, bucket) : undefined;
}
