#!/usr/bin/env bash
# A real Slurm cluster for tests and the demo: one node (slurmctld + slurmd, munge auth) from the
# Debian packages, on loopback, no systemd needed. slurm.conf, state, spool, logs and pid files live
# in the state dir; clients find the controller through SLURM_CONF (see `env`). Only munge uses
# system paths (/etc/munge/munge.key, /run/munge): one munged serves every clone on the machine.
#   bash tools/services/slurm.sh start|stop|status|env
# Env: ISTHMUS_SLURM_DIR (state dir), ISTHMUS_SLURMCTLD_PORT (6817), ISTHMUS_SLURMD_PORT (6818).
# Recipe, latencies and pitfalls: shared note slurm.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${ISTHMUS_SLURM_DIR:-$ROOT/.isthmus/slurm}
[[ $DIR == /* ]] || DIR=$PWD/$DIR # daemons chdir to /: all their paths must be absolute
CTLD_PORT=${ISTHMUS_SLURMCTLD_PORT:-6817}
SLURMD_PORT=${ISTHMUS_SLURMD_PORT:-6818}
CONF=$DIR/slurm.conf
JOBCOMP=$DIR/jobcomp.txt
HOST=$(hostname -s)
PKGS=(slurmctld slurmd slurm-client munge)
MUNGE_KEY=/etc/munge/munge.key
export SLURM_CONF=$CONF # for every client this script runs (scontrol, sinfo, srun)
T0=$SECONDS
SERVICE=slurm
# shellcheck source=SCRIPTDIR/service-common.sh
source "$(dirname "$0")/service-common.sh"


pidfile() { if [[ $1 == munged ]]; then echo /run/munge/munged.pid; else echo "$DIR/run/$1.pid"; fi; }
logf() { if [[ $1 == munged ]]; then echo /var/log/munge/munged.log; else echo "$DIR/log/$1.log"; fi; }
pid_of() { cat "$(pidfile "$1")" 2>/dev/null || true; }
alive() { # the pid file names a live $1 (a slurm daemon: started with this state dir's conf)
  local pid cmd; pid=$(pid_of "$1") && [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmd=" $(cmdline "$pid") "
  if [[ $1 == munged ]]; then [[ $cmd == *munged* ]]; else [[ $cmd == *" -f $CONF "* ]]; fi
}

# TCP listeners, read from /proc so that no extra tool is needed.
check_port() { # check_port PORT DAEMON: the port must be free or held by our own DAEMON
  local holder; holder=$(port_holder "$1")
  [[ -z $holder ]] && return 0
  if [[ $holder == *" -f $CONF "* ]]; then # ours (its pid file was lost): adopt it
    holder=${holder#pid } && echo "${holder%%:*}" >"$(pidfile "$2")" && return 0
  fi
  local other; other=$(sed -n 's|.* -f \(/[^ ]*\)/slurm\.conf .*|\1|p' <<<"$holder")
  die "port $1 (needed by $2) is already in use by $holder
  It is not this state dir's ($DIR) $2; maybe another clone's cluster. Stop it with
  ISTHMUS_SLURM_DIR=${other:-<its state dir>} bash tools/services/slurm.sh stop, or pick other
  ports with ISTHMUS_SLURMCTLD_PORT / ISTHMUS_SLURMD_PORT."
}

launch() { # launch DAEMON CMD...: in its own session (a test runner's Ctrl-C must not reach it), no
  # inherited stdio or lock fd (else a caller reading our output would wait for the daemons to exit).
  alive "$1" && return 0
  rm -f "$(pidfile "$1")"
  log "starting $1"
  setsid "${@:2}" </dev/null >>"$DIR/log/$1.stdout" 2>&1 9>&- \
    || die "$1 failed to start (see also $DIR/log/$1.stdout)" "$(logf "$1")" "$DIR/log/$1.stdout"
  wait_for 10 "$1's pid file" "$(logf "$1")" alive "$1" # the daemons write it once they run
}
wait_for() { # wait_for SECONDS WHAT LOGFILE CMD...: poll CMD until it succeeds, bounded
  local end=$((SECONDS + $1))
  until "${@:4}"; do
    ((SECONDS < end)) || die "$2 not ready after $1 s" "$3" "$DIR/log/probe.log"
    sleep 0.5
  done
}

write_conf() {
  local cpus mem; cpus=$(nproc)
  mem=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  mem=$((mem - (mem / 10 > 512 ? mem / 10 : 512))) # headroom for the OS and the daemons
  cat <<EOF
# Written by tools/services/slurm.sh on every start: edits are overwritten.
ClusterName=isthmus
# Explicit loopback addresses: nothing depends on how /etc/hosts resolves $HOST.
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
# The controller runs as root like slurmd: the state dir needs no chown to the slurm user.
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
# No cgroups here: track processes via /proc, no task binding (no cgroup.conf needed).
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# CR_Memory alone is fatal with cons_tres.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Trust the node line below even if the hardware topology differs (e.g. hyperthreads).
SlurmdParameters=config_overrides
# A node that was DOWN (e.g. slurmd not responding) returns to service when slurmd registers.
ReturnToService=2
# No slurmdbd: sacct is useless; job states via scontrol/squeue (kept MinJobAge s) and jobcomp.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$JOBCOMP
MinJobAge=3600
# An srun allocation whose srun is gone (e.g. the controller was killed as srun ended) would
# otherwise hold its cpu and memory for ever: end it when srun does not answer for 30 s.
InactiveLimit=30
# Room for big job arrays and for an hour (MinJobAge) of finished array tasks.
MaxJobCount=100000
MaxArraySize=100001
# Schedule at once on submit (default: batch jobs start ~3 s later).
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MailProg=/bin/true
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$cpus Boards=1 SocketsPerBoard=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem State=UNKNOWN
# FORCE:8 lets up to 8 jobs share a core: a job array runs many tasks at once on few cores.
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP DefMemPerCPU=512 OverSubscribe=FORCE:8
EOF
}


start_munge() { # the system munged, as user munge, with the key the package created (or ours)
  if [[ ! -s $MUNGE_KEY ]]; then # the munge package normally creates it
    log "creating $MUNGE_KEY"
    mungekey --create --keyfile="$MUNGE_KEY" 2>/dev/null || dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
  fi
  chown munge:munge "$MUNGE_KEY" && chmod 0400 "$MUNGE_KEY" # munged refuses a readable key
  install -d -o munge -g munge -m 0755 /run/munge # /run is not persistent: recreate it
  launch munged runuser -u munge -- /usr/sbin/munged
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || die "munge does not work" "$(logf munged)"
}

node_state() { timeout 10 sinfo -h -N -n "$HOST" -o %T 2>/dev/null | head -n 1 || true; }
usable() { [[ $1 =~ ^(idle|mixed|allocated|completing)$ ]]; } # no "*": slurmd is responding
ready() { # the node takes jobs: resume it if an earlier crash drained it, then probe with srun
  alive slurmctld || die "slurmctld exited" "$(logf slurmctld)" "$DIR/log/slurmctld.stdout"
  alive slurmd || die "slurmd exited" "$(logf slurmd)" "$DIR/log/slurmd.stdout"
  local state; state=$(node_state)
  case $state in
  idle) # -I: fail at once rather than queue; a busy node (mixed/allocated) runs jobs anyway
    timeout 20 srun -N1 -I5 -J isthmus-probe -D / true >/dev/null 2>>"$DIR/log/probe.log" ;;
  mixed | allocated | completing) return 0 ;;
  drain* | down | fail*)
    log "node $HOST is $state (an earlier crash?): resuming it"
    timeout 10 scontrol update nodename="$HOST" state=resume 2>>"$DIR/log/probe.log" || true
    return 1 ;;
  *) return 1 ;; # not answering yet, unknown, or "*": slurmd not registered yet
  esac
}


start() {
  mkdir -p "$DIR/log" "$DIR/run" "$DIR/state" "$DIR/spool"
  lock
  install_pkgs
  write_conf >"$CONF.new"
  if [[ -f $CONF ]] && ! cmp -s "$CONF" "$CONF.new" && { alive slurmctld || alive slurmd; }; then
    log "slurm.conf changed (ports, cpus or memory): restarting"
    stop_slurm
  fi
  mv "$CONF.new" "$CONF"
  if alive munged && alive slurmctld && alive slurmd && usable "$(node_state)"; then
    log "already running (node $HOST: $(node_state))"
    return 0
  fi
  check_port "$CTLD_PORT" slurmctld
  check_port "$SLURMD_PORT" slurmd
  start_munge
  launch slurmctld /usr/sbin/slurmctld -f "$CONF"
  launch slurmd /usr/sbin/slurmd -f "$CONF"
  : >"$DIR/log/probe.log" && wait_for 60 "node $HOST (sinfo idle + srun -N1 true)" "$(logf slurmctld)" ready
  echo "[slurm] ready: node $HOST ($(nproc) cpus), controller 127.0.0.1:$CTLD_PORT, in $((SECONDS - T0)) s" >&2
}

gone() { # gone PID SECONDS: wait (bounded) for PID to exit
  local i; for ((i = 0; i < $2 * 5; i++)); do [[ -n $(cmdline "$1") ]] || return 0; sleep 0.2; done; return 1
}
stop_one() { # stop_one DAEMON [SECONDS]: SIGTERM, bounded wait, then SIGKILL
  local pid; pid=$(pid_of "$1")
  if alive "$1"; then
    log "stopping $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    gone "$pid" "${2:-30}" || { log "$1 ignored SIGTERM: SIGKILL"; kill -KILL "$pid" || true; sleep 0.5; }
  fi
  rm -f "$(pidfile "$1")"
}
stop_slurm() {
  local slurmd='' ctld; ctld=$(pid_of slurmctld) && alive slurmd && slurmd=$(pid_of slurmd)
  if alive slurmctld; then # a clean shutdown saves the job state (see the note: never SIGKILL)
    log "stopping slurmctld and slurmd (scontrol shutdown)"
    timeout 20 scontrol shutdown >/dev/null 2>&1 || kill -TERM "$ctld" 2>/dev/null || true
    gone "$ctld" 30 || true
    # slurmd gets the shutdown too, and removes its pid file before it has exited: wait for it.
    [[ -z $slurmd ]] || gone "$slurmd" 10 || true
  fi
  stop_one slurmctld 30 # only if it ignored the shutdown
  stop_one slurmd 30
}

case ${1:-} in
start) start ;;
stop)
  if [[ -d $DIR ]]; then lock; stop_slurm; fi
  # munged is shared by all clones on the machine: leave it to any other slurm daemon still running.
  others=$({ grep -lxE 'slurmctld|slurmd' /proc/[0-9]*/comm 2>/dev/null || true; } | while read -r f; do
    f=${f#/proc/} && cmdline "${f%/comm}"; done) # zombies (PID 1 here reaps late) have none
  if [[ -z $others ]]; then stop_one munged 10
  elif alive munged; then log "munged left running for other slurm daemons"; fi
  log "stopped" ;;
status)
  for d in munged slurmctld slurmd; do
    if alive "$d"; then echo "$d: running (pid $(pid_of "$d"))"; else echo "$d: stopped"; fi
  done
  state=$(node_state) && echo "node $HOST: ${state:-unknown (the controller does not answer)}"
  alive munged && alive slurmctld && alive slurmd && usable "$state" ;;
env)
  echo "export SLURM_CONF=$CONF"
  echo "export ISTHMUS_SLURM_JOBCOMP=$JOBCOMP" ;;
*) echo "usage: bash tools/services/slurm.sh start|stop|status|env" >&2; exit 2 ;;
esac
