# shellcheck shell=bash
# Shared settings and helpers for hack/test-env.sh. Sourced, not run.
#
# Everything that is built lives in versioned directories under $RIFFLE_CACHE
# (default ~/.cache/riffle), everything that runs writes under $RIFFLE_RUN_DIR
# (default $RIFFLE_CACHE/run): pids/, logs/, data, PKI, kubeconfig and the env file.

RIFFLE_ROOT=${RIFFLE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RIFFLE_CACHE=${RIFFLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/riffle}
RIFFLE_RUN_DIR=${RIFFLE_RUN_DIR:-$RIFFLE_CACHE/run}
TOOLS_DIR=$RIFFLE_ROOT/hack/tools

# Versions. Changing one makes the next `up` build into a new cache directory.
KAFKA_VERSION=4.4.0
K8S_VERSION=v1.36.3
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0
VERSITYGW_VERSION=v1.8.0
HELM_VERSION=v3.22.0

# Fixed loopback ports (below the Linux ephemeral range 32768-60999); each can be overridden.
KAFKA_PORT=${RIFFLE_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${RIFFLE_KAFKA_CONTROLLER_PORT:-19093}
S3_PORT=${RIFFLE_S3_PORT:-19000}
ETCD_PORT=${RIFFLE_ETCD_PORT:-12379}
ETCD_PEER_PORT=${RIFFLE_ETCD_PEER_PORT:-12380}
APISERVER_PORT=${RIFFLE_APISERVER_PORT:-16443}
KCM_PORT=${RIFFLE_KCM_PORT:-17257}
SCHEDULER_PORT=${RIFFLE_SCHEDULER_PORT:-17259}
KWOK_PORT=${RIFFLE_KWOK_PORT:-17247}

S3_BUCKET=${RIFFLE_S3_BUCKET:-riffle-test}
S3_ACCESS_KEY=riffle-test-access
S3_SECRET_KEY=riffle-test-secret-key
S3_REGION=us-east-1

PIDS_DIR=$RIFFLE_RUN_DIR/pids
LOGS_DIR=$RIFFLE_RUN_DIR/logs
ENV_FILE=$RIFFLE_RUN_DIR/env

log() { printf '[test-env %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[test-env] ERROR: %s\n' "$*" >&2
  exit 1
}

# Heavy builds yield to whatever else runs on the machine's two cores.
nice_run() { nice -n 10 "$@"; }

# require_toolchains: stop with one message naming everything that must be installed.
require_toolchains() {
  local missing=() t
  local -A hint=(
    [go]='Go >= 1.26 (the machine image has it in /usr/local/go/bin; Debian'"'"'s golang package is too old)'
    [java]='a JDK >= 17 (apt-get install openjdk-17-jdk-headless)'
    [mvn]='Maven (apt-get install maven)'
    [openssl]='openssl (apt-get install openssl)'
    [curl]='curl (apt-get install curl)'
  )
  for t in go java mvn openssl curl; do
    command -v "$t" >/dev/null 2>&1 || missing+=("${hint[$t]}")
  done
  if ((${#missing[@]})); then
    local IFS=';'
    die "missing toolchain — install: ${missing[*]}; then run hack/test-env.sh up again"
  fi
  local gov
  gov=$(go env GOVERSION)
  case $gov in
  go1.2[6-9]* | go1.[3-9]* | go[2-9]*) ;;
  *) die "go $gov is too old: install Go >= 1.26 (Kubernetes $K8S_VERSION and kwok $KWOK_VERSION need it)" ;;
  esac
}

# wait_until <seconds> <description> <command...>: poll until the command succeeds.
wait_until() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.5
  done
  log "$what ready"
}

# wait_ready <component> <seconds> <description> <command...>: like wait_until, but gives up at once
# (with the component's log) if the component's process has exited.
wait_ready() {
  local name=$1 timeout=$2 what=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    is_running "$name" || fail_start "$name" "$name exited while waiting for $what"
    ((SECONDS < deadline)) || fail_start "$name" "$what was not ready within ${timeout}s"
    sleep 0.5
  done
  log "$what ready"
}

port_open() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- processes, by saved pid only -------------------------------------------------------------

pid_of() {
  local f=$PIDS_DIR/$1.pid
  [[ -s $f ]] && cat "$f"
}

# is_running <name>: the saved pid is alive and is still the program we started (not a reused pid).
is_running() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  local want
  want=$(cat "$PIDS_DIR/$1.cmd" 2>/dev/null) || return 1
  grep -qF -- "$want" "/proc/$pid/cmdline" 2>/dev/null
}

# start_bg <name> <command...>: start detached, log to logs/<name>.log, save its pid.
start_bg() {
  local name=$1
  shift
  mkdir -p "$PIDS_DIR" "$LOGS_DIR"
  local logf=$LOGS_DIR/$name.log
  printf '\n==== %s start %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logf"
  setsid "$@" >>"$logf" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$PIDS_DIR/$name.pid"
  basename "$1" >"$PIDS_DIR/$name.cmd"
  log "started $name (pid $pid, log $logf)"
}

# signal_proc <name> <signal>: signal the saved pid if it is still the program we started.
signal_proc() {
  if is_running "$1"; then
    log "stopping $1 (pid $(pid_of "$1"), SIG$2)"
    kill "-$2" "$(pid_of "$1")" 2>/dev/null || true
  fi
}

# stop_proc <name>: SIGTERM the saved pid, wait, then SIGKILL; removes the pid file.
stop_proc() {
  local name=$1 pid
  pid=$(pid_of "$name") || return 0
  if is_running "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) did not stop on SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$PIDS_DIR/$name.pid" "$PIDS_DIR/$name.cmd"
}

# fail_start <name> <what>: a component did not come up; show the tail of its log.
fail_start() {
  local name=$1 what=$2 logf=$LOGS_DIR/$1.log
  {
    printf '[test-env] ERROR: %s\n' "$what"
    if is_running "$name"; then
      printf '[test-env] %s is still running (pid %s) but not ready\n' "$name" "$(pid_of "$name")"
    else
      printf '[test-env] %s exited\n' "$name"
    fi
    printf '[test-env] last lines of %s:\n' "$logf"
    tail -n 25 "$logf" 2>/dev/null | sed 's/^/    /'
  } >&2
  exit 1
}
