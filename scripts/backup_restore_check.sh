#!/usr/bin/env bash
# Back up the portal's PostgreSQL database, restore the backup into a fresh database
# and prove that the copy holds the same data: the portal's own exports
# (export_counts for every measure, export_policy for every municipality), the row
# count of every table and the position of every sequence must be identical.
#
#   scripts/backup_restore_check.sh [--source URL] [--file PATH] [--target NAME] [--keep]
#   scripts/backup_restore_check.sh --compare-only SOURCE_URL TARGET_URL_OR_NAME
#
#   --source URL    the database to back up (default: $DATABASE_URL); postgres:// only
#   --file PATH     write the backup there and keep it (must not exist yet); without it
#                   the backup goes to a temporary folder and is deleted at the end
#   --target NAME   name of the database to restore into; it must not exist yet
#                   (default: <source name>_restorecheck_<YYYYmmddHHMMSS>)
#   --keep          keep the restored database instead of dropping it at the end
#   --compare-only  only compare two existing databases (the second as a URL, or as a
#                   database name on the first one's server)
#
# Exit status: 0 when the copy is identical, 1 when anything differs (each difference
# is named), 2 on wrong usage, 3 when a step fails (pg_dump, createdb, pg_restore or an
# export; its own message is shown above ours).
#
# The role in the URL needs the CREATEDB privilege (or use a superuser's URL).
# pg_dump and pg_restore must be at least as new as the server. Environment:
#   PORTAL_PYTHON   the Python that runs manage.py (default: .venv/bin/python, else python3)
# The source should be quiet while the check runs: a row written between the backup and
# the export of the source (a ballot, a new user) shows up as a difference.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PORTAL_PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PORTAL_PYTHON=.venv/bin/python; else PORTAL_PYTHON=python3; fi
fi

usage() {
  # The comment block at the top of this file.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
}

die() {
  echo "backup_restore_check: $*" >&2
  exit "${DIE_STATUS:-3}"
}

# url_tool MODE URL [NAME]: name (the database name), show (URL without password),
# with-db (the URL pointing at database NAME on the same server), check (scheme).
url_tool() {
  "$PORTAL_PYTHON" - "$@" <<'PY'
import sys
from urllib.parse import quote, unquote, urlsplit, urlunsplit

mode, url, *rest = sys.argv[1:]
parts = urlsplit(url)
if parts.scheme not in ("postgres", "postgresql"):
    sys.exit(f"not a PostgreSQL URL (postgres://…): scheme {parts.scheme!r}")
if mode == "name":
    print(unquote(parts.path.lstrip("/")))
elif mode == "show":
    host = parts.hostname or "localhost"
    print(f"{unquote(parts.path.lstrip('/'))} on {host}:{parts.port or 5432}")
elif mode == "with-db":
    print(urlunsplit(parts._replace(path="/" + quote(rest[0], safe=""))))
PY
}

# export_snapshot URL DIR: the portal's exports, row counts and sequences of the
# database at URL, one file each, written by manage.py with DATABASE_URL=URL.
# REDIS_URL is unset so that no shared cache can answer for either database.
export_snapshot() {
  mkdir -p "$2"
  env -u REDIS_URL DATABASE_URL="$1" RESTORECHECK_OUT="$2" \
    "$PORTAL_PYTHON" manage.py shell --no-imports -c '
import io
import json
import os
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from registry.constants import Measure
from registry.models import Municipality

out = Path(os.environ["RESTORECHECK_OUT"])


def export(file_name, command, **options):
    # The command writes JSON; laid out again, one value a line, so a diff reads well.
    output = io.StringIO()
    call_command(command, stdout=output, **options)
    text = json.dumps(json.loads(output.getvalue()), ensure_ascii=False, indent=1)
    (out / file_name).write_text(text + "\n", encoding="utf-8")


for measure in Measure.values:
    export(f"export_counts --measure {measure}", "export_counts", measure=measure, fmt="json")
codes = sorted(Municipality.objects.values_list("code", flat=True))
(out / "municipality codes").write_text("".join(f"{code}\n" for code in codes))
for code in codes:
    export(f"export_policy --municipality {code}", "export_policy", municipality=code)
# Sessions come and go with every login; everything else must match.
tables = sorted(t for t in connection.introspection.table_names() if t != "django_session")
with connection.cursor() as cursor:
    counts = []
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        counts.append(f"{table}\t{cursor.fetchone()[0]}\n")
    cursor.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
    )
    # Sorted here, by code point, as join expects (the database collation may differ).
    sequences = [f"{name}\t{value}\n" for name, value in sorted(cursor.fetchall())]
(out / "row counts").write_text("".join(counts))
(out / "sequences").write_text("".join(sequences))
' >/dev/null
}

