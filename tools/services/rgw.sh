#!/usr/bin/env bash
# A real S3 server for tests and the demo: a single-node Ceph RADOS Gateway (one monitor, one
# bluestore OSD on a sparse file, one radosgw) on 127.0.0.1, no systemd needed.
#   bash tools/services/rgw.sh start|stop|status|env
# Env: ISTHMUS_RGW_DIR (state dir), ISTHMUS_RGW_PORT (S3, 7480), ISTHMUS_RGW_MON_PORT (3300),
#      ISTHMUS_RGW_MON_V1_PORT (mon port + 3489). Recipe and pitfalls: shared note s3-server.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${ISTHMUS_RGW_DIR:-$ROOT/.isthmus/rgw}
[[ $DIR == /* ]] || DIR=$PWD/$DIR # daemons chdir to /: all their paths must be absolute
PORT=${ISTHMUS_RGW_PORT:-7480}
MON_PORT=${ISTHMUS_RGW_MON_PORT:-3300}
MON_V1_PORT=${ISTHMUS_RGW_MON_V1_PORT:-$((MON_PORT + 3489))}
MON_ADDR="[v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$MON_V1_PORT]"
ENDPOINT=http://127.0.0.1:$PORT
ACCESS_KEY=isthmus-test-key    # throwaway credentials for a loopback-only test server
SECRET_KEY=isthmus-test-secret
MAX_BUCKETS=100000                # buckets of the test user (RGW's default is 1,000)
CONF=$DIR/ceph.conf
PKGS=(radosgw ceph-mon ceph-osd ceph-common uuid-runtime curl)
T0=$SECONDS
SERVICE=rgw
# shellcheck source=SCRIPTDIR/service-common.sh
source "$(dirname "$0")/service-common.sh"


# Daemons: short name -> ceph name (which names its pid and log files).
declare -A NAME=([mon]=mon.a [osd]=osd.0 [rgw]=client.rgw.gw1)
pid_of() { cat "$DIR/run/${NAME[$1]}.pid" 2>/dev/null || true; }
logf() { echo "$DIR/log/${NAME[$1]}.log"; }
alive() { # the pid file names a live process started with this state dir's conf (not a stale pid)
  local pid; pid=$(pid_of "$1")
  [[ -n $pid && -r /proc/$pid/cmdline && " $(cmdline "$pid") " == *" -c $CONF "* ]]
}

# TCP listeners, read from /proc so that no extra tool is needed.
check_port() { # check_port PORT DAEMON: the port must be free or held by our own DAEMON
  local holder; holder=$(port_holder "$1")
  [[ -z $holder ]] && return 0
  alive "$2" && [[ $holder == "pid $(pid_of "$2"):"* ]] && return 0
  local other; other=$(sed -n 's|.* -c \(/[^ ]*\)/ceph\.conf .*|\1|p' <<<"$holder")
  die "port $1 (needed by $2) is already in use by $holder
  It is not this state dir's ($DIR) $2; maybe another clone's cluster. Stop it with
  ISTHMUS_RGW_DIR=${other:-<its state dir>} bash tools/services/rgw.sh stop, or pick other ports
  with ISTHMUS_RGW_PORT / ISTHMUS_RGW_MON_PORT / ISTHMUS_RGW_MON_V1_PORT."
}
answers() { curl -s -o /dev/null -m 3 "$ENDPOINT/"; }
ceph_() { timeout 20 ceph -c "$CONF" --connect-timeout 10 "$@" 2>/dev/null; }

launch() { # launch DAEMON CMD...: detached (own session, so a test runner's Ctrl-C/kill of its
  # process group does not take the cluster down) and with no inherited stdio or lock fd (else
  # a caller that reads our output, e.g. a test runner, would wait for the daemons to exit).
  alive "$1" && return 0
  rm -f "$DIR/run/${NAME[$1]}.pid"
  log "starting ${NAME[$1]}"
  setsid "${@:2}" </dev/null >>"$DIR/log/$1.stdout" 2>&1 9>&- \
    || die "${NAME[$1]} failed to start (see also $DIR/log/$1.stdout)" "$(logf "$1")"
}
wait_for() { # wait_for SECONDS WHAT LOGFILE CMD...: poll CMD until it succeeds, bounded
  local end=$((SECONDS + $1))
  until "${@:4}"; do
    ((SECONDS < end)) || die "$2 not ready after $1 s" "$3"
    sleep 0.5
  done
}
mon_up() { ceph_ -s >/dev/null; }
osd_up() { ceph_ osd stat -f json | grep -q '"num_up_osds":1'; }

write_conf() { # rewritten on every start so that a changed gateway port takes effect
  cat >"$CONF" <<EOF
[global]
fsid = $(cat "$DIR/fsid")
mon host = $MON_ADDR
public network = 127.0.0.0/8
ms bind ipv4 = true
ms bind ipv6 = false
# No cephx on a loopback test cluster. With auth "none", the clients' mon connection must use
# crc mode, or radosgw loops on "get_initial_auth_request returned -13" and dies after 300 s.
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
keyring = $DIR/keyring
# One OSD: pools of size 1, few PGs, no autoscaler (no mgr runs; health stays WARN, I/O works).
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
[mon]
mon data = $DIR/\$name
[osd]
osd data = $DIR/\$name
osd objectstore = bluestore
# bluestore creates <osd data>/block as a sparse 20 GiB file. Do NOT set "bluestore block
# path": mkfs then fails with "Too many levels of symbolic links".
bluestore block create = true
bluestore block size = 21474836480
osd memory target = 1073741824
[client.rgw.gw1]
# tcp_nodelay: without it small responses wait ~40 ms on delayed ACKs (Nagle), measured.
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
rgw data = $DIR/rgw
rgw dns name = localhost
rgw thread pool size = 64
# Reclaim the space of overwritten and deleted objects within minutes, not RGW's default 2 hours:
# tests and benchmarks rewrite gigabytes, and a full OSD makes every write hang.
rgw gc obj min wait = 60
rgw gc processor period = 60
EOF
}


create_cluster() { # from nothing; a half-created state dir (no .created marker) is wiped first
  log "creating a new cluster in $DIR"
  rm -rf "${DIR:?}/mon.a" "$DIR/osd.0" "$DIR/rgw" "$DIR/run"/* "$DIR/log"/*.log "$DIR/monmap"
  mkdir -p "$DIR/mon.a" "$DIR/osd.0" "$DIR/rgw"
  uuidgen >"$DIR/fsid"
  echo "$MON_ADDR" >"$DIR/mon_addr"
  write_conf
  monmaptool --create --fsid "$(cat "$DIR/fsid")" --addv a "$MON_ADDR" "$DIR/monmap" \
    >"$DIR/log/mkfs.log" 2>&1 || die "monmaptool failed" "$DIR/log/mkfs.log"
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" >>"$DIR/log/mkfs.log" 2>&1 \
    || die "ceph-mon --mkfs failed" "$DIR/log/mkfs.log"
  launch mon ceph-mon -c "$CONF" -i a
  wait_for 60 "monitor" "$(logf mon)" mon_up
  local uuid; uuid=$(uuidgen)
  [[ $(ceph_ osd new "$uuid" 0) == 0 ]] || die "ceph osd new failed" "$(logf mon)"
  log "formatting the OSD (bluestore, sparse 20 GiB file)"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$uuid" >>"$DIR/log/mkfs.log" 2>&1 \
    || die "ceph-osd --mkfs failed" "$DIR/log/mkfs.log"
  touch "$DIR/.created"
}


start() {
  local p
  for p in "$PORT" "$MON_PORT" "$MON_V1_PORT"; do
    # OSDs (of any cluster on this machine) bind free ports in 6800-7300 ("ms bind port
    # min/max"): a fixed port in that range can be taken by an OSD before our daemon binds it.
    ((p < 6800 || p > 7300)) || die "port $p is in 6800-7300, which Ceph OSDs use: pick another
  ISTHMUS_RGW_PORT / ISTHMUS_RGW_MON_PORT / ISTHMUS_RGW_MON_V1_PORT (v1 defaults to mon port + 3489)"
  done
  mkdir -p "$DIR/log" "$DIR/run"
  lock
  install_pkgs
  # The monitor's address is baked into its monmap at creation: it cannot change afterwards.
  if [[ -f $DIR/.created && $(cat "$DIR/mon_addr") != "$MON_ADDR" ]]; then
    die "$DIR was created with monitor address $(cat "$DIR/mon_addr"), not $MON_ADDR: use the same ports or delete $DIR"
  fi
  if alive mon && alive osd && alive rgw && answers; then
    check_port "$PORT" rgw
    log "already running on $ENDPOINT"
    return 0
  fi
  if alive rgw && [[ $(port_holder "$PORT") != "pid $(pid_of rgw):"* ]]; then
    stop_one rgw # it serves another (old) port: restart it with the current conf
  fi
  check_port "$PORT" rgw
  check_port "$MON_PORT" mon
  check_port "$MON_V1_PORT" mon
  if [[ -f $DIR/.created ]]; then
    log "(re)starting the existing cluster in $DIR"
    write_conf
    launch mon ceph-mon -c "$CONF" -i a
    wait_for 60 "monitor" "$(logf mon)" mon_up
  else
    alive mon && stop_one mon
    create_cluster
  fi
  launch osd ceph-osd -c "$CONF" -i 0
  wait_for 120 "OSD" "$(logf osd)" osd_up
  launch rgw radosgw -c "$CONF" -n client.rgw.gw1
  if ! timeout 60 radosgw-admin -c "$CONF" user info --uid=isthmus >/dev/null 2>&1; then
    log "creating the S3 test user"
    timeout 60 radosgw-admin -c "$CONF" user create --uid=isthmus --display-name=Isthmus \
      --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null 2>"$DIR/log/user.log" \
      || die "radosgw-admin user create failed" "$DIR/log/user.log"
  fi
  # Tests make a fresh bucket each and a full run makes hundreds: RGW's default of 1,000 buckets
  # per user ran out on a machine that had run the suite a few times (TooManyBuckets).
  timeout 60 radosgw-admin -c "$CONF" user modify --uid=isthmus --max-buckets="$MAX_BUCKETS" >/dev/null \
    2>"$DIR/log/user.log" || die "radosgw-admin user modify failed" "$DIR/log/user.log"
  wait_for 120 "gateway on $ENDPOINT" "$(logf rgw)" answers
  echo "[rgw] ready on $ENDPOINT in $((SECONDS - T0)) s" >&2
}

stop_one() { # SIGTERM, wait up to 30 s, then SIGKILL
  local pid i; pid=$(pid_of "$1")
  if alive "$1"; then
    log "stopping ${NAME[$1]} (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.2; done
    if [[ -d /proc/$pid ]]; then log "${NAME[$1]} ignored SIGTERM: SIGKILL"; kill -KILL "$pid" || true; sleep 0.5; fi
  fi
  rm -f "$DIR/run/${NAME[$1]}.pid"
}

case ${1:-} in
start) start ;;
stop)
  if [[ -d $DIR ]]; then lock; fi
  for d in rgw osd mon; do stop_one "$d"; done
  log "stopped" ;;
status)
  for d in mon osd rgw; do
    if alive "$d"; then echo "${NAME[$d]}: running (pid $(pid_of "$d"))"; else echo "${NAME[$d]}: stopped"; fi
  done
  holder=$(port_holder "$PORT")
  if [[ -n $holder ]] && ! { alive rgw && [[ $holder == "pid $(pid_of rgw):"* ]]; }; then
    echo "gateway: port $PORT is held by another process ($holder)"; exit 1
  fi
  if answers; then echo "gateway: answering on $ENDPOINT"; else echo "gateway: not answering on $ENDPOINT"; exit 1; fi ;;
env)
  echo "export ISTHMUS_S3_ENDPOINT=$ENDPOINT"
  echo "export AWS_ENDPOINT_URL_S3=$ENDPOINT"
  echo "export AWS_ACCESS_KEY_ID=$ACCESS_KEY"
  echo "export AWS_SECRET_ACCESS_KEY=$SECRET_KEY"
  echo "export AWS_REGION=us-east-1" ;;
*) echo "usage: bash tools/services/rgw.sh start|stop|status|env" >&2; exit 2 ;;
esac
