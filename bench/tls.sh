#!/usr/bin/env bash
# The HTTPS rows of `make bench` (issue 16): Quire against nginx with TLS
# and Caddy, in one run, on the same page bytes and the same certificate.
# bench/run.sh calls it last; alone it rewrites only its own section of
# docs/BENCHMARKS.md (between the bench/tls.sh markers).
#
#   bench/tls.sh     (QUIRE_BIN=path to benchmark another binary as is;
#                     BENCH_POSTS_TLS=N (default 1000), BENCH_TLS_SECONDS=S
#                     (default 5) per load step, BENCH_ROUNDS=R (default 3))
#
# What it measures, all on 127.0.0.1, each server pinned to CPU 1 (nginx one
# worker, Caddy's Go runtime and Quire's tokio runtime see one CPU) and the
# load generator to CPU 0, as bench/run.sh does:
# - HTTP/1.1 over TLS (h2load --h1, 50 connections) and HTTP/2 over TLS
#   (h2load, 10 connections x 5 streams: the same 50 requests in flight),
#   `/` and an article, gzip: req/s, and p99 from h2load's per-request log;
#   rounds interleaved quire, nginx, caddy, median reported;
# - new TLS handshakes per second: full TLS 1.3 handshakes (no resumption),
#   8 `openssl s_time -new` clients at once. h2load and wrk cannot give this
#   figure: on reconnecting they resume the session (checked in nginx's
#   $ssl_session_reused: 'r' on all but the first), a far cheaper handshake;
# - resident memory per 1,000 idle TLS connections (handshake done, ALPN
#   http/1.1, no request), each server before the load runs.
# Beside each round: the server's CPU use, since a server that is not busy
# was limited by the single load-generator core, not by itself.
# A missing tool is installed by scripts/setup.sh --bench; a rival that
# still cannot run stops the bench (exit 1), it is never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_POSTS_TLS:-1000}"
SECONDS_PER_RUN="${BENCH_TLS_SECONDS:-5}"
ROUNDS="${BENCH_ROUNDS:-3}"
H1_CONNECTIONS=50
H2_CONNECTIONS=10
H2_STREAMS=5
HANDSHAKE_CLIENTS=8
IDLE_CONNECTIONS=1000
BIN="${QUIRE_BIN:-dist/quire}"
NGINX="${NGINX:-/usr/sbin/nginx}"
OUT="docs/BENCHMARKS.md"
ARTICLE="/blog/post-00042"

