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
	local stages k prev
	stages=$(echo $KERNELS | wc -w)
	for k in $(seq "$stages"); do
		expect_replay stage$k
	done
	for k in $(seq 2 "$stages"); do
		prev=$((k - 1))
		host_expect_eq "hop $prev: handover" "$(note handover_$k)" \
			"result=verified;restored=$(($(chain_num at_execute_$prev) + 1));dropped=0;"
		host_expect_eq "hop $prev: memory reserved at boot is the segment, once" \
			"$(chain_num reserved_$k)" \
			"$(($(chain_num reserved_1) + $(chain_num segment_$prev) / 1024))"
		host_expect_eq "hop $prev: MemTotal back to the cold boot's" \
			"$(chain_num memtotal_$k)" "$(chain_num memtotal_1)"
	done
	host_expect_eq "chain length" "$(note chain_length)" "$((stages - 1))"
	HOST_SUMMARY="chain of $(note chain_length) kexecs, MemTotal $(note memtotal_1)..$(note memtotal_$stages) kB"
	{
		echo "chain: $(note chain_length) hops"
		for k in $(seq "$stages"); do
			echo "stage $k: MemTotal $(note memtotal_$k) kB, reserved at boot $(note reserved_$k) kB, segment loaded $(note segment_$k)"
		done
	} >>"$WS/host-checks.log"
}
