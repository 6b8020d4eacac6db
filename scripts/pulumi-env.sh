# Source this file (`. scripts/pulumi-env.sh`) to use the project's Pulumi CLI offline: it puts the
# CLI's bin dir on PATH (building it once via scripts/ensure-pulumi) and keeps all state in this
# checkout: a file backend and a PULUMI_HOME under .demo/, so nothing touches ~/.pulumi or the
# network. Settings already in the environment (backend, passphrase) are kept.

_pulumi_env_repo=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)

if _pulumi_env_bin=$("$_pulumi_env_repo/scripts/ensure-pulumi" | tail -n 1) && [ -n "$_pulumi_env_bin" ]; then
  case ":$PATH:" in
    *":$_pulumi_env_bin:"*) ;;
    *) PATH="$_pulumi_env_bin:$PATH" ;;
  esac
  # The dynamic-provider launcher, for a pulumi from PATH whose bin dir we did not link it into.
  case ":$PATH:" in
    *":$_pulumi_env_repo/node_modules/@pulumi/pulumi:"*) ;;
    *) PATH="$PATH:$_pulumi_env_repo/node_modules/@pulumi/pulumi" ;;
  esac
  export PATH

  mkdir -p "$_pulumi_env_repo/.demo/backend" "$_pulumi_env_repo/.demo/pulumi-home"
  export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$_pulumi_env_repo/.demo/backend}"
  # A local demo passphrase: it only guards secrets of stacks in the local file backend.
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-pulumi-aws-migration-local}"
  export PULUMI_HOME="$_pulumi_env_repo/.demo/pulumi-home"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
  export PULUMI_SKIP_CONFIRMATIONS=true
  unset _pulumi_env_repo _pulumi_env_bin
else
  echo "pulumi-env.sh: scripts/ensure-pulumi failed (see above); environment unchanged" >&2
  unset _pulumi_env_repo _pulumi_env_bin
  return 1 2>/dev/null || exit 1
fi
