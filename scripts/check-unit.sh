#!/usr/bin/env bash
# Checks the systemd unit Quire ships (deploy/quire.service, or the unit
# given as $1): `systemd-analyze verify` must print nothing, and
# `systemd-analyze security --offline=true` must rate its exposure OK or
# better (SAFE, PERFECT). Fails, never skips, when systemd-analyze is
# missing or too old (--offline needs systemd 252); scripts/setup.sh
# installs it (Debian package `systemd`). tests/deploy.rs runs this.
#   QUIRE_BIN   the binary ExecStart is pointed at for `verify`, which
#               checks that it exists [default: target/debug/quire]
set -euo pipefail
cd "$(dirname "$0")/.."
unit="${1:-deploy/quire.service}"

fail() { echo "check-unit: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null 2>&1 ||
  fail "systemd-analyze is missing; run scripts/setup.sh (or apt-get install systemd)"
version="$(systemd-analyze --version | awk 'NR == 1 { print $2 }')"
[ "${version:-0}" -ge 252 ] 2>/dev/null ||
  fail "systemd $version is too old for 'security --offline' (needs 252 or later)"
[ -f "$unit" ] || fail "no unit file $unit"

# `verify` checks that ExecStart's program exists. The unit names where an
# owner installs it (/usr/local/bin/quire), so a copy names this build's.
bin="${QUIRE_BIN:-target/debug/quire}"
[ -x "$bin" ] || fail "no executable $bin to stand in for /usr/local/bin/quire; build it or set QUIRE_BIN"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/local/bin/quire|$(realpath "$bin")|g" "$unit" > "$tmp/quire.service"

verify="$(systemd-analyze verify "$tmp/quire.service" 2>&1)" ||
  fail "systemd-analyze verify failed:
$verify"
[ -z "$verify" ] || fail "systemd-analyze verify warns:
$verify"

security="$(systemd-analyze security --offline=true --no-pager "$tmp/quire.service" 2>&1)" ||
  fail "systemd-analyze security failed:
$security"
overall="$(grep -m1 'Overall exposure level' <<<"$security" || true)"
[ -n "$overall" ] || fail "no overall exposure level in:
$security"
score="$(awk '{ for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+$/) { print $i " " $(i + 1); exit } }' <<<"$overall")"
level="${score#* }"
case "$level" in
  PERFECT|SAFE|OK) echo "check-unit: $unit verifies cleanly; exposure $score (systemd $version)" ;;
  *) fail "$unit's exposure is $score; it must be OK or better. What is missing:
$(grep '✗' <<<"$security")" ;;
esac
