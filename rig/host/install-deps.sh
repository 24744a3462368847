#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the rig, the kernel build and the verifier need (Debian 12).
set -eu
. "$(dirname "$0")/lib.sh"
need_rig_tools
dpkg -s libcmocka-dev >/dev/null 2>&1 || need_pkgs libcmocka-dev
