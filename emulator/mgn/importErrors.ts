import type { JsonObject, OperationContext } from "../core/service";
import { state } from "./apply";
import { iso, page, pageArgs } from "./models";
import { need } from "../core/validated";

/** ListImportErrors: the rows an import rejected and the file problems that failed it. */
export function listImportErrors(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const importID = need(input, "importID");
  const { max, token } = pageArgs(input);
  // Errors are known once the import has finished; an unknown import has none.
  const imp = s.imports.find((i) => i.importID === importID);
  const result = imp?.result;
  const items = (result?.errors ?? []).map((e) => {
    const { errorType, ...errorData } = e;
    return { errorDateTime: iso(imp!.endMs), errorType, errorData: { ...errorData } };
  });
  return page(items, token, max);
}
