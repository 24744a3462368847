# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the host side of the rig. Sourced, never executed.

RIG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$RIG_ROOT/build}
TREE=${TREE:-$BUILD_DIR/linux}
BRANCH=ima-kexec-handover
SERIES_AUTHOR_NAME="IMA kexec handover team"
SERIES_AUTHOR_EMAIL="ima-kexec@example.org"
: "${KERNEL_patched:=$BUILD_DIR/obj/patched/arch/x86/boot/bzImage}"
: "${KERNEL_base:=$BUILD_DIR/obj/base/arch/x86/boot/bzImage}"
: "${KERNEL_debug:=$BUILD_DIR/obj/debug/arch/x86/boot/bzImage}"
: "${KERNEL_signed:=$BUILD_DIR/obj/signed/arch/x86/boot/bzImage}"
: "${KERNEL_distro:=$BUILD_DIR/obj/distro/arch/x86/boot/bzImage}"
: "${INITRAMFS:=$BUILD_DIR/initramfs.cpio.gz}"
: "${VERIFIER:=$RIG_ROOT/verifier/build/ima-kexec-verify}"
export KERNEL_patched KERNEL_base KERNEL_debug KERNEL_signed KERNEL_distro INITRAMFS VERIFIER
# GUEST_ARCHES: what the rig boots besides x86_64, on QEMU's virt (arm64)
# and pseries (ppc64le, and ppc64: big endian) machines; kernel_obj FLAVOR [ARCH]: a guest
# kernel's object tree; kernel_image FLAVOR [ARCH]: its image, as QEMU
# boots it and kexec_file_load loads it (an ELF vmlinux on powerpc).
GUEST_ARCHES="arm64 ppc64le ppc64"
# arch_toolchain ARCH: set karch (the kernel's ARCH=), cross (its
# CROSS_COMPILE=) and debarch (Debian's name) for a guest architecture,
# and install its cross compiler.
arch_toolchain() {
	case $1 in
	x86_64) karch=x86_64 cross= debarch=amd64 ;;
	arm64) karch=arm64 cross=aarch64-linux-gnu- debarch=arm64 ;;
	ppc64le) karch=powerpc cross=powerpc64le-linux-gnu- debarch=ppc64el ;;
	ppc64) karch=powerpc cross=powerpc64-linux-gnu- debarch=ppc64 ;;
	*) die "unknown architecture $1 (x86_64 $GUEST_ARCHES)" ;;
	esac
	[ -z "$cross" ] || need "${cross}gcc" "gcc-${cross%-}"
}
# arch_initramfs ARCH: the busybox guest's initramfs for ARCH.
arch_initramfs() {
	case $1 in
	x86_64) echo "$INITRAMFS" ;;
	*) echo "$BUILD_DIR/initramfs-$1.cpio.gz" ;;
	esac
}
kernel_obj() {
	case ${2:-x86_64} in
	x86_64) echo "$BUILD_DIR/obj/$1" ;;
	*) echo "$BUILD_DIR/obj/$2-$1" ;;
	esac
}
kernel_image() {
	local path
	case ${2:-x86_64} in
	x86_64) path=arch/x86/boot/bzImage ;;
	arm64) path=arch/arm64/boot/Image ;;
	ppc64le | ppc64) path=vmlinux ;;
	*) die "unknown architecture $2 (x86_64 $GUEST_ARCHES)" ;;
	esac
	echo "$(kernel_obj "$1" "${2:-}")/$path"
}
# foreign_deb PACKAGE DEBARCH: the folder holding Debian's PACKAGE for
# DEBARCH unpacked (apt-get download, multiarch; cached by package).
foreign_deb() {
	local pkg=$1 debarch=$2 dir tmp
	dir=${XDG_CACHE_HOME:-$HOME/.cache}/ima-kexec-rig/debs/$pkg-$debarch
	if [ ! -f "$dir/done" ]; then
		if ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
			[ "$(id -u)" = 0 ] || die "Debian's $pkg:$debarch is needed; as root: dpkg --add-architecture $debarch"
			log "adding the $debarch architecture to apt (for $pkg:$debarch)"
			dpkg --add-architecture "$debarch"
			apt-get update -qq >/dev/null || die "apt-get update failed"
		fi
		tmp=$(mktemp -d)
		(cd "$tmp" && apt-get download -qq "$pkg:$debarch") >"$tmp/log" 2>&1 ||
			{ cat "$tmp/log" >&2; rm -rf "$tmp"; die "apt-get download $pkg:$debarch failed"; }
		rm -rf "$dir"
		mkdir -p "$dir"
		dpkg-deb -x "$tmp"/*.deb "$dir"
		basename "$tmp"/*.deb >"$dir/done"
		rm -rf "$tmp"
	fi
	echo "$dir"
}

# The signed-image scenario's keys (make-keys.sh); the signed kernel trusts
# ca. Test keys, kept beside the kernel image cache: a fresh clone (CI)
# with keys of its own would build the signed kernel anew every time.
KEYS_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/ima-kexec-rig/keys

# Exit codes shared by every host script, automake style.
RC_PASS=0
RC_FAIL=1
RC_SKIP=77
RC_ERROR=99

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit "$RC_ERROR"; }

# need TOOL PACKAGE...: install Debian packages when a tool is missing.
need() {
	local tool=$1; shift
	command -v "$tool" >/dev/null 2>&1 && return 0
	[ "$(id -u)" = 0 ] || die "$tool is missing; install: $*"
	log "installing $* (for $tool)"
	if [ -z "${RIG_APT_UPDATED:-}" ]; then
		apt-get update -qq >/dev/null || die "apt-get update failed"
		export RIG_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$@" >/dev/null ||
		die "apt-get install $* failed"
	command -v "$tool" >/dev/null 2>&1 || die "$tool still missing after installing $*"
}

# The packages the whole rig needs, keyed by one tool each package provides.
need_rig_tools() {
	need git git
	need make make
	need gcc gcc
	need bc bc
	need bison bison
	need flex flex
	need cpio cpio
	need xz xz-utils
	# mkinitramfs-parts.sh: the userspace part of an initramfs=parts image.
	need zstd zstd
	need perl perl
	need ccache ccache
	need openssl openssl
	need busybox busybox-static
	need dash dash
	need kexec kexec-tools
	need tpm2_pcrread tpm2-tools
	need swtpm swtpm
	need swtpm_setup swtpm-tools
	need evmctl ima-evm-utils
	need sbsign sbsigntool
	need setfattr attr
	need qemu-system-x86_64 qemu-system-x86
	need gdb gdb
	# The arm64 (virt) and ppc64le (pseries, SLOF) guests: QEMU, gdb for
	# their gdbstub, the cross compilers of their kernels and loader.
	need qemu-system-aarch64 qemu-system-arm
	need qemu-system-ppc64 qemu-system-ppc
	[ -f /usr/share/qemu/slof.bin ] || need_pkgs qemu-system-data
	need gdb-multiarch gdb-multiarch
	need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	need powerpc64le-linux-gnu-gcc gcc-powerpc64le-linux-gnu
	dpkg -s libc6-dev-arm64-cross libc6-dev-ppc64el-cross >/dev/null 2>&1 ||
		need_pkgs libc6-dev-arm64-cross libc6-dev-ppc64el-cross
	# ppc64 (big endian, make check-arch): its compiler and libc, and what
	# builds busybox from Debian's source package (build-busybox.sh).
	need powerpc64-linux-gnu-gcc gcc-powerpc64-linux-gnu
	dpkg -s libc6-dev-ppc64-cross >/dev/null 2>&1 || need_pkgs libc6-dev-ppc64-cross
	need dpkg-source dpkg-dev
	need bzip2 bzip2
	need sparse sparse
	# The Debian guest (mkdebian.sh) and a third replay of its attestation.
	need debootstrap debootstrap
	need mke2fs e2fsprogs
	need tssimaextend tss2
	dpkg -s libelf-dev libssl-dev libtss2-tcti-device0 >/dev/null 2>&1 ||
		need_pkgs libelf-dev libssl-dev libtss2-tcti-device0
}

need_pkgs() {
	[ "$(id -u)" = 0 ] || die "missing packages: $*"
	log "installing $*"
	apt-get update -qq >/dev/null || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

# The kernel version string of a configured tree, e.g. 6.12.117.
tree_version() {
	make -s -C "$1" kernelversion 2>/dev/null
}

# format_offset EXPR: an arithmetic expression over the handover format's
# constants (IMA_KEXEC_HDR_COUNT_OFF + 1, ...), evaluated with the values
# of the series' own definition in the work tree, so that the rig never
# keeps a copy of the format.
format_offset() {
	local expr=$1 name val
	local def=$TREE/security/integrity/ima/ima_kexec_format.h
	[ -f "$def" ] || die "no handover format definition at $def (make tree)"
	for name in $(grep -oE 'IMA_KEXEC_[A-Z0-9_]+' <<<"$expr" | sort -u); do
		val=$(sed -nE "s/^#define[[:space:]]+$name[[:space:]]+([0-9]+|0x[0-9a-fA-F]+).*/\1/p" "$def")
		[ -n "$val" ] || die "$name is not defined in $def"
		expr=${expr//$name/$val}
	done
	echo $((expr))
}

# --- Scenarios ---------------------------------------------------------
# A scenario is a folder of rig/scenarios (RIG_SCENARIOS: another folder,
# as make bench's) holding scenario.env: values over those of
# rig/scenarios/defaults.env, and LIKE=<scenario> to start from another
# scenario's values; its first comment line says what it is.

RIG_DEFAULTS=$RIG_ROOT/rig/scenarios/defaults.env

scenario_dir() { echo "${RIG_SCENARIOS:-$RIG_ROOT/rig/scenarios}/$1"; }

scenario_names() {
	local d
	for d in "${RIG_SCENARIOS:-$RIG_ROOT/rig/scenarios}"/*/; do
		[ -f "$d/scenario.env" ] && basename "$d"
	done
}

# scenario_title NAME: its first comment line.
scenario_title() {
	sed -n '/^# [^ ]/{s/^# //p;q}' "$(scenario_dir "$1")/scenario.env"
}

# scenario_exists NAME: or say which ones do, and fail.
scenario_exists() {
	[ -n "$1" ] && [ -f "$(scenario_dir "$1")/scenario.env" ] && return 0
	{
		[ -n "$1" ] && echo "error: no scenario '$1'" || echo "error: no scenario named (S=<name>)"
		echo "scenarios:"
		scenario_names | sed 's/^/  /'
	} >&2
	return 1
}

# scenario_load NAME [VAR=VALUE...]: set the scenario's values in this
# shell (defaults, LIKE's, and LIKE's LIKE's first, its own, then the
# overrides given) and list their names in SCENARIO_VARS.
scenario_load() {
	local name=$1 env like kv chain=()
	shift
	env=$(scenario_dir "$name")/scenario.env
	SCENARIO_VARS=()
	SCENARIO_FILES=("$RIG_DEFAULTS")
	like=$env
	while [ -n "$like" ]; do
		[ "${#chain[@]}" -lt 8 ] || die "$name: LIKE= goes round in a circle"
		[ -f "$like" ] || die "no scenario.env at $like"
		chain=("$like" "${chain[@]}")
		like=$(sed -n 's/^LIKE=//p' "$like")
		[ -z "$like" ] || like=$(scenario_dir "$like")/scenario.env
	done
	SCENARIO_FILES+=("${chain[@]}")
	# Overrides first too, so that values computed from them see them.
	for kv in "$@"; do
		printf -v "${kv%%=*}" '%s' "${kv#*=}"
	done
	for env in "${SCENARIO_FILES[@]}"; do
		[ -f "$env" ] || die "no scenario.env at $env"
		# shellcheck disable=SC1090
		. "$env"
		SCENARIO_VARS+=($(sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' "$env"))
	done
	# A scenario that gives STAGE (every stage alike) means it for the
	# stages the defaults name too, unless it names them itself.
	if cat "${SCENARIO_FILES[@]:1}" | grep -q '^STAGE='; then
		for kv in STAGE1 STAGE2; do
			cat "${SCENARIO_FILES[@]:1}" | grep -q "^$kv=" || printf -v "$kv" '%s' ""
		done
	fi
	for kv in "$@"; do
		printf -v "${kv%%=*}" '%s' "${kv#*=}"
		SCENARIO_VARS+=("${kv%%=*}")
	done
	SCENARIO_VARS=($(printf '%s\n' "${SCENARIO_VARS[@]}" | sort -u))
}

# scenario_env: the values scenario_load set, as one file of POSIX sh
# assignments for the guest.
scenario_env() {
	local v q
	for v in "${SCENARIO_VARS[@]}"; do
		q=${!v-}
		printf "%s='%s'\n" "$v" "${q//\'/\'\\\'\'}"
	done
}

# scenario_kernels NAME: the kernel flavors it boots, each once, as
# FLAVOR for x86_64 and ARCH:FLAVOR for another architecture.
scenario_kernels() {
	(scenario_load "$1" && for flavor in $(echo $KERNELS | tr ' ' '\n' | sort -u); do
		if [ "$GUEST_ARCH" = x86_64 ]; then echo "$flavor"; else echo "$GUEST_ARCH:$flavor"; fi
	done)
}
