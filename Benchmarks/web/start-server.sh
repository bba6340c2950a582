# Sourced by the web benchmark scripts (not run on its own): with BIN and TMP set (and optionally
# CONSENTGATE_BENCH_PAGE_SIZE), creates a caseworker token, starts `consentgate serve --demo` on a free
# loopback port with its database in $TMP, waits for its URL, writes the decision request body, and
# checks that one decision succeeds. Sets SERVER (pid), URL, TOKEN, DB; exports WRK_TOKEN and WRK_BODY for
# post-json.lua. The caller's EXIT trap stops $SERVER.
DB="$TMP/bench.sqlite"
# CONSENTGATE_BENCH_PAGE_SIZE=4096: create the file with that page size first (a file with content keeps
# its page size; AppDatabase only sets one for a new file), to compare page sizes with the same build.
if [ -n "${CONSENTGATE_BENCH_PAGE_SIZE:-}" ]; then
  sqlite3 "$DB" "PRAGMA page_size = $CONSENTGATE_BENCH_PAGE_SIZE; PRAGMA journal_mode = WAL; CREATE TABLE bench_page_size (x);" > /dev/null
fi
# `users add` opens the installation since account changes are audit-logged (--demo: the demo keys); a binary from
# before that takes only --db (the fallback, for comparing with an older build).
TOKEN=$({ "$BIN" users add --demo --db "$DB" --name bench-caseworker --role caseworker --municipality Siegburg --json 2>/dev/null \
          || "$BIN" users add --db "$DB" --name bench-caseworker --role caseworker --municipality Siegburg --json; } \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$BIN" serve --db "$DB" --demo --port 0 > "$TMP/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q "http://" "$TMP/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.out" | head -1)
cat > "$TMP/decision.json" <<'JSON'
{"subject": "RSK-BENCH-000001", "attributes": {"birth-date": "1985-03-14"}, "partner": "auslaenderbehoerde",
 "purpose": "residence-registration", "fields": ["name.family", "birth.date", "address.city", "health.notes", "contact.phone"]}
JSON
export WRK_TOKEN="$TOKEN" WRK_BODY="$TMP/decision.json"
# Sanity: the decision request succeeds.
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data @"$TMP/decision.json" "$URL/v1/decisions" > /dev/null