log() { echo "bench-tls: $*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- tools
tools_present() {
  [ -x "$NGINX" ] && command -v caddy >/dev/null && command -v h2load >/dev/null &&
    command -v openssl >/dev/null
}
check_tools() {
  tools_present || scripts/setup.sh --bench || true
  [ -x "$NGINX" ] || die "needs nginx at $NGINX (apt-get install nginx-light); not skipped"
  command -v caddy >/dev/null || die "needs caddy (apt-get install caddy); not skipped"
  command -v h2load >/dev/null || die "needs h2load (apt-get install nghttp2-client)"
  command -v openssl >/dev/null || die "needs openssl (apt-get install openssl)"
  for t in curl python3 taskset; do command -v "$t" >/dev/null || die "needs $t"; done
  if [ -n "${QUIRE_BIN:-}" ]; then
    [ -x "$BIN" ] || die "no executable $BIN (QUIRE_BIN)"
    log "QUIRE_BIN=$BIN is benchmarked as is (no build stamp check)"
  else
    scripts/fresh-binary.sh "$BIN" || exit 1
  fi
  "$BIN" serve --help | grep -q -- --tls-cert || die "$BIN has no --tls-cert: not a build with HTTPS"
  BIN="$(realpath "$BIN")"
}

# ---------------------------------------------------------------- processes
work=""; quire_pid=""; nginx_pid=""; caddy_pid=""
cleanup() {
  [ -n "$quire_pid" ] && kill "$quire_pid" 2>/dev/null && wait "$quire_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [ -n "$caddy_pid" ] && kill "$caddy_pid" 2>/dev/null && wait "$caddy_pid" 2>/dev/null
  [ -n "$work" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"; }
median() { python3 -c "import sys, statistics; m=statistics.median(float(x) for x in sys.argv[1:]); print(f'{m:.0f}' if m >= 100 else f'{m:.2f}')" $1; }
wait_https() { # url what pid: up to 60 s for a 200
  for _ in $(seq 1 1200); do
    curl -skf -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || die "$2 exited; its log: $(cat "$work/$2.log" 2>/dev/null)"
    sleep 0.05
  done
  die "$2 did not answer $1 within 60 s"
}

# A self-signed ECDSA P-256 certificate (what ACME CAs and Caddy issue by
# default) for localhost and 127.0.0.1, shared by all three servers.
make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
}

start_quire() {
  python3 bench/gen-posts.py "$N" "$work/content" "$work/hugo" >/dev/null
  quire_http="127.0.0.1:$(free_port)"; quire_port="$(free_port)"
  # The default cap (1,024 connections, 7/8 of them for HTTPS) is below the
  # 1,000 idle connections plus the load; nginx gets worker_connections 4096.
  QUIRE_MAX_CONNECTIONS=4096 taskset -c 1 "$BIN" serve --content "$work/content" \
    --data "$work/data" --addr "$quire_http" --tls-addr "127.0.0.1:$quire_port" \
    --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" >"$work/quire.log" 2>&1 &
  quire_pid=$!
  wait_https "https://127.0.0.1:$quire_port/" quire "$quire_pid"
  # The search index is built in the background; load before it is done
  # would measure start-up (see bench/run.sh).
  for _ in $(seq 1 1200); do grep -q "search index ready" "$work/quire.log" && break; sleep 0.05; done
  grep -q "search index ready" "$work/quire.log" || die "quire's search index was not ready within 60 s"
}

# Quire's bytes (identity and gzip) for `/` and the article, saved as the
# static files nginx (gzip_static) and Caddy (precompressed gzip) serve.
save_pages() {
  root="$work/root"; mkdir -p "$root/blog"
  local base="https://127.0.0.1:$quire_port"
  curl -skf -o "$root/index.html" "$base/"
  curl -skf -H 'Accept-Encoding: gzip' -o "$root/index.html.gz" "$base/"
  curl -skf -o "$root$ARTICLE" "$base$ARTICLE"
  curl -skf -H 'Accept-Encoding: gzip' -o "$root$ARTICLE.gz" "$base$ARTICLE"
}

start_nginx() {
  nginx_port="$(free_port)"
  mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
worker_cpu_affinity 10;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=100;
  # nginx closes a connection after 1,000 requests by default (HTTP/1.1 and,
  # since 1.19.7, HTTP/2); Quire and Caddy do not, and h2load's timing mode
  # stops counting a client that reconnects: the same steady state for all.
  keepalive_requests 100000000;
  default_type text/html;
  gzip_static on;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    # nginx 1.22 (Debian 12) predates the 'http2 on;' directive (1.25.1):
    # the listen parameter is the same switch.
    listen 127.0.0.1:$nginx_port ssl http2;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $root;
    location / { add_header Vary Accept-Encoding; }
  }
}
EOF
  taskset -c 1 "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx.log" 2>&1 &
  nginx_pid=$!
  wait_https "https://127.0.0.1:$nginx_port/" nginx "$nginx_pid"
  nginx_worker="$(pgrep -P "$nginx_pid" | head -1)"
}

start_caddy() {
  caddy_port="$(free_port)"
  mkdir -p "$work/caddy"
  # Admin API off, no redirect listener on :80, HTTP/1.1 and HTTP/2 only (no
  # QUIC listener), the shared certificate, and a default SNI since the load
  # generators connect to 127.0.0.1 and send no server name.
  cat >"$work/caddy/Caddyfile" <<EOF
{
  admin off
  auto_https disable_redirects
  default_sni localhost
  servers {
    protocols h1 h2
  }
}
https://localhost:$caddy_port, https://127.0.0.1:$caddy_port {
  bind 127.0.0.1
  tls $work/cert.pem $work/key.pem
  root * $root
  @article path $ARTICLE
  header @article Content-Type "text/html; charset=utf-8"
  file_server {
    precompressed gzip
  }
}
EOF
  XDG_DATA_HOME="$work/caddy" XDG_CONFIG_HOME="$work/caddy" HOME="$work/caddy" \
    taskset -c 1 caddy run --adapter caddyfile --config "$work/caddy/Caddyfile" >"$work/caddy.log" 2>&1 &
  caddy_pid=$!
  wait_https "https://127.0.0.1:$caddy_port/" caddy "$caddy_pid"
}

