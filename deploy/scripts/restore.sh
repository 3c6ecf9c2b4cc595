#!/usr/bin/env bash
# Restore a PromptSentinel backup made by backup.sh.
#
#   restore.sh --stamp 20260101T020000Z [--from DIR] [--s3 s3://bucket/prefix]
#   restore.sh --redis FILE.jsonl.gz [--config FILE.tar.gz]
#   options: [--config-dest DIR] [--keep-existing] [--delete-others] [--dry-run]
#
# Redis keys are put back with RESTORE ... REPLACE ABSTTL over the normal connection
# (REDIS_URL or REDIS_CLUSTER + REDIS_PASSWORD), so Redis keeps running and the service
# does not need to be stopped; keys that expired since the backup are skipped.
# --keep-existing leaves keys that exist alone; --delete-others removes keys under the
# prefix that are not in the backup (a point-in-time restore).
# The configuration is unpacked into --config-dest (default ./restored-<stamp>), never over
# a live directory unless you name it; re-create the ConfigMap / volume from there and
# restart the service.  Both files are checked against their .sha256 first.
# --dry-run verifies the files and reports what would change, changing nothing.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-python3}
FROM=${BACKUP_DIR:-/backup}
S3_URI=${BACKUP_S3_URI:-}
STAMP="" REDIS_FILE="" CONFIG_FILE_IN="" CONFIG_DEST="" DRY_RUN=0
SNAPSHOT_ARGS=()

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --stamp) STAMP=$2; shift ;;
    --from) FROM=$2; shift ;;
    --s3) S3_URI=$2; shift ;;
    --redis) REDIS_FILE=$2; shift ;;
    --config) CONFIG_FILE_IN=$2; shift ;;
    --config-dest) CONFIG_DEST=$2; shift ;;
    --keep-existing) SNAPSHOT_ARGS+=(--keep-existing) ;;
    --delete-others) SNAPSHOT_ARGS+=(--delete-others) ;;
    --dry-run) DRY_RUN=1; SNAPSHOT_ARGS+=(--dry-run) ;;
    -h|--help) usage 0 ;;
    *) echo "restore.sh: unknown argument $1" >&2; usage 2 ;;
  esac
  shift
done

if [ -n "$STAMP" ]; then
  case "$STAMP" in *[!0-9TZ]*) echo "restore.sh: --stamp looks like 20260101T020000Z" >&2; exit 2 ;; esac
  REDIS_FILE=${REDIS_FILE:-$FROM/promptsentinel-redis-$STAMP.jsonl.gz}
  CONFIG_FILE_IN=${CONFIG_FILE_IN:-$FROM/promptsentinel-config-$STAMP.tar.gz}
  if [ -n "$S3_URI" ]; then
    mkdir -p "$FROM"
    for f in "$REDIS_FILE" "$CONFIG_FILE_IN"; do
      for g in "$f" "$f.sha256"; do
        [ -f "$g" ] || aws s3 cp "${S3_URI%/}/$(basename "$g")" "$g" --only-show-errors || true
      done
    done
  fi
elif [ -z "$REDIS_FILE" ] && [ -z "$CONFIG_FILE_IN" ]; then
  echo "restore.sh: give --stamp, or --redis and/or --config" >&2
  usage 2
fi

verify() {  # the file and its checksum must both be there and agree
  [ -f "$1" ] || { echo "restore.sh: $1 not found" >&2; exit 1; }
  if [ -f "$1.sha256" ]; then
    (cd "$(dirname "$1")" && sha256sum --quiet -c "$(basename "$1").sha256") \
      || { echo "restore.sh: $1 does not match its checksum" >&2; exit 1; }
  else
    echo "restore.sh: warning: no $1.sha256, integrity not checked" >&2
  fi
}

if [ -n "$REDIS_FILE" ]; then
  if [ -n "$STAMP" ] && [ ! -f "$REDIS_FILE" ]; then
    echo "no Redis backup for $STAMP: skipped"
  else
    verify "$REDIS_FILE"
    "$PYTHON" "$HERE/redis_snapshot.py" restore --in "$REDIS_FILE" "${SNAPSHOT_ARGS[@]}"
  fi
fi

if [ -n "$CONFIG_FILE_IN" ]; then
  verify "$CONFIG_FILE_IN"
  CONFIG_DEST=${CONFIG_DEST:-./restored-${STAMP:-$(date -u +%Y%m%dT%H%M%SZ)}}
  if [ "$DRY_RUN" = 1 ]; then
    echo "dry run: would unpack into $CONFIG_DEST:"
    tar -tzf "$CONFIG_FILE_IN" | sed 's/^/  /'
  else
    mkdir -p "$CONFIG_DEST"
    tar -xzf "$CONFIG_FILE_IN" -C "$CONFIG_DEST" --no-same-owner
    echo "configuration unpacked into $CONFIG_DEST"
  fi
fi
echo "restore done"
