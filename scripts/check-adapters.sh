#!/usr/bin/env bash
# Each foreign library is included by its one adapter module only.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() { # header allowed-file...
	local hdr=$1; shift
	local bad
	bad=$(grep -rlE "#include <$hdr" src | grep -vxF -f <(printf '%s\n' "$@") || true)
	if [ -n "$bad" ]; then
		echo "check-adapters: <$hdr...> included outside $*: $bad" >&2
		status=1
	fi
}
check 'microhttpd\.h' src/http/server.c
check 'openssl/' src/crypto/crypto.c
check 'sqlite3\.h' src/storage/sqlite.c
check 'libpq-fe\.h' src/storage/pg.c src/storage/pg_content.c src/storage/pg_internal.h
[ $status -eq 0 ] && echo "check-adapters: ok"
exit $status
