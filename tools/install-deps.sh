#!/bin/sh
# Installs the Debian 12 packages sircomm needs to build and test.
# Run as root.  The same list is in README.md.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential meson ninja-build pkg-config python3 \
	libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev \
	libsqlite3-dev libzip-dev libsodium-dev libutf8proc-dev \
	libcmocka-dev libjson-c-dev time minisign zip unzip sqlite3 valgrind \
	clang libclang-rt-14-dev >/dev/null
