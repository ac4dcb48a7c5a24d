#!/bin/sh
# Installs the Debian 12 packages Waypost needs to build, run and test.
# It asks pkg-config (for libraries) and command -v (for tools) what is
# missing and installs only that, with apt-get. Run as root, or with sudo
# available; otherwise it prints the apt-get line to run and exits 1.
#
# Usage: scripts/deps.sh [run|check]   ("check" adds test-only tools)
set -eu

mode="${1:-run}"
missing=""

need_pc() { # need_pc PKGCONFIG_NAME DEBIAN_PACKAGE
    pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() { # need_cmd COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_file() { # need_file PATH DEBIAN_PACKAGE
    [ -e "$1" ] || missing="$missing $2"
}

need_cmd pkg-config pkg-config
need_cmd cc gcc
need_cmd make make
need_pc libmicrohttpd libmicrohttpd-dev
need_pc sqlite3 libsqlite3-dev
need_pc jansson libjansson-dev
need_pc md4c libmd4c-dev
need_pc md4c-html libmd4c-html0-dev
need_pc libsodium libsodium-dev
need_pc libcurl libcurl4-openssl-dev
need_pc zlib zlib1g-dev
# Stored service documents are compressed with a dictionary (src/db/doc_zip.c).
need_pc libzstd libzstd-dev
# The listing cache's briefs too, with LZ4, which reads them back faster
# (src/db/brief_zip.c).
need_pc liblz4 liblz4-dev
need_pc inih libinih-dev
# QR codes for enrolling staff in two-factor sign-in, drawn as SVG.
need_pc libqrencode libqrencode-dev
# Alert photos: decoded and re-encoded so no EXIF, GPS or ICC data survives.
need_pc libjpeg libjpeg62-turbo-dev
need_pc libpng libpng-dev
need_pc libwebp libwebp-dev
need_cmd sqlite3 sqlite3
# Translations: msgfmt checks the catalogs, xgettext/msgcat/msgmerge make po/waypost.pot.
need_cmd msgfmt gettext
need_file /usr/share/zoneinfo/America/New_York tzdata
# Leaflet for the optional interactive map (map.tiles); served from here.
need_file /usr/share/javascript/leaflet/leaflet.min.js libjs-leaflet

if [ "$mode" = check ]; then
    need_pc cmocka libcmocka-dev
    need_cmd clang clang
    need_file /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
    need_cmd python3 python3
    need_cmd node nodejs
    need_cmd npm npm
    need_cmd chromium chromium
    need_cmd cppcheck cppcheck
    need_cmd curl curl
fi

if [ -z "$missing" ]; then
    exit 0
fi

echo "waypost: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    apt_get="apt-get"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt_get="sudo apt-get"
else
    echo "waypost: these packages are missing and installing them needs root:" >&2
    echo "    sudo apt-get install -y$missing" >&2
    echo "Run that line (or run make as root), then try again." >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$apt_get update -qq || echo "waypost: apt-get update failed; trying the install anyway" >&2
# shellcheck disable=SC2086
$apt_get install -y -qq --no-install-recommends $missing
