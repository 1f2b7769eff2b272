#!/usr/bin/env bash
# Back up lvliang-eco: the PostgreSQL database (pg_dump, custom format) and the uploaded files
# (MEDIA_ROOT as a tarball), side by side with one timestamp.
#
#   deploy/backup.sh [DEST]          DEST defaults to /var/backups/lvliang-eco
#
# DATABASE_URL and MEDIA_ROOT come from the environment, else from ENV_FILE
# (/etc/lvliang-eco/lvliang-eco.env). Prints the two files it wrote. Restore with restore.sh.
set -euo pipefail

# shellcheck source=deploy/load-env.sh
. "$(dirname "$0")/load-env.sh"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "backup.sh backs up PostgreSQL only; DATABASE_URL is $DATABASE_URL" >&2; exit 2 ;;
esac

dest=${1:-/var/backups/lvliang-eco}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$dest"
dump="$dest/lvliang-eco-$stamp.dump"
media="$dest/lvliang-eco-media-$stamp.tar.gz"

pg_dump --format=custom --no-owner --no-privileges --file="$dump" --dbname="$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar --create --gzip --file="$media" --directory="$MEDIA_ROOT" .

echo "$dump"
echo "$media"
