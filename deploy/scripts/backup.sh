#!/usr/bin/env bash
# Back up PromptSentinel's Redis keys (API keys, rate limits, cache) and its configuration.
#
#   backup.sh [--dry-run] [--dest DIR] [--config-dir DIR] [--keys-file FILE]
#             [--retention-days N] [--s3 s3://bucket/prefix]
#
# Redis: a logical backup of the keys under REDIS_KEY_PREFIX (default promptsentinel:)
# with DUMP/RESTORE (redis_snapshot.py; why not an RDB file is explained there), read from
# REDIS_URL or REDIS_CLUSTER (+ REDIS_PASSWORD / REDIS_PASSWORD_FILE), the service's own
# variables; skipped when neither is set (embedded state lives in the processes).
# Configuration: a tarball of CONFIG_DIR (default /app/config) and, if given, the API keys
# file (it holds plaintext keys: the backup directory is created private, files 0600).
# Each file gets a .sha256 beside it.  --s3 (or BACKUP_S3_URI) uploads them with the AWS
# CLI; files older than --retention-days (default 30) are deleted from DEST.
# --dry-run prints what would be done and counts the keys, writing and deleting nothing.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-python3}
DEST=${BACKUP_DIR:-/backup}
CONFIG_DIR=${CONFIG_DIR:-/app/config}
KEYS_FILE=${API_KEYS_FILE:-}
RETENTION_DAYS=${RETENTION_DAYS:-30}
S3_URI=${BACKUP_S3_URI:-}
DRY_RUN=0

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --dest) DEST=$2; shift ;;
    --config-dir) CONFIG_DIR=$2; shift ;;
    --keys-file) KEYS_FILE=$2; shift ;;
    --retention-days) RETENTION_DAYS=$2; shift ;;
    --s3) S3_URI=$2; shift ;;
    -h|--help) usage 0 ;;
    *) echo "backup.sh: unknown argument $1" >&2; usage 2 ;;
  esac
  shift
done
case "$RETENTION_DAYS" in ''|*[!0-9]*) echo "backup.sh: --retention-days must be a number" >&2; exit 2 ;; esac

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REDIS_OUT="$DEST/promptsentinel-redis-$STAMP.jsonl.gz"
CONFIG_OUT="$DEST/promptsentinel-config-$STAMP.tar.gz"
run() { if [ "$DRY_RUN" = 1 ]; then echo "dry run: $*"; else "$@"; fi; }

umask 077
[ "$DRY_RUN" = 1 ] || mkdir -p "$DEST"
written=()

if [ -n "${REDIS_URL:-}" ] || [ -n "${REDIS_CLUSTER:-}" ]; then
  if [ "$DRY_RUN" = 1 ]; then
    "$PYTHON" "$HERE/redis_snapshot.py" dump --dry-run
  else
    "$PYTHON" "$HERE/redis_snapshot.py" dump --out "$REDIS_OUT"
    written+=("$REDIS_OUT")
  fi
else
  echo "no REDIS_URL or REDIS_CLUSTER: no shared state to back up"
fi

if [ -d "$CONFIG_DIR" ]; then
  members=(-C "$(dirname "$CONFIG_DIR")" "$(basename "$CONFIG_DIR")")
  if [ -n "$KEYS_FILE" ]; then
    [ -f "$KEYS_FILE" ] || { echo "backup.sh: keys file $KEYS_FILE not found" >&2; exit 1; }
    members+=(-C "$(dirname "$KEYS_FILE")" "$(basename "$KEYS_FILE")")
  fi
  run tar -czf "$CONFIG_OUT" "${members[@]}"
  [ "$DRY_RUN" = 1 ] || written+=("$CONFIG_OUT")
else
  echo "no configuration directory $CONFIG_DIR: skipped"
fi

for f in "${written[@]}"; do
  (cd "$(dirname "$f")" && sha256sum "$(basename "$f")" > "$(basename "$f").sha256")
  echo "wrote $f"
done

if [ -n "$S3_URI" ]; then
  for f in "${written[@]}"; do
    run aws s3 cp "$f" "${S3_URI%/}/" --only-show-errors
    run aws s3 cp "$f.sha256" "${S3_URI%/}/" --only-show-errors
  done
  [ "$DRY_RUN" = 0 ] || echo "dry run: aws s3 cp <files> ${S3_URI%/}/"
fi

if [ -d "$DEST" ]; then
  if [ "$DRY_RUN" = 1 ]; then
    find "$DEST" -maxdepth 1 -type f -name 'promptsentinel-*' -mtime +"$RETENTION_DAYS" \
      -exec echo "dry run: would delete" {} \;
  else
    find "$DEST" -maxdepth 1 -type f -name 'promptsentinel-*' -mtime +"$RETENTION_DAYS" -delete
  fi
fi
echo "backup $STAMP done"
