#!/usr/bin/env bash
# ClimaGuru database backup and restore.
#
#   backup.sh                  dump, gzip, verify, then prune dumps older than BACKUP_KEEP_DAYS
#   backup.sh --restore FILE   verify FILE, ask for the database name (terminal or first line
#                              of stdin), safety dump, recreate the database from FILE
#
# Environment:
#   BACKUP_MYSQL_CNF   option file: [client] user=, password= (never as arguments), and
#                      host=/port= (plus ssl-ca= ...) when the server is not on this host's
#                      socket; default /etc/climaguru/backup.my.cnf
#   RESTORE_MYSQL_CNF  option file for --restore (needs CREATE/DROP on the database);
#                      default: BACKUP_MYSQL_CNF
#   BACKUP_DATABASE    default climaguru
#   BACKUP_DIR         default /var/backups/climaguru
#   BACKUP_KEEP_DAYS   default 14
# Exit status is non-zero on any failure; an incomplete dump never gets its final name.
set -Eeuo pipefail
umask 077
trap 'log "ERROR: command failed with status $? (line $LINENO)"' ERR

BACKUP_MYSQL_CNF="${BACKUP_MYSQL_CNF:-/etc/climaguru/backup.my.cnf}"
RESTORE_MYSQL_CNF="${RESTORE_MYSQL_CNF:-$BACKUP_MYSQL_CNF}"
BACKUP_DATABASE="${BACKUP_DATABASE:-climaguru}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/climaguru}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
PREFIX="${BACKUP_DATABASE}"
PARTIAL=""      # global: the EXIT trap runs outside the function that sets it
LAST_BACKUP=""  # set by backup()
trap '[[ -z "$PARTIAL" ]] || rm -f -- "$PARTIAL"' EXIT

log() { printf '%s backup.sh: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    sed -n '2,17s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

# MariaDB >= 10.5 ships mariadb-dump/mariadb; MySQL only mysqldump/mysql.
pick() { command -v "$1" || command -v "$2" || die "neither $1 nor $2 is installed"; }

check_cnf() {
    local cnf="$1"
    [[ -f "$cnf" && -r "$cnf" ]] || die "option file $cnf is missing or unreadable"
    [[ -z "$(find "$cnf" -perm /o+rwx)" ]] || die "option file $cnf is accessible to others (chmod 600)"
}

# A dump is good when the gzip is intact and mysqldump wrote its final "-- Dump completed" line.
verify() {
    local file="$1"
    gzip -t -- "$file" || die "$file: gzip integrity check failed"
    gzip -dc -- "$file" | tail -n 1 | grep -q '^-- Dump completed' \
        || die "$file: dump is incomplete (no '-- Dump completed' trailer)"
}

backup() {
    [[ "$BACKUP_KEEP_DAYS" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP_DAYS must be a positive integer"
    [[ "$BACKUP_DATABASE" =~ ^[A-Za-z0-9_]+$ ]] || die "BACKUP_DATABASE has unexpected characters"
    check_cnf "$BACKUP_MYSQL_CNF"
    local dump
    dump="$(pick mariadb-dump mysqldump)"
    mkdir -p -- "$BACKUP_DIR"  # 0700 through the umask

    # One run at a time.
    exec 9>"$BACKUP_DIR/.lock"
    flock -n 9 || die "another backup is running"

    local final
    final="$BACKUP_DIR/${PREFIX}-$(date -u +%Y%m%dT%H%M%SZ).sql.gz"
    [[ ! -e "$final" ]] || die "$final already exists"
    PARTIAL="$(mktemp "$BACKUP_DIR/.${PREFIX}.XXXXXX.partial")"

    log "dumping $BACKUP_DATABASE to $final"
    # --defaults-extra-file must come first. --single-transaction gives a consistent InnoDB
    # snapshot without locking; --no-tablespaces avoids needing the PROCESS privilege;
    # --skip-add-locks lets the application account restore (no LOCK TABLES privilege).
    "$dump" --defaults-extra-file="$BACKUP_MYSQL_CNF" \
        --single-transaction --routines --triggers --hex-blob \
        --default-character-set=utf8mb4 --no-tablespaces --skip-add-locks \
        -- "$BACKUP_DATABASE" | gzip -9 >"$PARTIAL"
    chmod 0600 -- "$PARTIAL"
    verify "$PARTIAL"
    mv -- "$PARTIAL" "$final"
    PARTIAL=""
    LAST_BACKUP="$final"
    log "ok: $final ($(stat -c %s -- "$final") bytes)"

    # Prune only after a good dump, so failing backups never eat the last good ones, and never
    # the dump just written (even if the clock went backwards). Safety dumps taken by
    # --restore (PREFIX-before-restore-*) age out the same way.
    find "$BACKUP_DIR" -maxdepth 1 -type f -name "${PREFIX}-*.sql.gz" ! -name "${final##*/}" \
        -mtime "+$((BACKUP_KEEP_DAYS - 1))" -print -delete | while read -r old; do
        log "removed old backup $old"
    done
}

restore() {
    local file="$1"
    [[ -f "$file" ]] || die "no such file: $file"
    [[ "$BACKUP_DATABASE" =~ ^[A-Za-z0-9_]+$ ]] || die "BACKUP_DATABASE has unexpected characters"
    check_cnf "$RESTORE_MYSQL_CNF"
    local client
    client="$(pick mariadb mysql)"
    verify "$file"

    if command -v systemctl >/dev/null && systemctl is-active --quiet climaguru.service 2>/dev/null
    then
        die "climaguru.service is running; stop it first: systemctl stop climaguru"
    fi
    log "this DROPS database '$BACKUP_DATABASE' and recreates it from $file"
    # The confirmation is the database name, typed at the terminal or given as the first line
    # of stdin (a scripted rehearsal: echo climaguru | backup.sh --restore FILE). Anything
    # else, including an empty stdin, changes nothing.
    local answer=""
    read -r -p "Type the database name ($BACKUP_DATABASE) to continue: " answer || true
    [[ "$answer" == "$BACKUP_DATABASE" ]] || die "not confirmed; nothing changed"

    local sql=("$client" --defaults-extra-file="$RESTORE_MYSQL_CNF" --default-character-set=utf8mb4)
    local exists
    exists="$("${sql[@]}" -N -e "SELECT 1 FROM information_schema.SCHEMATA
                                  WHERE SCHEMA_NAME = '$BACKUP_DATABASE'")"
    if [[ -n "$exists" ]]; then
        log "safety dump of the current database first"
        PREFIX="${BACKUP_DATABASE}-before-restore" backup
    fi
    "${sql[@]}" -e "DROP DATABASE IF EXISTS \`$BACKUP_DATABASE\`;
        CREATE DATABASE \`$BACKUP_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    if ! gzip -dc -- "$file" | "${sql[@]}" -- "$BACKUP_DATABASE"; then
        die "restore FAILED; the database is incomplete.${LAST_BACKUP:+ Previous data: $LAST_BACKUP}"
    fi
    log "restored $file into $BACKUP_DATABASE; start the service (it runs 'climaguru db upgrade')"
}

case "${1:-}" in
    "") backup ;;
    --restore) [[ $# -eq 2 ]] || usage; restore "$2" ;;
    -h | --help) usage ;;
    *) usage ;;
esac
