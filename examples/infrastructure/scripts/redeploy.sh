#!/usr/bin/env bash
# Pull and restart one compose project: redeploy.sh dolibarr
set -euo pipefail
service="${1:?usage: redeploy.sh SERVICE}"
cd "/srv/compose/${service}"
git pull --ff-only
docker compose pull
docker compose up -d --remove-orphans
docker compose ps
