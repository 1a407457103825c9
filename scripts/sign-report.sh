#!/usr/bin/env bash
# scripts/sign-report.sh: how a client author signs a report by hand, with openssl and curl only
# (docs/api.md, "Client identity"). It makes an Ed25519 key for the report's client (kept in
# KEY_DIR), registers the key once (signed with it: proof of possession), then sends the report
# signed. The bytes sent are the bytes digested and signed: nothing may change them afterwards.
#
#   RELAY=http://127.0.0.1:8081 ENROLMENT_TOKEN=… scripts/sign-report.sh report.xml
#
# Needs openssl 3 (Ed25519 with -rawin), curl, base64, sed.
set -euo pipefail
REPORT="${1:?usage: scripts/sign-report.sh REPORT.xml (RELAY, ENROLMENT_TOKEN, KEY_DIR from the environment)}"
RELAY="${RELAY:-http://127.0.0.1:8081}"
KEY_DIR="${KEY_DIR:-.statesys/handmade-keys}"
mkdir -p "$KEY_DIR"

# The ClientID the report names (the key id must be exactly it, in GUID:<UUID> form).
CLIENT="$(iconv -f "$(head -c2 "$REPORT" | od -An -tx1 | grep -qi 'ff fe\|fe ff' && echo UTF-16 || echo UTF-8)" -t UTF-8 "$REPORT" \
  | tr -d '\r\n' | sed -n 's:.*<ClientID[^>]*>\([^<]*\)</ClientID>.*:\1:p')"
[ -n "$CLIENT" ] || { echo "no ClientID in $REPORT" >&2; exit 1; }
case "$CLIENT" in GUID:*|guid:*) ;; *) CLIENT="GUID:$CLIENT" ;; esac
KEY="$KEY_DIR/$(echo "$CLIENT" | tr -d ':').pem"
[ -f "$KEY" ] || { openssl genpkey -algorithm ed25519 -out "$KEY"; chmod 600 "$KEY"; }

# sign BODY_FILE: prints the three header lines for curl -H
sign() {
  local digest params base sig
  digest="sha-256=:$(openssl dgst -sha256 -binary "$1" | base64 -w0):"
  params="(\"content-digest\");created=$(date +%s);keyid=\"$CLIENT\";alg=\"ed25519\""
  base="$(mktemp)"
  # the signature base: two lines joined by one \n, no trailing newline
  printf '"content-digest": %s\n"@signature-params": %s' "$digest" "$params" > "$base"
  sig="$(openssl pkeyutl -sign -inkey "$KEY" -rawin -in "$base" | base64 -w0)"
  rm -f "$base"
  printf 'Content-Digest: %s\nSignature-Input: statesys=%s\nSignature: statesys=:%s:\n' "$digest" "$params" "$sig"
}

post() { # post URL BODY_FILE CONTENT_TYPE [extra header]
  local headers=() line
  while IFS= read -r line; do headers+=(-H "$line"); done < <(sign "$2")
  [ -n "${4:-}" ] && headers+=(-H "$4")
  curl -sS -w '\n%{http_code}\n' -H "Content-Type: $3" "${headers[@]}" --data-binary @"$2" "$1"
}

if [ ! -f "$KEY.registered" ]; then
  reg="$(mktemp)"
  printf '{"clientId":"%s","publicKey":"%s"}' "$CLIENT" "$(openssl pkey -in "$KEY" -pubout -outform DER | base64 -w0)" > "$reg"
  answer="$(post "$RELAY/api/v1/clients/registrations" "$reg" application/json ${ENROLMENT_TOKEN:+"Authorization: Bearer $ENROLMENT_TOKEN"})"
  rm -f "$reg"
  echo "registration: $answer" | tr '\n' ' '; echo
  case "$(echo "$answer" | tail -1)" in 200|201) touch "$KEY.registered" ;; *) exit 1 ;; esac
fi
answer="$(post "$RELAY/api/v1/statemessages" "$REPORT" text/xml)"
echo "$answer" | tr '\n' ' '; echo
[ "$(echo "$answer" | tail -1)" = 202 ]
