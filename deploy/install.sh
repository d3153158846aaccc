#!/bin/sh
# Install the kiosk as a systemd service on a Debian, Ubuntu or Raspberry Pi OS machine.
#
#   sudo deploy/install.sh                     # eglfs: straight to the display, no desktop
#   sudo deploy/install.sh --desktop x11       # in an autologin X11 session (lightdm)
#   sudo deploy/install.sh --desktop wayland   # in an autologin Wayland session
#
# Run from a checkout of the repository. Idempotent: running it again upgrades the code and
# keeps /etc/kiosk and /var/lib/kiosk (the database, the PIN) as they are. See deploy/README.md.
set -eu

PREFIX=/opt/kiosk
DESKTOP=""
while [ $# -gt 0 ]; do
    case "$1" in
        --desktop) DESKTOP="${2:-}"; shift 2 ;;
        --prefix) PREFIX="${2:-}"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
case "$DESKTOP" in ""|x11|wayland) ;; *) echo "--desktop is x11 or wayland" >&2; exit 2 ;; esac
if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (sudo $0)" >&2
    exit 1
fi
SRC=$(cd "$(dirname "$0")/.." && pwd)

echo "== system libraries"
"$SRC/scripts/install-system-deps"

echo "== the kiosk user"
if ! id kiosk >/dev/null 2>&1; then
    if [ -n "$DESKTOP" ]; then
        # A desktop session needs a real login with a home folder.
        useradd --create-home --shell /bin/bash --user-group kiosk
    else
        useradd --system --home-dir /var/lib/kiosk --no-create-home \
            --shell /usr/sbin/nologin --user-group kiosk
    fi
fi
for group in video render input audio; do
    if getent group "$group" >/dev/null; then usermod -aG "$group" kiosk; fi
done

echo "== the code in $PREFIX"
mkdir -p "$PREFIX"
# The source, without the developer's venv, databases and logs.
tar -C "$SRC" --exclude=./.venv --exclude=./var --exclude=./.git --exclude='*.pyc' \
    -cf - . | tar -C "$PREFIX" -xf -
if [ ! -x "$PREFIX/.venv/bin/python" ]; then
    python3 -m venv "$PREFIX/.venv"
fi
"$PREFIX/.venv/bin/pip" install --quiet --upgrade pip
"$PREFIX/.venv/bin/pip" install --quiet "$PREFIX"
chown -R root:root "$PREFIX"

echo "== /etc/kiosk"
install -d -m 0750 -o root -g kiosk /etc/kiosk
if [ ! -e /etc/kiosk/config.toml ]; then
    install -m 0640 -o root -g kiosk "$SRC/deploy/config.example.toml" /etc/kiosk/config.toml
    echo "   wrote /etc/kiosk/config.toml: set the store, the feeds and their URLs"
fi
if [ ! -e /etc/kiosk/kiosk.env ]; then
    install -m 0600 -o root -g root "$SRC/deploy/kiosk.env.example" /etc/kiosk/kiosk.env
    echo "   wrote /etc/kiosk/kiosk.env: put the real tokens and secrets in it"
fi

install -d -m 0700 -o kiosk -g kiosk /var/lib/kiosk /var/log/kiosk
install -m 0755 "$SRC/deploy/kiosk-admin" /usr/local/sbin/kiosk-admin
sed -i "s#/opt/kiosk#$PREFIX#g" /usr/local/sbin/kiosk-admin

echo "== the service"
install -m 0644 "$SRC/deploy/kiosk.service" /etc/systemd/system/kiosk.service
sed -i "s#/opt/kiosk#$PREFIX#g" /etc/systemd/system/kiosk.service
rm -f /etc/systemd/system/kiosk.service.d/desktop.conf
if [ -n "$DESKTOP" ]; then
    install -d /etc/systemd/system/kiosk.service.d
    conf=/etc/systemd/system/kiosk.service.d/desktop.conf
    install -m 0644 "$SRC/deploy/desktop.conf" "$conf"
    if [ "$DESKTOP" = wayland ]; then
        uid=$(id -u kiosk)
        sed -i -e "/^Environment=QT_QPA_PLATFORM=xcb/d" -e "/^Environment=DISPLAY=/d" \
            -e "/^Environment=XAUTHORITY=/d" -e "/^BindReadOnlyPaths=\/tmp\/.X11-unix/d" \
            -e "s/^# Environment=/Environment=/" -e "s/^# ReadWritePaths=/ReadWritePaths=/" \
            -e "s#/run/user/1001#/run/user/$uid#g" "$conf"
    fi
    if [ -d /etc/lightdm ]; then
        install -d /etc/lightdm/lightdm.conf.d
        printf '[Seat:*]\nautologin-user=kiosk\nautologin-user-timeout=0\nxserver-command=X -s 0 -dpms\n' \
            > /etc/lightdm/lightdm.conf.d/50-kiosk-autologin.conf
        echo "   lightdm logs the kiosk user in automatically, with screen blanking off"
    else
        echo "   set up automatic login of the user 'kiosk' in your display manager (deploy/README.md)"
    fi
    systemctl set-default graphical.target
else
    # eglfs needs the display for itself: boot to the console, without a desktop.
    systemctl set-default multi-user.target
fi
systemctl daemon-reload
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /etc/systemd/system/kiosk.service || true
fi
systemctl enable kiosk.service
echo
echo "Done. Next:"
echo "  1. edit /etc/kiosk/config.toml and /etc/kiosk/kiosk.env"
echo "  2. sudo kiosk-admin pin set      (then: sudo kiosk-admin sync --once)"
echo "  3. sudo systemctl restart kiosk   (or reboot); journalctl -u kiosk -f to watch it"
