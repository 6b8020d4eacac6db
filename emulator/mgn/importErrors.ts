import type { JsonObject, OperationContext } from "../core/service";
import { state } from "./apply";
import { iso, page, pageArgs } from "./models";
import { Checker, ID_RULES } from "./validate";

/** ListImportErrors: the rows an import rejected and the file problems that failed it. */
export function listImportErrors(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const importID = check.string("importID", input.importID, ID_RULES.importID, true);
  const { max, token } = pageArgs(check, input);
  check.done();
  // Errors are known once the import has finished; an unknown import has none.
  const imp = s.imports.find((i) => i.importID === importID);
  const result = imp?.result;
  const items = (result?.errors ?? []).map((e) => {
    const { errorType, ...errorData } = e;
    return { errorDateTime: iso(imp!.endMs), errorType, errorData: { ...errorData } };
  });
  return page(items, token, max);
}
