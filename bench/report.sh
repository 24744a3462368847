#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh RUNS: turn the runs bench/run.sh kept in RUNS (FLAVOR-REP/ with
# console.log and the guest's out/) into figures: RUNS/values.tsv (one line
# per run, size and metric), bench/results/latest.md, values.tsv and
# cost.png there.  Prints the table.
#
# Execute-path times come from the printk timestamps (us) of kprobe events
# printed on the console with tp_printk, the only record that survives the
# jump; restore times from the next kernel's trace buffer, with printk as a
# cross-check.  Every window is corrected for what tracing the events inside
# it costs, calibrated in the same boot (see bench-stage.sh).

set -eu
. "$(dirname "$0")/../rig/host/lib.sh"

runs=${1:?usage: $0 RUNS}
results=$RIG_ROOT/bench/results
mkdir -p "$results"

# Awk statements that split a kernel log line ("[  s.us] rest") or a trace
# buffer line ("... s.us: rest") into t (seconds) and rest, or skip it.
stamped_line='
		sub(/\r$/, "")
		if (match($0, /^\[ *[0-9]+\.[0-9]+\] /)) {
			t = substr($0, 2, RLENGTH - 3); rest = substr($0, RLENGTH + 1)
		} else if (match($0, /[0-9]+\.[0-9]+: /)) {
			t = substr($0, RSTART, RLENGTH - 2); rest = substr($0, RSTART + RLENGTH)
		} else
			next
'

# stamp FILE EVENT first|last: timestamp in us of the first or the last
# EVENT line of a kernel log ("[  s.us] EVENT: (...") or of a trace buffer
# ("s.us: EVENT: (...").
stamp() {
	awk -v ev="$2: (" -v which="$3" '
	{
	'"$stamped_line"'
		if (index(rest, ev) != 1)
			next
		sub(/^ +/, "", t)
		last = sprintf("%.1f", t * 1e6)
		if (which == "first") { print last; last = ""; exit }
	}
	END { if (last != "") print last }' "$1"
}
ts() { stamp "$1" "$2" first; }

