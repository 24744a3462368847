# Each hop's list, saved first thing after the hop, must replay in both
# banks; if not, the verifier must say why (a truncated or rejected
# handover, a missing kexec_execute). An unexplained mismatch fails.
rig_host_check() {
	local stages k dir verified=0 explained=0 unexplained=0 raced=0 late=0 refused
	stages=$(echo $KERNELS | wc -w)
	for k in $(seq 2 "$stages"); do
		dir=$OUT/stage$k
		if verifier_run "$dir"; then
			verified=$((verified + 1))
			host_expect "hop $((k - 1)): evmctl replay matches sha1" evmctl_bank "$dir" sha1
			host_expect "hop $((k - 1)): evmctl replay matches sha256" evmctl_bank "$dir" sha256
		elif head -n 1 "$dir/verifier.out" |
			grep -qE 'handover (truncated|rejected)|no kexec_execute'; then
			explained=$((explained + 1))
		else
			unexplained=$((unexplained + 1))
		fi
		echo "hop $((k - 1)): $(head -n 1 "$dir/verifier.out" 2>/dev/null); $(note handover_$k)" \
			>>"$WS/host-checks.log"
		raced=$((raced + $(note raced_$k | grep -E '^[0-9]+$' || echo 0)))
		late=$((late + $(note after_execute_$k | grep -E '^[0-9]+$' || echo 0)))
	done
	refused=$(grep -c 'refused: the list has been handed over for kexec' "$WS/console.log" || true)
	host_expect_eq "no unexplained mismatch" "$unexplained" 0
	host_expect_eq "every hop verified or explained" "$((verified + explained))" "$((stages - 1))"
	# The producer was still measuring when the list was frozen.
	host_expect_ge "measurements refused after the list was frozen" "$refused" 1
	HOST_SUMMARY="$((stages - 1)) racing kexecs: $verified verified, $explained explained, $unexplained unexplained; $raced raced measurements handed over ($late after kexec_execute), $refused refused"
}
