#!/bin/sh
# A backup and restore drill for Attaché on PostgreSQL: dumps the database DATABASE_URL names
# (pg_dump, custom format), restores the dump into a new database on the same server, and checks
# the copy: the same rows in every table (the migrations applied included), and the audit chain
# whole (`attache audit verify --deep`: every entry's hash and the records it describes). Drops the copy
# and keeps the dump (its path is printed), unless KEEP_COPY=1 keeps the copy too.
#
#   DATABASE_URL=postgres://owner@host/attache scripts/backup-restore-drill.sh [dump-file]
#
# Exit 0: the backup restores to an identical, verified database. Exit 1: it does not (the first
# difference is printed). Exit 2: misuse or a tool missing. Needs pg_dump, pg_restore and psql of
# the server's major version or later, and a role that may create databases.
set -eu

fail() { echo "backup-restore-drill: $1" >&2; exit "${2:-1}"; }

[ -n "${DATABASE_URL:-}" ] || fail 'set DATABASE_URL to the database to back up' 2
for tool in pg_dump pg_restore psql node; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed" 2
done
here=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$here/dist/cli/main.js" ] || fail 'Attaché is not built: run npm install (or npm run build)' 2

dump=${1:-$(mktemp -t attache-backup.XXXXXX).dump}
copy="attache_restore_$(date +%s)_$$"
# The copy's URL: the same server and credentials, another database name.
copy_url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$DATABASE_URL" "$copy")

cleanup() {
  if [ "${KEEP_COPY:-0}" != 1 ]; then
    psql "$DATABASE_URL" -qAt -c "drop database if exists $copy" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

[ "$(psql "$DATABASE_URL" -qAt -c "select to_regclass('public.audit_log') is not null")" = t ] ||
  fail 'the database holds no Attaché tables: is DATABASE_URL the right one?' 2

echo "backing up to $dump"
pg_dump --format=custom --no-owner --file="$dump" "$DATABASE_URL"

echo "restoring into $copy"
psql "$DATABASE_URL" -qAt -c "create database $copy" >/dev/null
pg_restore --no-owner --exit-on-error --dbname="$copy_url" "$dump"

# Every table of the record and of the migrations applied, with its row count, in name order.
counts() {
  psql "$1" -qAt -c "
    select table_name || ' ' || (xpath('/row/n/text()', query_to_xml(
      format('select count(*) as n from %I.%I', table_schema, table_name), false, true, '')))[1]::text
    from information_schema.tables
    where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'
    order by table_schema, table_name"
}
# Rate counts move while servers run; they are no part of the record.
original=$(counts "$DATABASE_URL" | grep -v '^rate_counts ' || true)
restored=$(counts "$copy_url" | grep -v '^rate_counts ' || true)
if [ "$original" != "$restored" ]; then
  echo "$original" > "$dump.original-counts"
  echo "$restored" > "$dump.restored-counts"
  diff "$dump.original-counts" "$dump.restored-counts" >&2 || true
  fail 'the copy does not hold the same rows (tables above: original <, copy >)'
fi
echo "same rows in $(echo "$restored" | wc -l) tables"

DATABASE_URL="$copy_url" node "$here/bin/attache.js" audit verify --deep ||
  fail 'the audit chain of the copy does not verify'
echo "backup-restore-drill: $dump restores to an identical database whose audit chain verifies"
