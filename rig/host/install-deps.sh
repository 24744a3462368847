#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the rig, the kernel build and the verifier need (Debian 12):
# the verifier links libtss2-mu, its tests want cmocka, its fuzz smoke
# clang with libFuzzer.
set -eu
. "$(dirname "$0")/lib.sh"
need_rig_tools
need clang clang
dpkg -s libcmocka-dev libclang-rt-14-dev libtss2-dev python3-jsonschema \
	>/dev/null 2>&1 ||
	need_pkgs libcmocka-dev libclang-rt-14-dev libtss2-dev python3-jsonschema
