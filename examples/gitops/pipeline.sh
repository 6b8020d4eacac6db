#!/usr/bin/env bash
# The CI pipeline's one entry point (README; .github/workflows/migration.yml calls it):
#   pipeline.sh preview   pull request: `pulumi preview --diff`, summarized for review
#   pipeline.sh apply     merge: `pulumi up --yes --diff`, summarized
#   pipeline.sh drift     schedule: `pulumi refresh --preview-only --expect-no-changes`; fails on drift
# Each stage writes the Markdown summary to $SUMMARY_FILE (default pulumi-summary.md), prints
# it, appends it to $GITHUB_STEP_SUMMARY when set, and exits with the CLI's status.
#
# Environment: PULUMI_STACK (default dev), PULUMI_BACKEND_URL (e.g. the S3 state bucket),
# PULUMI_CONFIG_PASSPHRASE, the AWS credentials and region. PULUMI_RUN_ARGS adds arguments to the
# commands that run the program (where no pulumi-language-nodejs exists, `--client=<address>` of
# a language server, as this repository's tests pass; empty in CI).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stage="${1:-}"
stack="${PULUMI_STACK:-dev}"
summary="${SUMMARY_FILE:-pulumi-summary.md}"
read -r -a run_args <<<"${PULUMI_RUN_ARGS:-}"
json="$(mktemp)"
err="$(mktemp)"
trap 'rm -f "$json" "$err"' EXIT
pulumi_cli=(pulumi)

case "$stage" in
  preview) command=(preview --diff --json "${run_args[@]}") ;;
  apply) command=(up --yes --diff --json "${run_args[@]}") ;;
  # --preview-only: a scheduled check reports drift and leaves the state as it is.
  # (PULUMI_SKIP_CONFIRMATIONS would imply --yes, which the CLI refuses beside --preview-only.)
  drift)
    command=(refresh --preview-only --expect-no-changes --json)
    pulumi_cli=(env -u PULUMI_SKIP_CONFIRMATIONS pulumi)
    ;;
  *)
    echo "usage: $0 preview|apply|drift" >&2
    exit 2
    ;;
esac

pulumi stack select --create "$stack" --non-interactive >&2
code=0
"${pulumi_cli[@]}" "${command[@]}" --stack "$stack" --non-interactive >"$json" 2>"$err" || code=$?
cat "$err" >&2
jq -r -s --arg stage "$stage" --arg stack "$stack" --arg code "$code" --rawfile stderr "$err" \
  -f "$here/summary.jq" "$json" >"$summary"
cat "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$summary" >>"$GITHUB_STEP_SUMMARY"; fi
exit "$code"