# Every server answers the very bytes saved from Quire, gzip, on both
# protocols; a rival serving something else would make the rows meaningless.
check_same_bytes() {
  local server port proto page file
  for server in quire nginx caddy; do
    port="$(port_of "$server")"
    for proto in --http1.1 --http2; do
      for page in / "$ARTICLE"; do
        file="$root$page.gz"; [ "$page" = / ] && file="$root/index.html.gz"
        cmp -s <(curl -sk "$proto" -H 'Accept-Encoding: gzip' "https://127.0.0.1:$port$page") "$file" ||
          die "$server does not serve the saved gzip bytes of $page over ${proto#--}"
      done
    done
  done
}
port_of() { case "$1" in quire) echo "$quire_port" ;; nginx) echo "$nginx_port" ;; caddy) echo "$caddy_port" ;; esac; }
pid_of() { case "$1" in quire) echo "$quire_pid" ;; nginx) echo "$nginx_worker" ;; caddy) echo "$caddy_pid" ;; esac; }

# ---------------------------------------------------------------- memory
# Prints the RSS growth in KiB per IDLE_CONNECTIONS handshaken, idle TLS
# connections; all must still be open when RSS is read (Quire closes a
# connection idle for 10 s, so they are opened and read within that time).
idle_memory() {
  python3 - "$(pid_of "$1")" "$(port_of "$1")" "$IDLE_CONNECTIONS" <<'PY'
import socket, ssl, sys, time
pid, port, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def rss_kb():
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(["http/1.1"])
before = rss_kb()
start = time.monotonic()
conns = [ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
         for _ in range(n)]
time.sleep(1)
after = rss_kb()
elapsed = time.monotonic() - start
closed = 0
for c in conns:
    c.setblocking(False)
    try:
        closed += c.recv(1) == b""
    except ssl.SSLWantReadError:
        pass
    except OSError:
        closed += 1
if closed:
    sys.exit(f"bench-tls: {closed} of {n} idle connections were closed before RSS was read")
print(f"{after - before} {elapsed:.1f}")
PY
}

# ---------------------------------------------------------------- load
# h2load for SECONDS_PER_RUN after 1 s of warm-up; prints
# "req_per_s p99_ms server_cpu_percent". p99 comes from h2load's
# per-request log (start µs, status, duration µs), warm-up requests left out.
load() { # server proto(h1|h2) path
  local url="https://127.0.0.1:$(port_of "$1")$3" pid flags out ticks0 t0
  pid="$(pid_of "$1")"
  flags=(-t1 -c"$H1_CONNECTIONS" --h1)
  [ "$2" = h2 ] && flags=(-t1 -c"$H2_CONNECTIONS" -m"$H2_STREAMS")
  ticks0="$(cpu_ticks "$pid")"; t0="$(date +%s.%N)"
  rm -f "$work/h2load.log"
  taskset -c 0 h2load "${flags[@]}" -D "$SECONDS_PER_RUN" --warm-up-time 1 \
    -H 'Accept-Encoding: gzip' --log-file "$work/h2load.log" "$url" >"$work/h2load.out" 2>&1 ||
    die "h2load failed: $(cat "$work/h2load.out")"
  python3 - "$work/h2load.out" "$work/h2load.log" "$(( $(cpu_ticks "$pid") - ticks0 ))" "$t0" \
    "$(date +%s.%N)" "$(getconf CLK_TCK)" <<'PY' ||
import re, sys
text = open(sys.argv[1]).read()
log, ticks, t0, t1, hz = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text).group(1))
codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text).groups()
failed = re.search(r"(\d+) failed, (\d+) errored, (\d+) timeout", text).groups()
if int(codes[0]) == 0 or any(int(x) for x in codes[1:] + failed):
    sys.exit(f"bench-tls: not every request answered 2xx:\n{text}")
