#!/usr/bin/env bash
# Install this firstcontact build for the current user (or, with --prefix, anywhere):
#   ./install.sh [--prefix DIR]       default DIR: ~/.local
#   ./install.sh --uninstall [--prefix DIR]
# The build goes to DIR/lib/firstcontact, the commands to DIR/bin, the menu entry, its icons
# and the AppStream metainfo to DIR/share. Nothing else is touched; no data is removed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id="org.firstcontact.FirstContact"
prefix="${HOME}/.local"
action=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --uninstall) action=uninstall; shift ;;
    *) echo "usage: $0 [--prefix DIR] [--uninstall]" >&2; exit 2 ;;
  esac
done
lib="$prefix/lib/firstcontact"
share="$prefix/share"
icon_files=()
for icon in "$here"/share/icons/hicolor/*/apps/"$app_id".*; do
  icon_files+=("${icon#"$here"/share/}")
done

if [ "$action" = uninstall ]; then
  rm -rf "$lib"
  rm -f "$prefix/bin/firstcontact" "$prefix/bin/firstcontact-hub" \
    "$share/applications/$app_id.desktop" "$share/metainfo/$app_id.metainfo.xml"
  for icon in "${icon_files[@]}"; do rm -f "$share/$icon"; done
  echo "firstcontact removed from $prefix (the data directory is left as it is)"
  exit 0
fi

[ "$here" = "$lib" ] || { rm -rf "$lib"; mkdir -p "$lib"; cp -a "$here"/. "$lib"/; }
mkdir -p "$prefix/bin" "$share/applications" "$share/metainfo"
ln -sf "$lib/firstcontact" "$prefix/bin/firstcontact"
ln -sf "$lib/firstcontact-hub" "$prefix/bin/firstcontact-hub"
sed "s|^Exec=firstcontact\$|Exec=\"$lib/firstcontact\"|" \
  "$here/share/applications/$app_id.desktop" > "$share/applications/$app_id.desktop"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$share/metainfo/"
for icon in "${icon_files[@]}"; do
  mkdir -p "$(dirname "$share/$icon")"
  cp "$here/share/$icon" "$share/$icon"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
echo "firstcontact installed in $lib; menu entry $share/applications/$app_id.desktop"
