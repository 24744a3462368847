# SPDX-License-Identifier: GPL-2.0
# ktap-summary.awk FILE...: count KTAP results (Documentation/dev-tools/
# ktap.rst), nested to any depth by four spaces a level, as the kernel's
# KUnit and the rig print them. Every leaf counts once: passed, failed or
# skipped ("# SKIP"); a parent counts only when it failed although none of
# its subtests did (a failure of its own). Each failure is printed with
# the names of the tests it is part of, from their "# Subtest:" lines.
# Ends with "N passed, N failed, N skipped". -v quiet=1: the last line only.
# Lines that are not KTAP (console noise) are ignored.

function path(depth,    p, d) {
	p = ""
	for (d = 1; d <= depth; d++)
		p = p (name[d] != "" ? name[d] : "?") " / "
	return p
}

{
	line = $0
	sub(/\r$/, "", line)
	match(line, /^ */)
	depth = int(RLENGTH / 4)
	rest = substr(line, RLENGTH + 1)
}

rest ~ /^# Subtest: / {
	name[depth] = substr(rest, 12)
	next
}

rest ~ /^(not )?ok [0-9]+( |$)/ {
	bad = rest ~ /^not ok/
	desc = rest
	sub(/^(not )?ok [0-9]+ ?/, "", desc)
	skip = desc ~ /# *[Ss][Kk][Ii][Pp]/
	sub(/ *#.*/, "", desc)
	if (kids[depth + 1] > 0) {
		if (bad && kidfail[depth + 1] == 0) {
			failed++
			if (!quiet)
				print "not ok: " path(depth) desc
		}
		bad = bad || kidfail[depth + 1] > 0
		kids[depth + 1] = 0
		kidfail[depth + 1] = 0
		name[depth + 1] = ""
	} else if (bad) {
		failed++
		if (!quiet)
			print "not ok: " path(depth) desc
	} else if (skip) {
		skipped++
	} else {
		passed++
	}
	kids[depth]++
	if (bad)
		kidfail[depth]++
}

END {
	printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
}
