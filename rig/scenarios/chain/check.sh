# A missing or garbled note must fail the comparison, not the harness.
chain_num() {
	local v
	v=$(note "$1")
	case $v in
	''|*[!0-9]*) echo -1000000000 ;;
	*) echo "$v" ;;
	esac
}

rig_host_check() {
	local stages k prev base
	stages=$(echo $KERNELS | wc -w)
	for k in $(seq "$stages"); do
		expect_replay stage$k
	done
	for k in $(seq 2 "$stages"); do
		prev=$((k - 1))
		host_expect_eq "hop $prev: handover" "$(note handover_$k)" \
			"result=intact;restored=$(($(chain_num at_execute_$prev) + 1));dropped=0;tpm=match;tpm_sha1=match;tpm_sha256=match;"
		# What the boot reserved, less the segment it was handed: the
		# same at every hop (the first may add a page of page tables).
		base=$(($(chain_num reserved_$k) - $(chain_num segment_$prev) / 1024))
		if [ "$k" = 2 ]; then
			host_expect "hop 1: reserved = the cold boot's + the segment (+ a page at most)" \
				chain_within_page $((base - $(chain_num reserved_1)))
			host_expect "hop 1: MemTotal = the cold boot's (- a page at most)" \
				chain_within_page $(($(chain_num memtotal_1) - $(chain_num memtotal_2)))
		else
			host_expect_eq "hop $prev: reserved = hop 1's, but for the segment" \
				"$base" "$(($(chain_num reserved_2) - $(chain_num segment_1) / 1024))"
			host_expect_eq "hop $prev: MemTotal = hop 1's" \
				"$(chain_num memtotal_$k)" "$(chain_num memtotal_2)"
		fi
	done
	host_expect_eq "chain length" "$(note chain_length)" "$((stages - 1))"
	HOST_SUMMARY="chain of $(note chain_length) kexecs, segments $(note segment_1)..$(note segment_$((stages - 1))) bytes, MemTotal $(note memtotal_1) kB cold, $(note memtotal_2)..$(note memtotal_$stages) kB after"
	{
		echo "chain: $(note chain_length) hops"
		for k in $(seq "$stages"); do
			echo "stage $k: MemTotal $(note memtotal_$k) kB, reserved at boot $(note reserved_$k) kB, segment loaded $(note segment_$k)"
		done
	} >>"$WS/host-checks.log"
}

chain_within_page() { [ "$1" -ge 0 ] && [ "$1" -le 4 ]; }
