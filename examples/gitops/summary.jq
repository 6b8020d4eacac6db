# Turns the JSON of `pulumi preview --json`, `pulumi up --json` or `pulumi refresh --json`
# (read with `jq -s`: the first document is the plan; `up` streams engine events after it) into a
# short Markdown summary for a pull request or a job summary.
#   jq -r -s --arg stage preview|apply|drift --arg stack dev --arg code <exit code> \
#     --rawfile stderr <the CLI's stderr> -f summary.jq <the CLI's stdout>
#
# Each dynamic resource's type is `pulumi-nodejs:dynamic/<service>:<Class>`; these start an AWS
# import task when created or replaced.
def importTypes:
  ["ads:ImportTask", "mgn:ImportTask", "ec2:ImportImageTask", "ec2:ImportInstanceTask",
   "migrationhub:MigrationTask"];
def typeOf: .urn | split("::")[2] | sub("^pulumi-nodejs:dynamic/"; "");
def name: "`\(typeOf | sub(":"; ".")) \(.urn | split("::")[3])`";
def isImport: typeOf as $t | importTypes | index($t) != null;
# The engine's reasons when the provider named them; else the inputs that differ (Pulumi's
# dynamic-provider host forwards replaces but no detailed diff: /work/shared docs, README).
def changed($reasons):
  if ($reasons // []) != [] then $reasons
  else ((.oldState.inputs // {}) | del(.__provider)) as $o
    | ((.newState.inputs // {}) | del(.__provider)) as $n
    | [($o + $n) | keys[] | select($o[.] != $n[.])]
  end;
def why($reasons): changed($reasons) | if length == 0 then "no input changed" else map("`\(.)`") | join(", ") end;
def counts: to_entries | sort_by(.key) | map("\(.value) \(.key)") | join(", ");
def section($title; $lines):
  if ($lines | length) == 0 then [] else ["", "**\($title)**", ""] + ($lines | map("- " + .)) end;
def oneLine: sub("^(warning|error): "; "") | gsub("\\s+"; " ") | sub(" $"; "");

(.[0] // {}) as $plan
| [.[1:][] | .diagnosticEvent? // empty] as $events
| [.[1:][] | .summaryEvent? // empty][0] as $result
| ([.[1:][] | .resOutputsEvent?.metadata // empty | {key: .urn, value: .new.id}] | from_entries) as $ids
| (($plan.diagnostics // []) + $events) as $diags
| ($plan.steps // [] | map(select(.urn | test("::pulumi:pulumi:Stack::") | not)) | sort_by(.urn | split("::")[2:])) as $steps
| ([$diags[] | select(.severity == "warning") | .message | oneLine] | unique) as $warnings
# Engine errors, and the CLI's own (a lock held by another run, a bad flag), which no JSON carries.
| ([$diags[] | select(.severity == "error") | .message | oneLine]
   + [$stderr | split("\n")[] | select(startswith("error: ")) | oneLine
      # The drift check's own verdict, which the heading already gives.
      | select(startswith("no changes were expected") | not)] | unique) as $errors
| (if $result then $result.resourceChanges else $plan.changeSummary end // {}) as $changes
| ($steps | map(select(.op == "create" or .op == "replace" or .op == "create-replacement"))) as $starts
| (
  if $stage == "drift" then
    ($steps | map(select(.op != "refresh" and .op != "same"))) as $drift
    | ["### Drift check of stack `\($stack)`: \(if $code == "0" then "no drift"
         elif ($drift | length) > 0 then "drift found" else "failed" end)"]
      + ($plan.changeSummary // {} | if length == 0 then [] else ["", counts] end)
      + section("Changed outside Pulumi";
          $drift | map(if .op == "delete" then "\(name) (`\(.oldState.id)`): deleted outside Pulumi"
                       else "\(name): \(.op) \(why(.diffReasons))" end))
  else
    ["### Pulumi \(if $stage == "apply" then "up" else "preview" end) of stack `\($stack)`: \(
        if $code == "0" then "succeeded" else "failed" end)"]
    + ($changes | if length == 0 then [] else ["", counts] end)
    + ["", "**Imports that start**", ""]
    + ($starts | map(select(isImport)) | if length == 0 then ["- none"] else map("- \(name)"
        + (if .op == "create" then "" else " (replaces `\(.oldState.id)`)" end)
        + (if $ids[.urn] then ": `\($ids[.urn])`" else "" end)) end)
    + section("Replaced"; $steps | map(select(.op == "replace" or .op == "create-replacement")
        | "\(name): \(why(.replaceReasons))"))
    + section("Updated in place"; $steps | map(select(.op == "update") | "\(name): \(why(.diffReasons))"))
    + section("Deleted"; $steps | map(select(.op == "delete") | "\(name) (`\(.oldState.id)`)"))
  end
  )
  + ["", "**Warnings**", ""] + (if ($warnings | length) == 0 then ["- none"] else $warnings | map("- " + .) end)
  + section("Errors"; $errors)
| join("\n")
