#!/bin/sh
# Puts mesodesk in the user's applications menu (no administrator rights needed):
# a launcher in ~/.local/share/applications and the icon in ~/.local/share/icons.
# Run it from the unpacked folder: ./installer.sh   (./installer.sh --retirer to undo)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
if [ "${1:-}" = "--retirer" ]; then
  rm -f "$apps/mesodesk.desktop"
  for size in 16 24 32 48 64 128 256 512; do rm -f "$icons/${size}x${size}/apps/mesodesk.png"; done
  echo "mesodesk est retiré du menu des applications (vos données ne sont pas touchées)."
  exit 0
fi
mkdir -p "$apps"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$here/_internal/ui/icons/mesodesk-$size.png" "$icons/${size}x${size}/apps/mesodesk.png"
done
sed "s|^Exec=.*|Exec=\"$here/mesodesk\"|" "$here/mesodesk.desktop" > "$apps/mesodesk.desktop"
chmod 644 "$apps/mesodesk.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "mesodesk est dans le menu des applications (lanceur : $apps/mesodesk.desktop)."
