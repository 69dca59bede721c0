#!/usr/bin/env bash
# Back up one service (or all) to the restic repository on vps-3.
# Usage: backup.sh dolibarr|gitlab|chroma|all
#        backup.sh restore dolibarr <snapshot-date>
set -euo pipefail
export RESTIC_REPOSITORY="rest:http://10.20.0.13:8000/"
export RESTIC_PASSWORD_FILE=/etc/restic/password

backup_dolibarr() {
    docker exec dolibarr-db mariadb-dump --single-transaction -u root -p"$MARIADB_ROOT_PASSWORD" dolibarr \
        | restic backup --stdin --stdin-filename dolibarr.sql --tag dolibarr
    restic backup /var/lib/docker/volumes/dolibarr_documents --tag dolibarr
}

backup_gitlab() {
    docker exec -t gitlab gitlab-backup create STRATEGY=copy SKIP=registry
    restic backup /srv/gitlab/backups /srv/gitlab/config/gitlab-secrets.json --tag gitlab
}

case "${1:-}" in
    dolibarr) backup_dolibarr ;;
    gitlab) backup_gitlab ;;
    all) backup_dolibarr; backup_gitlab ;;
    restore)
        restic restore latest --tag "$2" --target /srv/restore
        ;;
    *) echo "usage: $0 dolibarr|gitlab|all|restore SERVICE" >&2; exit 2 ;;
esac
restic forget --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --prune