rows = [line.split("\t") for line in open(log) if line.strip()]
first = min(int(r[0]) for r in rows)
times = sorted(int(r[2]) for r in rows if int(r[0]) >= first + 1_000_000) or sorted(int(r[2]) for r in rows)
p99 = times[int(len(times) * 0.99) - 1] / 1000
print(f"{rps:.0f} {p99:.2f} {100 * ticks / hz / (t1 - t0):.0f}")
PY
    die "h2load's output could not be read"
}

# Full TLS 1.3 handshakes per second: HANDSHAKE_CLIENTS `openssl s_time -new`
# at once on CPU 0, each connecting, handshaking and closing in a loop (no
# request). Prints "handshakes_per_s server_cpu_percent handshakes_per_cpu_s":
# one load-generator core may not keep a server busy, so the handshakes per
# second of the server's own CPU time are given too.
handshakes() { # server
  local port pid ticks0 t0 t1 total i clients=()
  port="$(port_of "$1")"; pid="$(pid_of "$1")"
  ticks0="$(cpu_ticks "$pid")"; t0="$(date +%s.%N)"
  for i in $(seq 1 "$HANDSHAKE_CLIENTS"); do
    taskset -c 0 openssl s_time -connect "127.0.0.1:$port" -new -tls1_3 -time "$SECONDS_PER_RUN" \
      >"$work/s_time.$i" 2>&1 &
    clients+=($!)
  done
  wait "${clients[@]}" || true
  t1="$(date +%s.%N)"
  total="$(awk '/connections in .*real seconds/{n += $1} END {print n + 0}' "$work"/s_time.*)"
  [ "$total" -gt 0 ] || die "openssl s_time made no connection to $1: $(cat "$work/s_time.1")"
  python3 -c "import sys; n,t0,t1,ticks,hz=map(float,sys.argv[1:]); print(f'{n/(t1-t0):.0f} {100*ticks/hz/(t1-t0):.0f} {n/max(ticks/hz, 0.01):.0f}')" \
    "$total" "$t0" "$t1" "$(( $(cpu_ticks "$pid") - ticks0 ))" "$(getconf CLK_TCK)"
}

# ---------------------------------------------------------------- run
declare -A value cpu mem
record() { value[$1]="${value[$1]:-} $2"; cpu[$1]="${cpu[$1]:-} $3"; }

run_all() {
  local server page path proto round r p c
  for server in quire nginx caddy; do
    log "memory of $IDLE_CONNECTIONS idle TLS connections: $server"
    read -r mem[$server] idle_s < <(idle_memory "$server") || die "idle connections to $server failed"
    log "  +${mem[$server]} KiB in ${idle_s} s"
  done
  for proto in h1 h2; do
    for page in index article; do
      path=/; [ "$page" = article ] && path="$ARTICLE"
      for server in quire nginx caddy; do
        log "warm-up $server $proto $page"
        load "$server" "$proto" "$path" >/dev/null
      done
      for round in $(seq 1 "$ROUNDS"); do
        for server in quire nginx caddy; do
          read -r r p c < <(load "$server" "$proto" "$path")
          log "$server $proto $page round $round: $r req/s, p99 $p ms, server CPU $c %"
          record "$server.$proto.$page.rps" "$r" "$c"; record "$server.$proto.$page.p99" "$p" "$c"
        done
      done
    done
  done
  for round in $(seq 1 "$ROUNDS"); do
    for server in quire nginx caddy; do
      read -r r c h < <(handshakes "$server")
      log "$server handshakes round $round: $r /s, server CPU $c %, $h per CPU second"
      record "$server.handshakes" "$r" "$c"; record "$server.handshakes_cpu" "$h" "$c"
    done
  done
}