# nev FILE START END: how many traced events (the bench's x_, r_ and c_
# probes) were stamped from START (included) to END, in us: each one's cost
# falls inside that window.
nev() {
	[ -n "$2" ] && [ -n "$3" ] || return 0
	awk -v a="$2" -v b="$3" '
	{
	'"$stamped_line"'
		t = sprintf("%.1f", t * 1e6) + 0
		if (rest ~ /^[xrc]_[a-z_]*: \(/ && t >= a + 0 && t < b + 0) n++
	}
	END { print n + 0 }' "$1"
}

# span FILE START END COST: END - START, less COST for every traced event
# inside; empty if a stamp is missing.
span() {
	[ -n "$2" ] && [ -n "$3" ] || return 0
	win "$3" "$2" "$(nev "$1" "$2" "$3")" "$4"
}

# pair_cost FILE [MAX]: median of c_in_x - c_in over the first MAX (all)
# calibration pairs of a kernel log or trace buffer, in us: what one traced
# event costs the code around it.
pair_cost() {
	awk -v max="${2:-1000000}" '
	{
	'"$stamped_line"'
		t *= 1e6
		if (index(rest, "c_in: (") == 1) t0 = t
		else if (index(rest, "c_in_x: (") == 1 && t0 != "" && n < max) { d[n++] = t - t0; t0 = "" }
	}
	END {
		if (!n) exit
		for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
			if (d[j] < d[i]) { x = d[i]; d[i] = d[j]; d[j] = x }
		printf "%.1f\n", n % 2 ? d[(n - 1) / 2] : (d[n / 2 - 1] + d[n / 2]) / 2
	}' "$1"
}

# val FILE KEY: KEY=VALUE from a notes-like file.
val() { sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -n 1; }

# win END START N COST: END - START - N * COST, empty if a figure is missing.
win() {
	[ -n "$1" ] && [ -n "$2" ] && [ -n "$4" ] || return 0
	awk -v e="$1" -v s="$2" -v n="$3" -v c="$4" 'BEGIN { printf "%.1f\n", e - s - n * c }'
}

# add A B: A + B, empty if either is missing.
add() {
	[ -n "$1" ] && [ -n "$2" ] || return 0
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", a + b }'
}

# emit NAME VALUE: one figure of the current run and hop, if it exists.
emit() {
	[ -n "$2" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\n' "$flavor" "$rep" "$size" "$1" "$2"
}

# The TSC frequency, one for every conversion of the bench: each boot
# calibrates it again, slightly differently, and mixing them would turn
# that difference into a difference in wall time.
mhz=$(cat "$runs"/*/out/s*/dmesg-boot 2>/dev/null |
	sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' |
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
[ -n "$mhz" ] || die "no TSC calibration in any boot log under $runs"

parse_run() {
	local dir=$1 console k next s c R L Q t1 t2 t3 t4 t5 t6 hops
	console=$dir/console.log.unix
	tr -d '\r' <"$dir/console.log" >"$console"
	hops=$(ls -d "$dir"/out/s[0-9]* | wc -l)
	hops=$((hops - 1))
	for k in $(seq "$hops"); do
		s=$dir/out/s$k
		next=$dir/out/s$((k + 1))
		size=$(echo $sizes | cut -d' ' -f"$k")
		# This stage's part of the console: its execute path.
		awk -v k="$k" '/^# rig: stage [0-9]+ begin/ { s = $4 } s == k' \
			"$console" >"$s/console"

		emit entries "$(val "$dir/out/notes" at_execute_$k)"
		emit bytes "$(val "$dir/out/notes" bytes_$k)"
		emit gen_s "$(val "$dir/out/notes" gen_seconds_$k)"
		emit restored "$(val "$dir/out/notes" restored_$k)"

		L=$(pair_cost "$s/console")
		Q=$(pair_cost "$s/dmesg-calib")
		emit line_loud_us "$L"
		emit line_quiet_us "$Q"

		# Execute path, printed on the console: the reboot notifier
		# ima_update_kexec_buffer in both flavors, and its phases, each
		# from one probe to the next (bench-stage.sh says which).
		# exec_us is what the limits bound: all of it in base; in
		# patched all but the freeze, whose kexec_execute record (a TPM
		# extend) is neither copy nor hash.
		c=$s/console
		t1=$(ts "$c" x_in)
		t2=$(ts "$c" x_in_x)
		emit exec_total_us "$(span "$c" "$t1" "$t2" "$L")"
		emit kexec_path_us "$(span "$c" "$(ts "$c" x_kx)" "$(ts "$c" x_mk)" "$L")"
		if [ "$flavor" = base ]; then
			t3=$(ts "$c" x_mc)
			t4=$(ts "$c" x_um)
			emit exec_us "$(span "$c" "$t1" "$t2" "$L")"
			emit exec_dump_memcpy_us "$(span "$c" "$t1" "$t4" "$L")"
			emit exec_memcpy_us "$(span "$c" "$t3" "$t4" "$L")"
			emit exec_unmap_us "$(span "$c" "$t4" "$t2" "$L")"
		else
			# The segment is mapped by the hook kernel_kexec() calls
			# before the reboot starts, not in the notifier.
			t3=$(ts "$c" x_su)
			t5=$(ts "$c" x_sl)
			t6=$(ts "$c" x_sl_x)
			emit exec_us "$(span "$c" "$t3" "$t2" "$L")"
			emit exec_freeze_us "$(span "$c" "$t1" "$t3" "$L")"
			emit exec_map_us "$(span "$c" "$(ts "$c" x_ke)" "$(ts "$c" x_mp_x)" "$L")"
			emit exec_serialize_us "$(span "$c" "$t3" "$t5" "$L")"
			emit exec_seal_us "$(span "$c" "$t5" "$t6" "$L")"
			emit exec_unmap_us "$(span "$c" "$t6" "$t2" "$L")"
			emit kexec_hook_us "$(span "$c" "$(ts "$c" x_ke)" "$(ts "$c" x_ke_x)" "$L")"
		fi

		# The limits over the same bytes.
		emit memcpy_us "$(val "$s/limits" memcpy_us)"
		emit sha256_us "$(val "$s/limits" sha256_us)"
		emit memcpy_MBps "$(val "$s/limits" memcpy_MBps)"
		emit sha256_MBps "$(val "$s/limits" sha256_MBps)"
		# Userspace reading binary_runtime_measurements, median of 5.
		emit read_us "$(val "$s/read" read_ns | awk '{ printf "%.1f\n", $1 / 1e3 }')"
		emit read_bytes "$(val "$s/read" read_bytes)"

		# Restore, at the next kernel's boot, timed by the trace buffer:
		# its stamps are taken at the event, printk's only once the event
		# is formatted (a kallsyms lookup), which skews short windows by
		# up to a millisecond.  Quiet (no console), so corrected by the
		# quiet calibration, timed the same way.
		R=$next/trace-boot
		[ -s "$R" ] || R=$next/dmesg-boot
		Q=$(pair_cost "$s/trace-calib" 20)
		[ -n "$Q" ] || Q=$(pair_cost "$s/dmesg-calib")
		emit line_quiet_trace_us "$Q"
		t1=$(span "$R" "$(ts "$R" r_rs)" "$(ts "$R" r_rs_x)" "$Q")
		t2=$(span "$R" "$(ts "$R" r_ck)" "$(ts "$R" r_ck_x)" "$Q")
		emit restore_us "$t1"
		emit load_buffer_us "$(span "$R" "$(ts "$R" r_ld)" "$(ts "$R" r_ld_x)" "$Q")"
		# Patched: check, then restore = parse + commit (the events of
		# these two inside the restore window are corrected for).
		if [ "$flavor" = base ]; then
			emit restore_total_us "$t1"
		else
			emit check_us "$t2"
			emit parse_us "$(span "$R" "$(ts "$R" r_pa)" "$(ts "$R" r_pa_x)" "$Q")"
			emit commit_us "$(span "$R" "$(ts "$R" r_cm)" "$(ts "$R" r_cm_x)" "$Q")"
			# The TPM check: from the end of the restore to the end of
			# ima_load_kexec_buffer (replay in every bank, the PCR
			# reads, and freeing the handover's memory); of which the
			# replays, one per bank.
			emit tpm_check_us "$(span "$R" "$(ts "$R" r_rs_x)" "$(ts "$R" r_ld_x)" "$Q")"
			rp=$(span "$R" "$(ts "$R" r_tp)" "$(ts "$R" r_tp_x)" "$Q")
			[ "$(ts "$R" r_tp)" = "$(stamp "$R" r_tp last)" ] ||
				rp=$(add "$rp" "$(span "$R" "$(stamp "$R" r_tp last)" "$(stamp "$R" r_tp_x last)" "$Q")")
			emit replay_us "$rp"
			emit restore_total_us "$(add "$(add "$t1" "$t2")" "$(span "$R" "$(ts "$R" r_rs_x)" "$(ts "$R" r_ld_x)" "$Q")")"
		fi
		# The same windows timed by printk (the trace clock is sched_clock
		# without printk's offset: compare intervals).
		emit printk_vs_trace_us "$(for e in r_ld r_rs r_ck r_pa r_cm; do
			a=$(win "$(ts "$next/dmesg-boot" ${e}_x)" "$(ts "$next/dmesg-boot" $e)" 0 0)
			b=$(win "$(ts "$next/trace-boot" ${e}_x)" "$(ts "$next/trace-boot" $e)" 0 0)
			[ -z "$a" ] || [ -z "$b" ] || awk -v a="$a" -v b="$b" 'BEGIN { print (a > b ? a - b : b - a) }'
		done | sort -n | tail -n 1)"

		# Memory held from load to execute.
		awk -v flavor="$flavor" '
		/ l_ima: / { in_ima = 1 }
		/ l_ima_x: / { in_ima = 0 }
		/ l_seg: / {
			match($0, /memsz=[0-9]+/); m = substr($0, RSTART + 6, RLENGTH - 6)
			m = int((m + 4095) / 4096) * 4096
			if (in_ima) ima += m; else other += m
		}
		END { printf "seg_ima_bytes\t%d\nseg_other_bytes\t%d\n", ima, other }
		' "$s/trace-load" >"$s/segments"
		emit seg_ima_bytes "$(awk '$1 == "seg_ima_bytes" { print $2 }' "$s/segments")"
		emit vmalloc_ima_bytes "$(
			for f in before after; do
				awk '/ima_/ && match($0, /pages=[0-9]+/) { p += substr($0, RSTART + 6, RLENGTH - 6) }
				     END { print p * 4096 }' "$s/vmallocinfo-$f"
			done | paste -sd' ' | awk '{ print $2 - $1 }')"
		# The segment's own mapping: address space, no pages.
		emit vmap_ima_bytes "$(
			for f in before after; do
				awk '/kimage_map_segment/ { b += $2 } END { print b + 0 }' "$s/vmallocinfo-$f"
			done | paste -sd' ' | awk '{ print $2 - $1 }')"
		t1=$(val "$dir/out/notes" memfree_before_$k)
		t2=$(val "$dir/out/notes" memfree_after_$k)
		t3=$(awk '$1 == "seg_other_bytes" { print $2 }' "$s/segments")
		[ -z "$t1" ] || [ -z "$t2" ] || [ -z "$t3" ] ||
			emit memfree_ima_bytes "$(( (t1 - t2) * 1024 - t3 ))"
		# The patched kernel's own account, in its kexec_load record.
		emit seg_event_bytes "$(sed -n 's/.* //p' "$s/kexec_load" 2>/dev/null | tail -n 1 |
			perl -ne 'chomp; print pack("H*", $_)' | tr ';' '\n' |
			sed -n 's/^kexec_segment_size=//p')"

		# Soft reboot: TSC before the reboot syscall, and at the next
		# stage's first command; the next kernel's log places /init.
		t1=$(sed -n 's/.*bench: tsc_exec=\([0-9]*\)$/\1/p' "$s/console" | tail -n 1)
		t2=$(val "$next/tsc-begin" tsc_begin)
		emit wall_ms "$(awk -v a="$t1" -v b="$t2" -v f="$mhz" 'BEGIN { if (a && b) printf "%.2f\n", (b - a) / f / 1e3 }')"
		t3=$(awk -v m="bench: mark begin" '{ sub(/\r$/, "") } index($0, m) && match($0, /^\[ *[0-9]+\.[0-9]+\]/) { print substr($0, 2, RLENGTH - 2) * 1e6; exit }' "$next/dmesg-boot")
		t4=$(awk '/Run \/init as init process/ && match($0, /^\[ *[0-9]+\.[0-9]+\]/) { print substr($0, 2, RLENGTH - 2) * 1e6; exit }' "$next/dmesg-boot")
		# printk time against the TSC within one boot: from the begin mark
		# (kernel log) to the pre mark (console), both clocks.
		t5=$(awk -v m="bench: mark begin" 'index($0, m) && match($0, /^\[ *[0-9]+\.[0-9]+\]/) { print substr($0, 2, RLENGTH - 2) * 1e6; exit }' "$s/dmesg-boot")
		t6=$(awk -v m="bench: mark pre" 'index($0, m) && match($0, /^\[ *[0-9]+\.[0-9]+\]/) { print substr($0, 2, RLENGTH - 2) * 1e6; exit }' "$s/console")
		emit printk_vs_tsc_us "$(awk -v a="$(val "$s/tsc-begin" tsc_begin)" -v b="$(val "$s/tsc-pre" tsc_pre)" -v p="$t5" -v q="$t6" -v f="$mhz" 'BEGIN { if (a && b && p && q) { d = (b - a) / f - (q - p); printf "%.1f\n", d < 0 ? -d : d } }')"
		emit wall_init_ms "$(awk -v a="$t1" -v b="$t2" -v m="$t3" -v i="$t4" -v f="$mhz" 'BEGIN { if (a && b && m && i) printf "%.2f\n", ((b - a) / f - (m - i)) / 1e3 }')"
	done

	# The TSC against the host's clock: each tsc-pre mark file's mtime is
	# the host's time of a write right after the TSC was read, in the
	# stage before each kexec.  Slope and worst residual of a straight
	# line through them: a TSC that stopped or restarted across a kexec
	# would leave the line.  (The tsc-begin marks, first writes of a
	# fresh boot to the shared folder, reach the host 10-100 ms late.)
	size=all
	for f in "$dir"/out/s*/tsc-pre; do
		echo "$(stat -c %.9Y "$f") $(cut -d= -f2 "$f")"
	done | awk '
	{ x[NR] = $1; y[NR] = $2; sx += $1; sy += $2 }
	END {
		if (NR < 3) exit
		mx = sx / NR; my = sy / NR
		for (i = 1; i <= NR; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2 }
		b = sxy / sxx
		for (i = 1; i <= NR; i++) { r = (y[i] - my - b * (x[i] - mx)) / b * 1e3; if (r < 0) r = -r; if (r > w) w = r }
		printf "tsc_host_mhz\t%.3f\ntsc_resid_ms\t%.2f\ntsc_span_s\t%.0f\n", b / 1e6, w, x[NR] - x[1]
	}' | while read -r m v; do emit "$m" "$v"; done
}

