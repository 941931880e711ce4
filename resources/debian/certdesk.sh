#!/bin/sh
# The launcher installed as /usr/bin/certdesk: starts the bundle under /opt/certdesk, found
# relative to this script (so an unpacked package runs from where it was unpacked, too).
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/certdesk/certdesk" "$@"
