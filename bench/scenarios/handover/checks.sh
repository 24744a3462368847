# SPDX-License-Identifier: GPL-2.0
# Host side of a bench chain: every hop loaded, executed and was restored
# whole (the guest checks that), and no kernel of the chain logged a splat
# (their boot logs stay off the console at loglevel=4, so scan the copies).
check_bench() {
	local hop hops log

	hops=$(echo $BENCH_SIZES | wc -w)
	for hop in $(seq "$hops"); do
		ktap_expect_ge "hop $hop: list bytes noted" "$(note bytes_$hop)" 1
		ktap_expect_ge "hop $hop: restored noted" "$(note restored_$hop)" 1
	done
	for log in "$OUT"/s*/dmesg-boot; do
		ktap_expect_eq "no splat in $(basename "$(dirname "$log")")'s log" \
			"$(console_badness "$log")" ""
	done
}
