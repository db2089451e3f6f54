#!/bin/sh
# Runs avahi-daemon with its own D-Bus system bus inside the network
# namespace it is started in (by `ip netns exec`, which also gives it a
# private mount namespace, so the tmpfs on /run stays here), publishes
# "Avahi Test" as _porchlight._tcp, and then runs avahi-browse each time a
# line "browse" arrives on stdin. Everything stops when stdin closes.
set -eu
dir=$1
iface=$2

mount -t tmpfs porchlight-test /run
mkdir -p /run/avahi-daemon /run/dbus

cat >"$dir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF

cat >"$dir/avahi.conf" <<EOF
[server]
host-name=avahi-test
use-ipv4=yes
use-ipv6=no
allow-interfaces=$iface
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
EOF

dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile &
bus_pid=$!
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/bus"
avahi_pid=
publish_pid=
stop() {
	for pid in $publish_pid $avahi_pid $bus_pid; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}
trap stop EXIT

i=0
until [ -S "$dir/bus" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "dbus-daemon did not start" >&2; exit 1; }
	sleep 0.1
done
avahi-daemon -f "$dir/avahi.conf" --no-drop-root --no-chroot --no-rlimits >&2 &
avahi_pid=$!
i=0
until avahi-daemon -c 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "avahi-daemon did not start" >&2; exit 1; }
	sleep 0.1
done
avahi-publish -s "Avahi Test" _porchlight._tcp 4711 "v=1" >&2 &
publish_pid=$!
echo ready

while read -r cmd; do
	case $cmd in
	browse)
		avahi-browse -rpt _porchlight._tcp || true
		echo end
		;;
	esac
done
