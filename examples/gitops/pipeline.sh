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
trap 'rm -f "$json"' EXIT

case "$stage" in
  preview) command=(preview --diff --json "${run_args[@]}") ;;
  apply) command=(up --yes --diff --json "${run_args[@]}") ;;
  # --preview-only: a scheduled check reports drift and leaves the state as it is.
  drift) command=(refresh --preview-only --expect-no-changes --json) ;;
  *)
    echo "usage: $0 preview|apply|drift" >&2
    exit 2
    ;;
esac

pulumi stack select --create "$stack" --non-interactive >&2
code=0
pulumi "${command[@]}" --stack "$stack" --non-interactive >"$json" || code=$?
jq -r -s --arg stage "$stage" --arg stack "$stack" --arg code "$code" \
  -f "$here/summary.jq" "$json" >"$summary"
cat "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$summary" >>"$GITHUB_STEP_SUMMARY"; fi
exit "$code"
