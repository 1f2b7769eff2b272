# Sourced by backup.sh and restore.sh: DATABASE_URL and MEDIA_ROOT from the environment, else
# from ENV_FILE (/etc/lvliang-eco/lvliang-eco.env, the service's environment file).
env_file=${ENV_FILE:-/etc/lvliang-eco/lvliang-eco.env}
if [[ -z "${DATABASE_URL:-}" || -z "${MEDIA_ROOT:-}" ]] && [[ -r "$env_file" ]]; then
    set -a
    # shellcheck disable=SC1090
    . "$env_file"
    set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set (nor in $env_file)}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set (nor in $env_file)}"