# ---------------------------------------------------------------- table
# One row: the median of each server, both ratios, and the goal (req/s at
# least 0.8x nginx's, p99 at most 1.5x nginx's) where it applies.
row() { # label key kind(rate|latency|memory) unit
  local q n c rq rc goal=""
  q="$(median "${value[quire.$2]}")"; n="$(median "${value[nginx.$2]}")"; c="$(median "${value[caddy.$2]}")"
  rq="$(ratio "$q" "$n")"; rc="$(ratio "$q" "$c")"
  case "$3" in
    rate) goal="$(python3 -c "import sys; print('met' if float(sys.argv[1]) >= 0.8 else 'not met')" "$rq")" ;;
    latency) goal="$(python3 -c "import sys; print('met' if float(sys.argv[1]) <= 1.5 else 'not met')" "$rq")" ;;
  esac
  echo "| $1 | $q$4 | $n$4 | $c$4 | $rq | $rc | $goal |"
}
table() {
  local proto page label
  echo "| HTTPS measure | Quire | nginx | Caddy | Quire/nginx | Quire/Caddy | goal ≥ 0.8× nginx req/s, p99 ≤ 1.5× |"
  echo "|---|---|---|---|---|---|---|"
  for proto in h1 h2; do
    label="HTTP/1.1 over TLS, c=$H1_CONNECTIONS"
    [ "$proto" = h2 ] && label="HTTP/2, c=$H2_CONNECTIONS × $H2_STREAMS streams"
    for page in index article; do
      row "$label, $page page, req/s (gzip, median of $ROUNDS × $SECONDS_PER_RUN s)" "$proto.$page.rps" rate ""
      row "$label, $page page, p99" "$proto.$page.p99" latency " ms"
    done
  done
  row "new TLS 1.3 handshakes/s (full, no resumption; $HANDSHAKE_CLIENTS × openssl s_time -new)" handshakes rate ""
  row "new TLS 1.3 handshakes per second of server CPU time" handshakes_cpu rate ""
  for s in quire nginx caddy; do value[$s.mem]="$(python3 -c "import sys; print(f'{int(sys.argv[1]) / 1024:.1f}')" "${mem[$s]}")"; done
  row "resident memory per $(printf "%'d" "$IDLE_CONNECTIONS") idle TLS connections (handshake done, no request; before the load)" mem memory " MB"
}
rounds_list() {
  local key s
  for key in h1.index.rps h1.index.p99 h1.article.rps h1.article.p99 h2.index.rps h2.index.p99 h2.article.rps h2.article.p99 handshakes handshakes_cpu; do
    echo "- $key:$(for s in quire nginx caddy; do printf ' %s%s (CPU%s %%);' "$s" "${value[$s.$key]}" "${cpu[$s.$key]}"; done)"
  done
}

# Replaces the text between the markers in docs/BENCHMARKS.md (or appends
# it): the rest of the file belongs to bench/run.sh.
write_section() {
  python3 - "$OUT" "$1" <<'PY'
import re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().strip("\n")
begin, end = "<!-- bench/tls.sh begin -->", "<!-- bench/tls.sh end -->"
block = f"{begin}\n{section}\n{end}"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
if begin in text and end in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
}

main() {
  check_tools
  work="$(mktemp -d)"
  local load_before; load_before="$(cut -d' ' -f1 /proc/loadavg)"
  make_certificate
  start_quire; save_pages; start_nginx; start_caddy; check_same_bytes
  run_all
  local tbl note cmd="bench/tls.sh" v built=""
  for v in BENCH_ROUNDS BENCH_TLS_SECONDS BENCH_POSTS_TLS QUIRE_BIN; do
    [ -z "${!v:-}" ] || cmd="$v=${!v} $cmd"
  done
  [ -f "$BIN.stamp" ] && built=" built at commit $(sed -n 's/^commit=\(.\{7\}\).*/\1/p' "$BIN.stamp")"
  tbl="$(table)"
  note="$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(basename "$BIN")$built ($N posts), nginx $("$NGINX" -v 2>&1 | sed 's|.*/||'), Caddy $(caddy version | cut -d' ' -f1), $(h2load --version | head -1), $(openssl version | cut -d' ' -f1-2), self-signed ECDSA P-256 certificate, load on CPU 0, servers on CPU 1, load average $load_before before and $(cut -d' ' -f1 /proc/loadavg) after"
  {
    echo "## HTTPS: Quire, nginx and Caddy"
    echo
    echo "Measured by \`$cmd\` (also run by \`make bench\`), which writes this section; see the script for the method."
    echo
    echo "$tbl"
    echo
    echo "Every round (req/s, ms or handshakes/s, in the order run; the server's CPU use in % of one core beside each):"
    echo
    rounds_list
    echo
    echo "($note)"
  } >"$work/section.md"
  write_section "$work/section.md"
  cat "$work/section.md"
}
main "$@"
