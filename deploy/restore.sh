#!/usr/bin/env bash
# Restore a backup made by backup.sh into the database of DATABASE_URL and into MEDIA_ROOT.
#
#   deploy/restore.sh DUMP MEDIA_TARBALL
#
# The database may be empty (a fresh `createdb`) or the one in use: its tables are replaced.
# MEDIA_ROOT is replaced too; what was there is kept beside it as MEDIA_ROOT.before-restore-*.
# Stop the service first (systemctl stop lvliang-eco) and start it afterwards.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 DUMP MEDIA_TARBALL" >&2
    exit 2
fi
dump=$1
media=$2
# shellcheck source=deploy/load-env.sh
. "$(dirname "$0")/load-env.sh"

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
    --dbname="$DATABASE_URL" "$dump"

if [[ -d "$MEDIA_ROOT" ]] && [[ -n "$(ls -A "$MEDIA_ROOT")" ]]; then
    mv "$MEDIA_ROOT" "$MEDIA_ROOT.before-restore-$(date +%Y%m%d-%H%M%S)"
fi
mkdir -p "$MEDIA_ROOT"
tar --extract --gzip --file="$media" --directory="$MEDIA_ROOT"
echo "restored $dump and $media"
