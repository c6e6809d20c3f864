#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The command-line tools as a user runs them: n2n-dissect on every golden
# capture (and refusing a wrong key or bad flags), the same capture saved as
# pcapng, Linux cooked v1/v2, 802.1Q-tagged and raw IP printing the same
# lines, a truncated or foreign file refused, n2n-keygen's documented
# outputs, and `make install` into a scratch DESTDIR.
#   test_tools.sh BUILD_DIR VECTOR_DIR
set -u
out=$1 vec=$2
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {	# check NAME EXPECTED_EXIT COMMAND...
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		passed=$((passed + 1))
	else
		echo "FAIL $name: exit $rc, wanted $want"; tail -n 5 "$tmp/out"
		failed=$((failed + 1))
	fi
}

check_output() {	# check_output NAME WANT COMMAND...
	local name=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
	else
		echo "FAIL $name: got '$got', wanted '$want'"
		failed=$((failed + 1))
	fi
}

dissect=$out/tools/n2n-dissect
for f in "$vec"/A*.pcap; do
	name=$(basename "$f" .pcap)
	a=${name:1:1}
	[ "$a" = 1 ] && a=3	# -A1 with a key is AES in stock n2n
	he=; case $name in *-H-*) he=-H ;; esac
	check "dissect $name" 0 "$dissect" -c vectors -k n2n-test-key "-A$a" $he "$f"
done
# No n2n transform authenticates, so a wrong key shows as garbage frames.
check "dissect flags a wrong key" 0 grep -q "wrong key" \
	<("$dissect" -c vectors -k wrong -A4 "$vec/A4-p2p.pcap")
check "dissect right key not flagged" 1 grep -q "wrong key" \
	<("$dissect" -c vectors -k n2n-test-key -A4 "$vec/A4-p2p.pcap")
check "dissect wrong community fails" 1 "$dissect" -c other -H "$vec/A4-H-p2p.pcap"
check "dissect -A7 refused" 2 "$dissect" -A7 "$vec/A4-p2p.pcap"
check "dissect missing file" 1 "$dissect" /nonexistent.pcap

# What Wireshark, dumpcap and `tcpdump -i any` save: the converter rewrites a
# golden capture (tests/tools/pcap_convert.py); each must print what the
# classic Ethernet original prints, line for line.
conv=$(dirname "$0")/pcap_convert.py
orig=$vec/A4-H-p2p.pcap
dis=(-c vectors -k n2n-test-key -A4 -H)
"$dissect" "${dis[@]}" "$orig" >"$tmp/orig.txt" 2>&1
check "dissect original has lines" 0 test -s "$tmp/orig.txt"
for how in pcapng sll2 sll vlan raw; do
	check "convert to $how" 0 python3 "$conv" "$orig" "$tmp/c.$how" "$how"
	"$dissect" "${dis[@]}" "$tmp/c.$how" >"$tmp/c.$how.txt" 2>&1
	check "dissect $how prints the same lines" 0 cmp "$tmp/orig.txt" "$tmp/c.$how.txt"
done
check_output "pcapng starts with a section header" " 0a 0d 0d 0a" \
	od -An -tx1 -N4 "$tmp/c.pcapng"
python3 "$conv" "$orig" "$tmp/c.trunc" truncate
check "dissect truncated fails" 1 "$dissect" "${dis[@]}" "$tmp/c.trunc"
cp "$tmp/out" "$tmp/trunc.txt"
check "truncated named" 0 grep -q "malformed record" "$tmp/trunc.txt"
# A record cut by the snap length is skipped and said, not the end of it.
python3 "$conv" "$orig" "$tmp/c.snap" snap
"$dissect" "${dis[@]}" "$tmp/c.snap" >"$tmp/snap.txt" 2>"$tmp/snap.err"
check "dissect a snap-cut record: the rest as before" 0 \
	cmp "$tmp/orig.txt" "$tmp/snap.txt"
check "and says one frame was skipped" 0 grep -q "1 frame(s) skipped" \
	"$tmp/snap.err"
# A community of terminal escapes from the wire reaches no terminal raw.
python3 "$conv" "$vec/A1-p2p.pcap" "$tmp/c.esc" escape
"$dissect" -c vectors -A1 "$tmp/c.esc" >"$tmp/esc.txt" 2>&1
check "dissect escapes a community's control bytes" 1 grep -q "$(printf '\033')" \
	"$tmp/esc.txt"
check "and shows them as \\x1b" 0 grep -qF '\x1b[31mPWN' "$tmp/esc.txt"
printf 'not a capture at all' >"$tmp/junk"
check "dissect foreign file fails" 1 "$dissect" "$tmp/junk"

keygen=$out/tools/n2n-keygen
check_output "keygen user" "* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG" "$keygen" logan 007
check_output "keygen -F secretFed" "-P opIyaWhWjKLJSNOHNpKnGmelhHWRqkmY5pAx7lbDHp4" "$keygen" -F secretFed
check "keygen no arguments" 2 "$keygen"
# --identity: RFC 7748 §6.1's Alice as a key file, then a new one.
printf 'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=\n' >"$tmp/alice.key"
chmod 600 "$tmp/alice.key"
check_output "keygen --identity loads a key file" "public key  hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=
fingerprint 7a91:869e:4c11:4964" "$keygen" --identity "$tmp/alice.key"
chmod 640 "$tmp/alice.key"
check "keygen --identity refuses a group-readable file" 1 "$keygen" --identity "$tmp/alice.key"
check "keygen --identity creates a key file" 0 "$keygen" --identity "$tmp/new.key"
created=$(grep -v created "$tmp/out")
check "with mode 0600" 0 test "$(stat -c %a "$tmp/new.key")" = 600
check_output "and loads it the next time" "$created" "$keygen" --identity "$tmp/new.key"

check "make install" 0 make --no-print-directory O="$out" install DESTDIR="$tmp/root" PREFIX=/usr
for f in usr/bin/n2n-keygen usr/bin/n2n-dissect usr/bin/n2nctl usr/sbin/edge \
	usr/sbin/supernode usr/share/man/man8/edge.8 \
	usr/share/man/man1/n2n-dissect.1 \
	usr/lib/systemd/system/edge@.service usr/share/doc/n2nk/protocol.md; do
	check "installed $f" 0 test -e "$tmp/root/$f"
done

echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
