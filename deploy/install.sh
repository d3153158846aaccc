#!/bin/sh
# Install the kiosk as a systemd service that shows the scoreboard from boot: cage (a Wayland
# kiosk compositor) on tty1 with `kiosk run` as its one application, under a `kiosk` user.
#
#   sudo deploy/install.sh                            # from a checkout of the repository
#   sudo deploy/install.sh --python /usr/bin/python3.12
#
# First it checks the machine (deploy/check-target: architecture, glibc, Python, cage) and
# stops, changing nothing, if the kiosk cannot run there. Idempotent: run it again to upgrade
# the code; /etc/kiosk and /var/lib/kiosk (the database, the PIN) stay as they are. Then
# `sudo kiosk-admin setup` (the store, HQ, the PIN) and `sudo kiosk-admin doctor`.
# See deploy/README.md.
set -eu

PREFIX=/opt/kiosk
PYTHON=/usr/bin/python3
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="${2:?--prefix needs a folder}"; shift 2 ;;
        --python) PYTHON="${2:?--python needs a path}"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
SRC=$(cd "$(dirname "$0")/.." && pwd)

echo "== this machine"
if ! "$SRC/deploy/check-target" --python "$PYTHON"; then
    echo "nothing was changed" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (sudo $0)" >&2
    exit 1
fi

echo "== system packages"
"$SRC/scripts/install-system-deps"
# cage and the session it needs (logind through PAM, D-Bus); pkill for the unit's ExecStop;
# the venv module of the Python the kiosk runs on.
missing=""
for package in cage libpam-systemd dbus procps python3-venv; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $package"
done
if [ -n "$missing" ]; then
    apt-get update -q
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

echo "== the kiosk user"
if ! id kiosk >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/kiosk --no-create-home \
        --shell /usr/sbin/nologin --user-group kiosk
fi
for group in video render input audio; do
    if getent group "$group" >/dev/null; then usermod -aG "$group" kiosk; fi
done
if ! setpriv --reuid=kiosk --regid=kiosk --clear-groups "$PYTHON" -c 'import venv' 2>/dev/null; then
    echo "the kiosk user cannot run $PYTHON (or it has no venv module): pass --python with" \
        "a Python every user can read, e.g. /usr/bin/python3" >&2
    exit 1
fi

echo "== the code in $PREFIX"
mkdir -p "$PREFIX"
# The source, without the developer's venv, databases and logs.
tar -C "$SRC" --exclude=./.venv --exclude=./var --exclude=./.git --exclude='*.pyc' \
    --exclude=./assets/demo/'*.csv' --exclude=./assets/demo/'*.json' \
    -cf - . | tar -C "$PREFIX" -xf -
# A venv made from another interpreter (an older install, a pyenv one) is made again.
if [ -x "$PREFIX/.venv/bin/python" ] \
    && [ "$(readlink -f "$PREFIX/.venv/bin/python")" != "$(readlink -f "$PYTHON")" ]; then
    rm -rf "$PREFIX/.venv"
fi
if [ ! -x "$PREFIX/.venv/bin/python" ]; then
    "$PYTHON" -m venv "$PREFIX/.venv"
fi
"$PREFIX/.venv/bin/pip" install --quiet --upgrade pip
# Editable: the bundled fonts, sounds and the config template are read from $PREFIX itself.
"$PREFIX/.venv/bin/pip" install --quiet --editable "$PREFIX"
chown -R root:root "$PREFIX"
chmod -R go+rX "$PREFIX"

echo "== /etc/kiosk"
install -d -m 0750 -o root -g kiosk /etc/kiosk
if [ ! -e /etc/kiosk/config.toml ]; then
    install -m 0640 -o root -g kiosk "$SRC/deploy/config.example.toml" /etc/kiosk/config.toml
    echo "   wrote /etc/kiosk/config.toml from the example: sudo kiosk-admin setup fills it in"
fi
if [ ! -e /etc/kiosk/kiosk.env ]; then
    install -m 0600 -o root -g root "$SRC/deploy/kiosk.env.example" /etc/kiosk/kiosk.env
fi
install -d -m 0700 -o kiosk -g kiosk /var/lib/kiosk /var/log/kiosk
install -m 0755 "$SRC/deploy/kiosk-admin" /usr/local/sbin/kiosk-admin
sed -i "s#/opt/kiosk#$PREFIX#g" /usr/local/sbin/kiosk-admin

echo "== the service: cage on tty1"
install -m 0644 "$SRC/deploy/pam-kiosk" /etc/pam.d/kiosk
install -m 0644 "$SRC/deploy/kiosk.service" /etc/systemd/system/kiosk.service
sed -i "s#/opt/kiosk#$PREFIX#g" /etc/systemd/system/kiosk.service
# What an older install set up for eglfs or a desktop session.
rm -f /etc/systemd/system/kiosk.service.d/desktop.conf /etc/lightdm/lightdm.conf.d/50-kiosk-autologin.conf
# No desktop, no display manager: the console, and tty1 is the kiosk's.
systemctl set-default multi-user.target
if [ -d /run/systemd/system ]; then  # systemd is running (not a chroot being prepared)
    systemctl daemon-reload
fi
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /etc/systemd/system/kiosk.service || true
fi
systemctl enable kiosk.service
# time-sync.target waits for NTP only with this (a Pi boots in the past without it).
systemctl enable systemd-time-wait-sync.service 2>/dev/null || true
echo
echo "Done. Next:"
echo "  1. sudo kiosk-admin setup      (the store, its time zone, HQ's feeds and token, the PIN)"
echo "  2. sudo kiosk-admin doctor     (a checklist of what would break in the store)"
echo "  3. sudo systemctl restart kiosk   (or reboot); journalctl -u kiosk -f to watch it"
