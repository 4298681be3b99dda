#!/usr/bin/env bash
# Checks the system libraries Qt needs (offscreen tests, real windows); on Debian/Ubuntu as
# root, installs what is missing. Elsewhere it only says what to install.
set -euo pipefail

needed_libs=(libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libfreetype.so.6
             libdbus-1.so.3 libglib-2.0.so.0 libX11.so.6)
debian_pkgs=(libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
             libxkbcommon0 fonts-dejavu-core poppler-utils)
if [ "${1:-}" = "--window" ]; then
  needed_libs+=(libxcb-cursor.so.0 libxkbcommon-x11.so.0 libxcb-icccm.so.4)
  debian_pkgs+=(libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
                libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
                libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0)
fi
if [ "${1:-}" = "--xvfb" ]; then
  # A virtual screen (make dist-test opens the bundled window under xvfb-run).
  needed_libs+=(libxcb-cursor.so.0 libxkbcommon-x11.so.0 libxcb-icccm.so.4)
  debian_pkgs+=(xvfb xauth libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
                libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
                libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
                libxkbcommon-x11-0)
fi

missing=0
# (grep without -q: under pipefail, -q closing the pipe early would fail the check)
if [ "${1:-}" = "--xvfb" ] && ! command -v xvfb-run >/dev/null 2>&1; then missing=1; fi
for lib in "${needed_libs[@]}"; do
  if ! ldconfig -p 2>/dev/null | grep "$lib" >/dev/null; then missing=1; fi
done
if ! fc-list 2>/dev/null | grep -i dejavu >/dev/null; then missing=1; fi
# pdffonts and pdftoppm: the tests check that every PDF embeds its fonts.
if ! command -v pdffonts >/dev/null 2>&1; then missing=1; fi
[ "$missing" = 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installation des bibliothèques système de Qt : ${debian_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debian_pkgs[@]}" >/dev/null
else
  echo "Bibliothèques système de Qt manquantes. Sous Debian/Ubuntu :" >&2
  echo "  sudo apt-get install ${debian_pkgs[*]}" >&2
fi