# compare SOURCE_URL TARGET_URL WORKDIR: exit 1 naming every difference.
compare() {
  local src_url=$1 dst_url=$2 work=$3 differences=0 name
  echo "== exporting the source ($(url_tool show "$src_url"))"
  echo "== exporting the copy ($(url_tool show "$dst_url"))"
  # Both at once: each is one Django process.
  local src_pid dst_pid
  export_snapshot "$src_url" "$work/source" &
  src_pid=$!
  export_snapshot "$dst_url" "$work/copy" &
  dst_pid=$!
  wait "$src_pid" || die "exporting the source failed (see the message above)"
  wait "$dst_pid" || die "exporting the copy failed (see the message above)"
  echo "== comparing"
  local tables
  tables=$(wc -l <"$work/source/row counts")
  # Files that exist on one side only.
  while IFS= read -r name; do
    echo "DIFFERENT: '$name' exists for one database only" >&2
    differences=$((differences + 1))
  done < <(LC_ALL=C comm -3 <(LC_ALL=C ls "$work/source") <(LC_ALL=C ls "$work/copy") |
    sed 's/^\t//')
  # Row counts and sequences, per table: name them with both values.
  local lines
  for name in "row counts" "sequences"; do
    [ -f "$work/copy/$name" ] || continue
    lines=$(LC_ALL=C join -t $'\t' -a1 -a2 -e missing -o 0,1.2,2.2 \
      "$work/source/$name" "$work/copy/$name" |
      awk -F '\t' -v what="$name" '$2 != $3 {
        printf "DIFFERENT: %s: %s: source %s, copy %s\n", what, $1, $2, $3 }')
    if [ -n "$lines" ]; then
      echo "$lines" >&2
      differences=$((differences + $(wc -l <<<"$lines")))
    fi
  done
  # The exports: show the start of each diff.
  local file
  for file in "$work/source"/export_* "$work/source/municipality codes"; do
    name=$(basename "$file")
    [ -f "$work/copy/$name" ] || continue
    if ! cmp -s "$file" "$work/copy/$name"; then
      echo "DIFFERENT: $name (first lines of the diff, source → copy):" >&2
      diff -U 8 --label source --label copy "$file" "$work/copy/$name" | head -n 30 >&2 || true
      differences=$((differences + 1))
    fi
  done
  local exports
  exports=$(find "$work/source" -name 'export_*' | wc -l)
  if [ "$differences" -gt 0 ]; then
    echo "FAIL: the copy differs from the source in $differences place(s), listed above." >&2
    return 1
  fi
  echo "OK: $exports exports, $tables table row counts and the sequences are identical."
}

SOURCE_URL=${DATABASE_URL:-}
BACKUP_FILE=""
TARGET=""
KEEP=0
COMPARE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE_URL=${2:?--source needs a URL}; shift 2 ;;
    --file) BACKUP_FILE=${2:?--file needs a path}; shift 2 ;;
    --target) TARGET=${2:?--target needs a name}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --compare-only)
      [ $# -ge 3 ] || usage
      COMPARE_ONLY=1; SOURCE_URL=$2; TARGET=$3; shift 3 ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

[ -n "$SOURCE_URL" ] || DIE_STATUS=2 die "no source: set DATABASE_URL or pass --source URL"
url_tool check "$SOURCE_URL" || DIE_STATUS=2 die "the source must be a PostgreSQL URL"
SOURCE_DB=$(url_tool name "$SOURCE_URL")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/restorecheck.XXXXXX")
CREATED=0
cleanup() {
  local status=$?
  # An export still running when another step failed.
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$CREATED" = 1 ] && [ "$KEEP" = 0 ]; then
    dropdb --maintenance-db="$SOURCE_URL" --if-exists "$TARGET" ||
      echo "backup_restore_check: could not drop $TARGET; drop it by hand" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

if [ "$COMPARE_ONLY" = 1 ]; then
  if [[ "$TARGET" == *://* ]]; then TARGET_URL=$TARGET; else TARGET_URL=$(url_tool with-db "$SOURCE_URL" "$TARGET"); fi
  compare "$SOURCE_URL" "$TARGET_URL" "$WORK"
  exit
fi

STAMP=$(date +%Y%m%d%H%M%S)
if [ -z "$TARGET" ]; then
  # PostgreSQL cuts names at 63 bytes; keep the suffix whole.
  TARGET="${SOURCE_DB:0:35}_restorecheck_$STAMP"
fi
[ "${#TARGET}" -le 63 ] || DIE_STATUS=2 die "database name longer than 63 characters: $TARGET"
[ "$TARGET" != "$SOURCE_DB" ] || DIE_STATUS=2 die "the target must not be the source database"
TARGET_URL=$(url_tool with-db "$SOURCE_URL" "$TARGET")

if [ -n "$BACKUP_FILE" ]; then
  [ ! -e "$BACKUP_FILE" ] || DIE_STATUS=2 die "$BACKUP_FILE exists already; not overwriting a backup"
else
  BACKUP_FILE="$WORK/$SOURCE_DB.dump"
fi

started=$SECONDS
echo "== backing up $(url_tool show "$SOURCE_URL") to $BACKUP_FILE"
pg_dump --format=custom --file="$BACKUP_FILE" --dbname="$SOURCE_URL" ||
  die "pg_dump failed (see its message above)"

echo "== creating the fresh database $TARGET"
createdb --maintenance-db="$SOURCE_URL" "$TARGET" ||
  die "could not create database $TARGET (does it exist already? does the role have CREATEDB?)"
CREATED=1

echo "== restoring into $TARGET"
pg_restore --no-owner --exit-on-error --dbname="$TARGET_URL" "$BACKUP_FILE" ||
  die "pg_restore into $TARGET failed (see its message above)"

compare "$SOURCE_URL" "$TARGET_URL" "$WORK"

echo "== summary"
echo "backup:   $BACKUP_FILE ($(du -h "$BACKUP_FILE" | cut -f1))$([ "$BACKUP_FILE" = "$WORK/$SOURCE_DB.dump" ] && echo ', deleted now')"
if [ "$KEEP" = 1 ]; then
  echo "restored: $TARGET (kept: drop it with dropdb when done)"
else
  echo "restored: $TARGET (dropped now)"
fi
echo "result:   the restored copy matches the source ($((SECONDS - started)) s)"
