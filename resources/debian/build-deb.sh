#!/bin/sh
# build-deb.sh BUNDLE_DIR OUTPUT.deb VERSION
# A .deb of the PyInstaller bundle for Debian-based desktops (UOS, Kylin): the bundle under
# /opt/certdesk, a launcher /usr/bin/certdesk, a desktop entry and an icon; the X11 and xcb
# libraries Qt needs from the system are declared in control.in (the bundle carries the rest).
set -eu
bundle=$1
out=$2
version=$3
here=$(cd "$(dirname "$0")" && pwd)
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/certdesk"
cp -a "$bundle" "$root/opt/certdesk"
install -m 0755 "$here/certdesk.sh" "$root/usr/bin/certdesk"
install -m 0644 "$here/certdesk.desktop" "$root/usr/share/applications/certdesk.desktop"
install -m 0644 "$here/../icons/certdesk.svg" "$root/usr/share/icons/hicolor/scalable/apps/certdesk.svg"
install -m 0644 "$here/copyright" "$root/usr/share/doc/certdesk/copyright"
chmod -R u=rwX,go=rX "$root/opt/certdesk"
chmod 0755 "$root/opt/certdesk/certdesk"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  "$here/control.in" > "$root/DEBIAN/control"
mkdir -p "$(dirname "$out")"
# gzip: every dpkg on a 信创 desktop reads it (zstd needs dpkg 1.21.18 or later)
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out" >/dev/null
echo "$out"
