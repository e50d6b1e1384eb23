# Functions shared by the service scripts (rgw.sh, slurm.sh), sourced after they set SERVICE (the
# log prefix), DIR (the state dir), PKGS (Debian packages) and T0 (start time, $SECONDS).
# shellcheck shell=bash

log() { echo "[$SERVICE] $* ($((SECONDS - T0)) s)" >&2; }
die() { # die MESSAGE [LOGFILE...]: fail loudly, with the tails of the relevant logs
  local f; echo "[$SERVICE] ERROR: $1" >&2
  for f in "${@:2}"; do [[ ! -s $f ]] || { echo "[$SERVICE] --- tail of $f:" && tail -n 25 "$f"; } >&2; done
  exit 1
}
cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" || true; } # empty for a zombie
listen_inodes() { # inodes of sockets listening on port $1 (any address, v4 or v6)
  awk -v p=":$(printf '%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null || true
}
port_holder() { # "pid: cmdline" of the process listening on port $1, empty if the port is free
  local ino fd
  for ino in $(listen_inodes "$1"); do
    fd=$(find /proc/[0-9]*/fd -lname "socket:\[$ino\]" -print -quit 2>/dev/null || true)
    [[ -n $fd ]] || { echo "unknown process"; return; }
    fd=${fd#/proc/}; fd=${fd%%/*}
    echo "pid $fd: $(cmdline "$fd")"; return
  done
}
lock() { # one start/stop at a time per state dir (parallel test runners may all call start)
  exec 9>"$DIR/.lock"
  flock -w 300 9 || die "timed out waiting for another start/stop on $DIR"
}
install_pkgs() {
  local p missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || die "packages missing (${missing[*]}) and not root: install them with apt-get"
  log "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  local wait=(-o DPkg::Lock::Timeout=120) # another apt/dpkg may be running: wait, don't fail
  { apt-get "${wait[@]}" update -q && apt-get "${wait[@]}" install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$DIR/log/apt.log" 2>&1 9>&- || die "apt-get failed" "$DIR/log/apt.log"
}
