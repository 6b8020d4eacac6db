import { createHash } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse } from "../core/http";
import { ServiceError } from "../core/http";
import { authError, renderError } from "../core/protocols";
import type { RawContext, RawRoute } from "../core/service";
import { verifySigV4 } from "../core/sigv4";
import { FILES_KEY, type FilesState, ZIP_NAME } from "./models";
import { buildZip } from "./zip";

/**
 * Serves errorsAndFailedEntriesZip. In AWS it is a presigned S3 URL, so this route answers the way
 * S3 answers a presigned GET: 403 AccessDenied when expired, 403 SignatureDoesNotMatch when the
 * query was tampered with, 404 NoSuchKey when the file does not exist.
 */
const PATH =
  /^\/_emulator\/files\/ads\/(\d{12})\/([a-z0-9-]+)\/(import-task-[a-f0-9]{32})\/([^/]+)$/;

function s3Error(err: ServiceError, req: EmulatorRequest): EmulatorResponse {
  // No seeded generator reaches raw routes; a digest of the request is stable and unique enough.
  const requestId = createHash("sha256")
    .update(req.rawPath + "?" + req.rawQuery)
    .digest("hex")
    .slice(0, 16)
    .toUpperCase();
  return renderError("s3", err, requestId);
}

export const adsFilesRoute: RawRoute = {
  prefix: "/_emulator/files/ads/",
  handle(ctx: RawContext, req: EmulatorRequest): EmulatorResponse {
    if (req.method !== "GET" && req.method !== "HEAD")
      return s3Error(
        new ServiceError(
          "MethodNotAllowed",
          "The specified method is not allowed against this resource.",
          405,
        ),
        req,
      );
    const auth = verifySigV4(req, {
      credentials: ctx.credentials,
      now: ctx.realNow(),
      emulatedNow: ctx.clock.now(),
    });
    if (!auth.ok) return s3Error(authError("s3", auth.kind, auth.detail), req);
    const m = PATH.exec(req.path);
    const [, accountId, region, taskId, file] = m ?? [];
    // A key of another account may not read this account's files, whatever it signs.
    if (!accountId || !region || !taskId || auth.credential.accountId !== accountId)
      return s3Error(authError("s3", "missing", "Access Denied"), req);
    const files = ctx.stateFor<FilesState>(accountId, region, "ads", FILES_KEY, () => ({}))[taskId];
    if (!files || file !== ZIP_NAME)
      return s3Error(new ServiceError("NoSuchKey", "The specified key does not exist.", 404), req);
    const body = buildZip(
      [
        { name: "errors-file.csv", data: Buffer.from(files.errors, "utf8") },
        { name: "failed-entries-file.csv", data: Buffer.from(files.failedEntries, "utf8") },
      ],
      files.modifiedMs,
    );
    return {
      status: 200,
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${ZIP_NAME}"`,
      },
      body,
    };
  },
};