# The sizes the runs were made with (run.sh keeps its bench.env there).
sizes=$(sed -n 's/^BENCH_SIZES="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$runs/bench.env" 2>/dev/null || true)
[ -n "$sizes" ] || sizes="1000 10000 100000"
values=$runs/values.tsv
: >"$values"
for dir in "$runs"/*-*/; do
	dir=${dir%/}
	[ -d "$dir/out" ] || continue
	run=$(basename "$dir")
	flavor=${run%-*}
	rep=${run##*-}
	parse_run "$dir" >>"$values"
done
[ -s "$values" ] || die "no figures under $runs"
cp "$values" "$results/values.tsv"

# Medians per flavor, size and metric, then the tables.
awk -F'\t' -v mhz="$mhz" -v out="$results" -v runs="$runs" '
function median(key,    n, i, j, x, v) {
	n = split(vals[key], v, " ")
	if (!n) return ""
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (v[j] + 0 < v[i] + 0) { x = v[i]; v[i] = v[j]; v[j] = x }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function m(f, s, k) { return median(f SUBSEP s SUBSEP k) }
function cnt(f, s, k,    v) { return split(vals[f SUBSEP s SUBSEP k], v, " ") }
function ms(us) { return us == "" ? "-" : sprintf("%.2f", us / 1e3) }
function r(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2fx", a / b) }
function kb(b) { return b == "" ? "-" : sprintf("%.0f", b / 1024) }
function f1(x) { return x == "" ? "-" : sprintf("%.1f", x) }
{
	vals[$1 SUBSEP $3 SUBSEP $4] = vals[$1 SUBSEP $3 SUBSEP $4] " " $5
	if ($3 != "all" && !seen[$3]++) size[++nsizes] = $3
	reps[$1 SUBSEP $2] = 1
}
END {
	for (k in reps) { split(k, a, SUBSEP); nrep[a[1]]++ }
	for (i = 1; i <= nsizes; i++) for (j = i + 1; j <= nsizes; j++)
		if (size[j] + 0 < size[i] + 0) { x = size[i]; size[i] = size[j]; size[j] = x }
	md = out "/latest.md"
	printf "# make bench: IMA kexec handover, base 6.12.117 vs patched\n\n" >md
	printf "QEMU TCG + swtpm, 2 vCPUs, 1 GiB. Each run is one guest soft-rebooting through a chain of kernels of one flavor, handing over a list of each size in turn; %d base and %d patched runs, alternating (runs per size in the first table). Medians; times in ms; ratios are ratios of medians. Logs: `%s`.\n\n", nrep["base"], nrep["patched"], runs >md

	printf "## Execute path: serialize the list into the segment (and seal it)\n\n" >md
	printf "Both flavors do it in the reboot notifier ima_update_kexec_buffer. Patched less freeze leaves out recording kexec_execute (a measurement and a TPM extend, neither copy nor hash): what memcpy + SHA-256 of the same bytes bound.\n\n" >md
	printf "| entries | runs base/patched | serialized KiB | base execute | patched execute | patched/base | patched less freeze | memcpy | SHA-256 | patched less freeze / (memcpy+SHA-256), target <= 1.2x |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" >md
	for (i = 1; i <= nsizes; i++) {
		s = size[i]
		b = m("base", s, "exec_us"); p = m("patched", s, "exec_us")
		bt = m("base", s, "exec_total_us"); pt = m("patched", s, "exec_total_us")
		lim = m("patched", s, "memcpy_us") + m("patched", s, "sha256_us")
		printf "| %d | %d/%d | %s | %s | %s | %s | %s | %s | %s | **%s** |\n", s, cnt("base", s, "exec_total_us"), cnt("patched", s, "exec_total_us"), kb(m("patched", s, "bytes")),
			ms(bt), ms(pt), r(pt, bt), ms(p),
			ms(m("patched", s, "memcpy_us")), ms(m("patched", s, "sha256_us")), r(p, lim) >md
		plot[s] = sprintf("%s %s %s %s", b / 1e3, p / 1e3, lim / 1e3, m("base", s, "memcpy_us") / 1e3)
	}
	printf "\nLimits measured in the patched guests over the same bytes: memcpy %s MB/s (userspace), kernel SHA-256 via AF_ALG %s MB/s (medians, largest size).\n\n", m("patched", size[nsizes], "memcpy_MBps"), m("patched", size[nsizes], "sha256_MBps") >md

	printf "### Execute phases\n\n" >md
	printf "Each phase runs from one probe to the next. Base: dump into the staging buffer and memcpy into the segment mapped at load (the memcpy is inlined: timed from a probe on its instruction, when run.sh found it in base'"'"'s vmlinux), then kimage_unmap_segment. Patched: map (kimage_map_segment, in the hook before the reboot starts), freeze (record kexec_execute, up to ima_measurements_suspend), serialize+hash (each record written with seq_write and hashed with sha256_update while in the cache: one pass, which probes cannot split; the SHA-256 of the same bytes in the same guest stands for the hash share, the rest is the serializing), seal (ima_kexec_seal: header, trailer, sha256_final), unmap (to the notifier'"'"'s return). The hook is ima_kexec_execute, called by kernel_kexec() before the reboot starts: it maps the segment (and, with ima_kexec_overflow=refuse, checks the fit and freezes).\n\n" >md
	printf "| entries | base dump+memcpy | of which memcpy | base unmap | patched freeze | map | serialize+hash | of which SHA-256 | rest: serialize | seal | unmap | patched hook |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" >md
	for (i = 1; i <= nsizes; i++) {
		s = size[i]
		x = m("patched", s, "exec_serialize_us"); h = m("patched", s, "sha256_us")
		printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", s,
			ms(m("base", s, "exec_dump_memcpy_us")), ms(m("base", s, "exec_memcpy_us")), ms(m("base", s, "exec_unmap_us")),
			ms(m("patched", s, "exec_freeze_us")), ms(m("patched", s, "exec_map_us")), ms(x), ms(h),
			ms(x == "" || h == "" ? "" : x - h), ms(m("patched", s, "exec_seal_us")), ms(m("patched", s, "exec_unmap_us")),
			ms(m("patched", s, "kexec_hook_us")) >md
	}

	printf "\n## Next kernel: check and restore\n\n" >md
	printf "Restore is ima_restore_measurement_list: in patched, parse (ima_restore_parse: every record parsed, its entry and list node allocated) then commit (ima_restore_measurement_entries, under one hold of the mutex), after the check (ima_kexec_check: header, trailer, one SHA-256 pass over the records, the framing walk), and before the TPM check (to the end of ima_load_kexec_buffer: the list replayed in each of the TPM'"'"'s two banks, ima_kexec_replay, then the PCR reads); the SHA-256 of the same bytes, timed in the guest before the jump, stands for the check'"'"'s hash share.\n\n" >md
	printf "| entries | base restore | patched check | of which SHA-256 | patched parse | patched commit | patched TPM check | of which replay (2 banks) | patched check+restore+TPM check | patched total / base restore, target <= 1.10x | base ima_load_kexec_buffer | patched ima_load_kexec_buffer |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" >md
	for (i = 1; i <= nsizes; i++) {
		s = size[i]
		b = m("base", s, "restore_total_us"); p = m("patched", s, "restore_total_us")
		printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | **%s** | %s | %s |\n", s, ms(b), ms(m("patched", s, "check_us")), ms(m("patched", s, "sha256_us")),
			ms(m("patched", s, "parse_us")), ms(m("patched", s, "commit_us")),
			ms(m("patched", s, "tpm_check_us")), ms(m("patched", s, "replay_us")), ms(p), r(p, b),
			ms(m("base", s, "load_buffer_us")), ms(m("patched", s, "load_buffer_us")) >md
		plot[s] = plot[s] sprintf(" %s %s", b / 1e3, p / 1e3)
	}

	printf "\n## Reading binary_runtime_measurements from userspace\n\n" >md
	printf "bench-tool read: open to end of file with 1 MiB reads, median of 5 in each guest, the list at its full size just before the execute path is armed. 6.12 writes every field one seq_putc() per byte, the series one seq_write() per field.\n\n" >md
	printf "| entries | KiB read | base read | patched read | patched/base | base MB/s | patched MB/s |\n|---:|---:|---:|---:|---:|---:|---:|\n" >md
	for (i = 1; i <= nsizes; i++) {
		s = size[i]
		b = m("base", s, "read_us"); p = m("patched", s, "read_us")
		printf "| %d | %s | %s | %s | **%s** | %s | %s |\n", s, kb(m("patched", s, "read_bytes")), ms(b), ms(p), r(p, b),
			b == "" ? "-" : f1(m("base", s, "read_bytes") / b), p == "" ? "-" : f1(m("patched", s, "read_bytes") / p) >md
	}
	printf "\n## Memory held from kexec -l to kexec -e\n\n" >md
	printf "Extra = the IMA segment (kexec_add_buffer memsz, traced) + vmalloc pages IMA holds (/proc/vmallocinfo); MemFree = MemFree drop across the load minus every other segment, caches dropped.\n\n" >md
	printf "| entries | serialized KiB | base segment KiB | base staging vmalloc KiB | base extra / list | patched segment KiB | patched vmalloc KiB | patched extra / list, target <= 1.0x | base MemFree / list | patched MemFree / list | patched kexec_load record says |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" >md
	for (i = 1; i <= nsizes; i++) {
		s = size[i]
		bb = m("base", s, "bytes"); pb = m("patched", s, "bytes")
		printf "| %d | %s | %s | %s | %s | %s | %s | **%s** | %s | %s | %s |\n", s, kb(pb),
			kb(m("base", s, "seg_ima_bytes")), kb(m("base", s, "vmalloc_ima_bytes")),
			r(m("base", s, "seg_ima_bytes") + m("base", s, "vmalloc_ima_bytes"), bb),
			kb(m("patched", s, "seg_ima_bytes")), kb(m("patched", s, "vmalloc_ima_bytes")),
			r(m("patched", s, "seg_ima_bytes") + m("patched", s, "vmalloc_ima_bytes"), pb),
			r(m("base", s, "memfree_ima_bytes"), bb), r(m("patched", s, "memfree_ima_bytes"), pb),
			kb(m("patched", s, "seg_event_bytes")) >md
	}

	printf "\n## Soft reboot: TSC before the reboot syscall to the next stage'"'"'s first command\n\n" >md
	printf "The wall time is dominated by what IMA does not touch (shutdown, purgatory, decompressing the kernel, unpacking the initramfs, all under TCG on a shared host), so its run-to-run noise is far larger than the handover; the last column adds the difference of the timed IMA windows (execute path with the kexec_execute record, check and restore) to the base wall time instead.\n\n" >md
	printf "| entries | base wall | patched wall | patched/base, target <= 1.05x at 10000 | base to /init | patched to /init | patched/base to /init | base kernel_kexec..machine_kexec | patched kernel_kexec..machine_kexec | IMA windows patched - base | implied patched/base |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" >md
	for (i = 1; i <= nsizes; i++) {
		s = size[i]
		b = m("base", s, "wall_ms"); p = m("patched", s, "wall_ms")
		bi = m("base", s, "wall_init_ms"); pi = m("patched", s, "wall_init_ms")
		d = m("patched", s, "exec_total_us") + m("patched", s, "restore_total_us") - m("base", s, "exec_total_us") - m("base", s, "restore_total_us")
		printf "| %d | %s | %s | **%s** | %s | %s | %s | %s | %s | %s | %s |\n", s, f1(b), f1(p), r(p, b), f1(bi), f1(pi), r(pi, bi),
			ms(m("base", s, "kexec_path_us")), ms(m("patched", s, "kexec_path_us")), ms(d), r(b + d / 1e3, b) >md
	}

	printf "\n## How far to trust it\n\n" >md
	printf "- One traced event costs the code around it %s us (base) / %s us (patched) with its line on the serial console (execute path), %s / %s us without (restore at boot, loglevel=4), medians of a probed getppid() in the same boots; every window above is corrected by that times the events inside it.\n", m("base", size[1], "line_loud_us"), m("patched", size[1], "line_loud_us"), m("base", size[1], "line_quiet_trace_us"), m("patched", size[1], "line_quiet_trace_us") >md
	w = 0; for (i = 1; i <= nsizes; i++) for (f = 0; f < 2; f++) { x = m(f ? "patched" : "base", size[i], "printk_vs_trace_us"); if (x + 0 > w) w = x }
	printf "- Restore windows are timed by the trace buffer (stamped at the event); the same windows timed by printk differ by at most %s us (median over runs of the worst window), printk stamping each event only after formatting it.\n", w >md
	w = 0; for (i = 1; i <= nsizes; i++) for (f = 0; f < 2; f++) { x = m(f ? "patched" : "base", size[i], "printk_vs_tsc_us"); if (x + 0 > w) w = x }
	printf "- printk time against the TSC across a stage (first to last mark): up to %s us apart (medians). Both read the same TSC, so this is how long the vCPU was stalled between the rdtsc and the printk: the host preempting QEMU'"'"'s threads, noise that any window can catch.\n", w >md
	printf "- TSC: %s MHz (median refined calibration, used for every conversion); a line through every mark (TSC vs the host mtime of the file written right after) gives %s / %s MHz (base / patched median), worst residual %s / %s ms over %s s of soft reboots: the TSC runs on across kexec.\n", mhz, m("base", "all", "tsc_host_mhz"), m("patched", "all", "tsc_host_mhz"), m("base", "all", "tsc_resid_ms"), m("patched", "all", "tsc_resid_ms"), m("base", "all", "tsc_span_s") >md
	printf "- Generating the list (C tool: mknod + open for reading per file): %s s for %d entries (patched median).\n", m("patched", size[nsizes], "gen_s"), size[nsizes] >md

	printf "\n## Targets\n\n" >md
	for (i = 1; i <= nsizes; i++) {
		s = size[i]
		x = m("patched", s, "exec_us") / (m("patched", s, "memcpy_us") + m("patched", s, "sha256_us"))
		t1 = t1 sprintf(" %d: %.2fx %s;", s, x, x <= 1.2 ? "met" : "missed")
		x = m("patched", s, "restore_total_us") / m("base", s, "restore_total_us")
		y = (m("base", s, "restore_total_us") + m("patched", s, "check_us")) / m("base", s, "restore_total_us")
		z = (m("base", s, "restore_total_us") + m("patched", s, "tpm_check_us")) / m("base", s, "restore_total_us")
		t2 = t2 sprintf(" %d: %.2fx %s (check alone %.2fx, TPM check alone %.2fx);", s, x, x <= 1.1 ? "met" : "missed", y, z)
		e = m("patched", s, "seg_ima_bytes") + m("patched", s, "vmalloc_ima_bytes") - m("patched", s, "bytes")
		x = 1 + e / m("patched", s, "bytes")
		t3 = t3 sprintf(" %d: %.3fx %s;", s, x, x <= 1.0 ? "met" : e <= 8192 ? sprintf("(over by the fixed %.1f KiB)", e / 1024) : "missed")
		b = m("base", s, "wall_ms")
		d = m("patched", s, "exec_total_us") + m("patched", s, "restore_total_us") - m("base", s, "exec_total_us") - m("base", s, "restore_total_us")
		t4 = t4 sprintf(" %d: measured %.2fx, from the IMA windows %.2fx;", s, m("patched", s, "wall_ms") / b, (b + d / 1e3) / b)
	}
	printf "- patched execute less freeze <= 1.2x memcpy+SHA-256:%s\n", t1 >md
	printf "- check+restore <= 1.10x base restore:%s\n", t2 >md
	printf "- extra memory <= 1.0x the serialized list:%s the patched segment is the list plus what load reserves (half a page, the 48-byte trailer) rounded up to a page, the base one the same plus a staging copy\n", t3 >md
	printf "- soft reboot <= 1.05x base (at 10000):%s\n", t4 >md

	dat = out "/cost.dat"
	printf "# entries base_exec patched_exec_less_freeze limit base_memcpy base_restore patched_check_restore (ms)\n" >dat
	for (i = 1; i <= nsizes; i++) printf "%d %s\n", size[i], plot[size[i]] >dat
}' "$values"

[ ! -s "$runs/kernels" ] ||
	echo "- Kernels (sha256 of base, patched bzImage): $(cat "$runs/kernels")." >>"$results/latest.md"
if [ -s "$runs/loadavg" ]; then
	awk '{ a = a " " $3 "/" $4 } END { printf "- Host load average before/after each run:%s (2 host CPUs).\n", a }' \
		"$runs/loadavg" >>"$results/latest.md"
fi

gnuplot <<EOF || log "gnuplot failed: no plot"
set terminal pngcairo size 900,600 font ",10"
set output "$results/cost.png"
set title "IMA kexec handover cost vs list size (QEMU TCG, medians)"
set logscale xy
set xlabel "measurement list entries"
set ylabel "ms"
set key bottom right
set xrange [500:200000]
set grid
plot "$results/cost.dat" using 1:2 with linespoints title "base: dump + memcpy (execute)", \
     "" using 1:3 with linespoints title "patched: serialize + hash + seal (execute, less freeze)", \
     "" using 1:4 with linespoints dashtype 2 title "limit: memcpy + SHA-256 of the same bytes", \
     "" using 1:6 with linespoints title "base: restore (next kernel)", \
     "" using 1:7 with linespoints title "patched: check + restore (next kernel)"
EOF
cat "$results/latest.md"
echo
log "results: $results/latest.md, $results/cost.png"
