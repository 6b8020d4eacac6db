import type { JsonObject, OperationContext } from "../core/service";
import { state } from "./apply";
import { conflict, resourceNotFound } from "./errors";
import { bool, need, obj, str, strs } from "../core/validated";
import { iso, page, pageArgs, type ServerRecord } from "./models";

/** The inventory an import builds: source servers, applications and waves (list and delete). */

/** `accountID` names a managed account; the emulator manages none, so another account has no inventory. */
function ownAccount(ctx: OperationContext, input: JsonObject): boolean {
  const account = str(input, "accountID");
  return account === undefined || account === ctx.accountId;
}

function serverView(ctx: OperationContext, v: ServerRecord): JsonObject {
  return {
    sourceServerID: v.sourceServerID,
    arn: v.arn,
    isArchived: false,
    tags: { ...v.tags },
    lifeCycle: { addedToServiceDateTime: iso(v.createdMs), state: "PENDING_INSTALLATION" },
    sourceProperties: {
      lastUpdatedDateTime: iso(v.modifiedMs),
      identificationHints: v.fqdn !== undefined ? { fqdn: v.fqdn } : {},
      ...(v.platform !== undefined ? { os: { fullString: v.platform } } : {}),
    },
    replicationType: "AGENT_BASED",
    ...(v.applicationID !== undefined ? { applicationID: v.applicationID } : {}),
    ...(v.userProvidedID !== undefined ? { userProvidedID: v.userProvidedID } : {}),
    ...(v.fqdn !== undefined ? { fqdnForActionFramework: v.fqdn } : {}),
  };
}

export function describeSourceServers(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const own = ownAccount(ctx, input);
  const f = obj(input, "filters");
  const ids = strs(f, "sourceServerIDs");
  const archived = bool(f, "isArchived");
  const types = strs(f, "replicationTypes");
  const states = strs(f, "lifeCycleStates");
  const apps = strs(f, "applicationIDs");
  const { max, token } = pageArgs(input);
  const items = own
    ? Object.values(s.servers)
        .filter((v) => !ids?.length || ids.includes(v.sourceServerID))
        .filter(() => archived !== true)
        .filter(() => !types?.length || types.includes("AGENT_BASED"))
        .filter(() => !states?.length || states.includes("PENDING_INSTALLATION"))
        .filter(
          (v) => !apps?.length || (v.applicationID !== undefined && apps.includes(v.applicationID)),
        )
        .map((v) => serverView(ctx, v))
    : [];
  return page(items, token, max);
}

export function listApplications(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const own = ownAccount(ctx, input);
  const f = obj(input, "filters");
  const ids = strs(f, "applicationIDs");
  const archived = bool(f, "isArchived");
  const waves = strs(f, "waveIDs");
  const { max, token } = pageArgs(input);
  const servers = Object.values(s.servers);
  const items = own
    ? Object.values(s.apps)
        .filter((a) => !ids?.length || ids.includes(a.applicationID))
        .filter(() => archived !== true)
        .filter((a) => !waves?.length || (a.waveID !== undefined && waves.includes(a.waveID)))
        .map((a) => ({
          applicationID: a.applicationID,
          arn: a.arn,
          name: a.name,
          ...(a.description !== undefined ? { description: a.description } : {}),
          isArchived: false,
          applicationAggregatedStatus: {
            lastUpdateDateTime: iso(a.modifiedMs),
            healthStatus: "HEALTHY",
            progressStatus: "NOT_STARTED",
            totalSourceServers: servers.filter((v) => v.applicationID === a.applicationID).length,
          },
          creationDateTime: iso(a.createdMs),
          lastModifiedDateTime: iso(a.modifiedMs),
          tags: { ...a.tags },
          ...(a.waveID !== undefined ? { waveID: a.waveID } : {}),
        }))
    : [];
  return page(items, token, max);
}

export function listWaves(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const own = ownAccount(ctx, input);
  const f = obj(input, "filters");
  const ids = strs(f, "waveIDs");
  const archived = bool(f, "isArchived");
  const { max, token } = pageArgs(input);
  const apps = Object.values(s.apps);
  const items = own
    ? Object.values(s.waves)
        .filter((w) => !ids?.length || ids.includes(w.waveID))
        .filter(() => archived !== true)
        .map((w) => ({
          waveID: w.waveID,
          arn: w.arn,
          name: w.name,
          ...(w.description !== undefined ? { description: w.description } : {}),
          isArchived: false,
          waveAggregatedStatus: {
            lastUpdateDateTime: iso(w.modifiedMs),
            healthStatus: "HEALTHY",
            progressStatus: "NOT_STARTED",
            totalApplications: apps.filter((a) => a.waveID === w.waveID).length,
          },
          creationDateTime: iso(w.createdMs),
          lastModifiedDateTime: iso(w.modifiedMs),
          tags: { ...w.tags },
        }))
    : [];
  return page(items, token, max);
}

export function deleteSourceServer(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const own = ownAccount(ctx, input);
  const id = need(input, "sourceServerID");
  // Imported servers have no agent yet (PENDING_INSTALLATION), so nothing replicates and they can go.
  if (!own || !s.servers[id]) throw resourceNotFound("SOURCE_SERVER", id);
  delete s.servers[id];
  ctx.markDirty();
  return {};
}

export function deleteApplication(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const own = ownAccount(ctx, input);
  const id = need(input, "applicationID");
  if (!own || !s.apps[id]) throw resourceNotFound("APPLICATION", id);
  const members = Object.values(s.servers).filter((v) => v.applicationID === id).length;
  if (members > 0) {
    throw conflict(
      `Application ${id} still has ${members} source server(s). Delete or disassociate them first.`,
      "APPLICATION",
      id,
    );
  }
  delete s.apps[id];
  ctx.markDirty();
  return {};
}

export function deleteWave(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const own = ownAccount(ctx, input);
  const id = need(input, "waveID");
  if (!own || !s.waves[id]) throw resourceNotFound("WAVE", id);
  const members = Object.values(s.apps).filter((a) => a.waveID === id).length;
  if (members > 0) {
    throw conflict(
      `Wave ${id} still has ${members} application(s). Delete or disassociate them first.`,
      "WAVE",
      id,
    );
  }
  delete s.waves[id];
  ctx.markDirty();
  return {};
}
