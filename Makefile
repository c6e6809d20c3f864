# SPDX-License-Identifier: GPL-2.0-only
#
# One build for everything: BPF objects -> skeletons -> library, tools and
# tests, all under $(O). Quiet by default, V=1 shows the commands.
#
#   make                 build everything (warnings are errors)
#   make demo            a supernode and two edges in namespaces: register, ping
#   make check-netns     the namespace integration suites alone
#   make bench           throughput and RTT, P2P and relayed, in namespaces
#   make bench-relay-open  the supernode relay per relay core, open loop
#                        (a quiet machine; BENCH_STEP_SECONDS per step)
#   make check           all tests (unit, unit under ASan+UBSan, BPF, systemd
#                        units, the package in a container, fuzz smoke)
#   make check-units     the systemd units: verify, security, boot if PID 1 is
#                        systemd
#   make check-unit      codec/crypto/vector/BPF unit tests only
#   make check-interop N2N_STOCK_DIR=<your stock n2n 3.1.1 build>
#                        every mix of stock n2n and our nodes, in namespaces
#   make nat-trials      NAT traversal, K runs per pairing (NAT_TRIALS_RUNS,
#                        default 20) in fresh namespaces: P2P rate, time,
#                        punches (tools/nat-trials.sh, docs/nat.md)
#   make fuzz            every fuzz target for FUZZ_SECONDS (default 60) each
#   make fuzz-long       every fuzz target for FUZZ_RUNS (default 10000000)
#                        executions each (docs/fuzzing.md)
#   make install DESTDIR=... PREFIX=...
#   make deb             a Debian package in $(O)/deb/ (docs/packaging.md)

O ?= .output
PREFIX ?= /usr/local
DESTDIR ?=
# The units name the daemons by $(PREFIX)/sbin (make install rewrites
# /usr/sbin); a package for Debian 12 sets UNITDIR=/lib/systemd/system.
UNITDIR ?= $(PREFIX)/lib/systemd/system
# The n2n user for systemd-sysusers (docs/systemd/n2nk.sysusers).
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
CC ?= gcc
CLANG ?= clang-16
BPFTOOL ?= bpftool
SHARED ?= $(abspath ../shared)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_RUNS ?= 20000
FUZZ_RUNS ?= 10000000

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	    -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2
CFLAGS ?= -O2 -g
# Before ALL_CFLAGS, which := expands at once: the sanitizers (and the
# fuzzers' coverage) must reach every object, not only the link.
ifneq ($(SANITIZE),)
SAN_CFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all
endif
# The libraries, by their pkg-config names, and the Debian package that
# ships each .pc file (for the error below). libbpf, libelf and zlib for the
# BPF loaders; libxdp for the XDP dispatcher; libsodium, libcrypto, libgcrypt
# for the ciphers; lzo2, libzstd for compression; libnl for the TAP and
# routes; libcap-ng for dropping privileges; libsystemd for sd_notify
# (daemon/common/notify.c); libmicrohttpd for --metrics
# (daemon/ctl/metrics.c); libpcap for reading captures
# (daemon/common/pcap_read.c); miniupnpc and libnatpmp (no .pc file: its
# header is checked) for port mapping (daemon/edge/portmap*.c).
PKG_CONFIG ?= pkg-config
PKGS := libbpf:libbpf-dev libxdp:libxdp-dev libelf:libelf-dev \
	zlib:zlib1g-dev libsodium:libsodium-dev libcrypto:libssl-dev \
	libgcrypt:libgcrypt20-dev lzo2:liblzo2-dev libzstd:libzstd-dev \
	libnl-3.0:libnl-3-dev libnl-route-3.0:libnl-route-3-dev \
	libcap-ng:libcap-ng-dev libsystemd:libsystemd-dev \
	libmicrohttpd:libmicrohttpd-dev libpcap:libpcap-dev \
	miniupnpc:libminiupnpc-dev
PKG_NAMES := $(foreach p,$(PKGS),$(firstword $(subst :, ,$(p))))
# Goals that build nothing need no library (make deps installs them).
NOLIB_GOALS := clean deps format format-check
ifneq ($(filter-out $(NOLIB_GOALS),$(or $(MAKECMDGOALS),all)),)
PKG_MISSING := $(strip $(foreach p,$(PKGS),$(if $(shell $(PKG_CONFIG) \
	--exists $(firstword $(subst :, ,$(p))) && echo y),,\
	$(lastword $(subst :, ,$(p))))))
PKG_MISSING += $(if $(wildcard /usr/include/natpmp.h),,libnatpmp-dev)
PKG_MISSING := $(strip $(PKG_MISSING))
ifneq ($(PKG_MISSING),)
$(error libraries missing (no pkg-config file): \
	apt-get install $(PKG_MISSING) (or make deps))
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKG_NAMES))
LDLIBS := $(shell $(PKG_CONFIG) --libs $(PKG_NAMES)) -lnatpmp
endif
ALL_CFLAGS := -std=gnu11 $(WARNINGS) $(CFLAGS) -D_GNU_SOURCE -MMD -MP \
	      -Iinclude -Idaemon -I$(O) $(PKG_CFLAGS) $(SAN_CFLAGS)
# Each program records only the libraries it calls (the daemons do not
# need libpcap, n2n-dissect does not need libmicrohttpd): the package's
# dependencies follow from that.
LDFLAGS ?=
ALL_LDFLAGS := $(LDFLAGS) -Wl,--as-needed

# Library: every concern's folder under daemon/ (proto, edge, supernode,
# kernel, ctl, conf, common); the program entry points daemon/main_*.c sit
# beside them.
LIB_SRCS := $(wildcard daemon/*/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
LIB := $(O)/libn2nk.a

# Tools: tools/NAME.c, or a folder tools/NAME/ (its C files and its BPF
# programs) for a tool bigger than one file; each is $(O)/tools/NAME.
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_DIRS := $(patsubst %/,%,$(dir $(wildcard tools/*/*.c)))
TOOL_DIR_SRCS := $(filter-out %.bpf.c,$(wildcard tools/*/*.c))
TOOLS := $(TOOL_SRCS:tools/%.c=$(O)/tools/%) \
	 $(sort $(TOOL_DIRS:tools/%=$(O)/tools/%))

# The daemons: daemon/main_<name>.c -> $(O)/sbin/<name> (edge, supernode).
SBIN_SRCS := $(wildcard daemon/main_*.c)
SBINS := $(SBIN_SRCS:daemon/main_%.c=$(O)/sbin/%)

# Small helper programs the namespace tests run inside their hosts.
NETNS_SRCS := $(wildcard tests/netns/*.c)
NETNS_BINS := $(NETNS_SRCS:tests/netns/%.c=$(O)/tests/netns/%)

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(O)/%.o)
UNIT := $(O)/tests/unit-tests

# BPF programs: the daemons' in bpf/, a tool's in its folder, test
# harnesses in tests/bpf/.
BPF_SRCS := $(wildcard bpf/*.bpf.c tools/*/*.bpf.c tests/bpf/*.bpf.c)
BPF_NAMES := $(notdir $(BPF_SRCS:%.bpf.c=%))
BPF_OBJS := $(BPF_NAMES:%=$(O)/bpf/%.bpf.o)
BPF_SKELS := $(BPF_NAMES:%=$(O)/skel/%.skel.h)
BPF_CFLAGS := -g -O2 -target bpf -Wall -Werror -Iinclude -Ibpf \
	      -I/usr/include/$(shell gcc -print-multiarch)

BPFTEST_SRCS := $(filter-out %.bpf.c,$(wildcard tests/bpf/*.c))
BPFTEST_OBJS := $(BPFTEST_SRCS:%.c=$(O)/%.o)
BPFTEST := $(O)/tests/bpf-tests

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)

.PHONY: deps all check check-unit unit-run bpf-run tools-run format \
	format-check check-netns bench bench-relay-open check-asan fuzz fuzz-smoke \
	fuzz-long fuzz-build install clean demo check-interop check-units deb \
	nat-trials
.DELETE_ON_ERROR:
# Keep every build output (BPF objects for bpftool and llvm-objdump too).
.SECONDARY:

all: $(LIB) $(TOOLS) $(SBINS) $(NETNS_BINS) $(UNIT) \
	$(if $(BPFTEST_SRCS),$(BPFTEST))

$(O)/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/tools/%: $(O)/tools/%.o $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(SAN_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# A folder tool links its folder's objects, built under $(O)/objs/ since
# $(O)/tools/NAME is the program itself.
TOOL_DIR_OBJS := $(TOOL_DIR_SRCS:%.c=$(O)/objs/%.o)
$(O)/objs/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

define tool_dir_rule
$(O)/tools/$(1): $(filter $(O)/objs/tools/$(1)/%,$(TOOL_DIR_OBJS)) $(LIB)
	$$(call msg,LD,$$@)
	$$(Q)$$(CC) $$(SAN_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach t,$(sort $(TOOL_DIRS:tools/%=%)),$(eval $(call tool_dir_rule,$(t))))

$(O)/sbin/%: $(O)/daemon/main_%.o $(LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(SAN_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/netns/%: $(O)/tests/netns/%.o $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(SAN_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# chmod wrapped: tests/unit/t_ctl.c counts the daemons' calls of it.
$(UNIT): $(UNIT_OBJS) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(SAN_CFLAGS) $(ALL_LDFLAGS) -Wl,--wrap=chmod -o $@ $^ $(LDLIBS)

# BPF: clang -target bpf, then a skeleton the userspace side includes.
BPF_HDRS := $(wildcard bpf/lib/*.h include/*.h)
$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/bpf/%.bpf.o: tools/*/%.bpf.c $(BPF_HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/bpf/%.bpf.o: tests/bpf/%.bpf.c $(BPF_HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/skel/%.skel.h: $(O)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

$(BPFTEST_OBJS): $(BPF_SKELS)
# The library includes a skeleton (kernel/xdp_relay_int.h, for the relay's
# loader and mirror): build those first.
$(LIB_OBJS): | $(BPF_SKELS)
# Tools may include a skeleton too (n2n-loadgen does).
$(TOOL_SRCS:tools/%.c=$(O)/tools/%.o) $(TOOL_DIR_OBJS): \
	| $(BPF_SKELS)
$(BPFTEST): $(BPFTEST_OBJS) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(SAN_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# Tests. Each runner ends with "N passed, N failed, N skipped" (a skip is a
# case this host cannot run, never counted as a pass); tests/run-checks.sh
# sums them.
unit-run: $(UNIT)
	$(Q)N2N_VECTORS=$(SHARED)/vectors/n2n-3.1.1 $(UNIT)

bpf-run: $(BPFTEST)
	$(Q)N2N_VECTORS=$(SHARED)/vectors/n2n-3.1.1 $(BPFTEST)

check-unit: all
	$(Q)tests/run-checks.sh unit "$(MAKE) --no-print-directory unit-run" \
		bpf "$(MAKE) --no-print-directory bpf-run"

check-asan:
	$(Q)$(MAKE) --no-print-directory O=$(O)/asan CC=$(CLANG) \
		SANITIZE=address,undefined unit-run

# One formatter for all C (.clang-format, close to the kernel's).
CLANG_FORMAT ?= clang-format
format:
	$(Q)git ls-files '*.c' '*.h' | xargs $(CLANG_FORMAT) -i

format-check:
	$(Q)bad=$$(git ls-files '*.c' '*.h' | while read f; do \
		$(CLANG_FORMAT) "$$f" | cmp -s "$$f" - || echo "$$f"; done); \
	if [ -n "$$bad" ]; then echo "not formatted (make format):" $$bad; \
		echo "0 passed, 1 failed, 0 skipped"; exit 1; fi; \
	echo "1 passed, 0 failed, 0 skipped"

# Integration suites in network namespaces (root): every tests/netns/test_*.sh
# but the opt-in test_interop (check-interop below), each indexed with its
# promises in tests/README.md.
NETNS_SUITES := test_lab test_tap_netlink test_network test_federation_auth \
	test_xdp_relay test_xdp_restart test_relay_corpus test_xsk \
	test_loadgen test_edge_kernel test_mss_clamp test_edge_restart \
	test_metrics test_load10k test_faults test_relay_hop test_ipv6 \
	test_xdp_relay6 test_tcp test_dns test_edge_flags test_sn_select \
	test_bridge test_portmap test_nat test_nat_birthday
check-netns: all
	$(Q)tests/run-checks.sh $(foreach t,$(NETNS_SUITES),\
		$(t) "tests/netns/$(t).sh $(O)") \
		test_edge_restart_he \
		"EDGE_CIPHER='-A4 -H' tests/netns/test_edge_restart.sh $(O)" \
		test_xdp_restart_he \
		"XDP_RESTART_HE=1 tests/netns/test_xdp_restart.sh $(O)"

# Interoperability with stock n2n 3.1.1 (tests/netns/test_interop.sh):
# opt-in, not part of check, since it needs a stock build the user made;
# the tree holds none of n2n's code and fetches nothing.
N2N_STOCK_DIR ?=
check-interop:
	$(Q)if [ -z "$(N2N_STOCK_DIR)" ]; then \
		echo "check-interop: set N2N_STOCK_DIR to a stock n2n 3.1.1" \
			"build you made (a directory with edge, supernode and" \
			"tools/n2n-keygen), e.g." >&2; \
		echo "  make check-interop N2N_STOCK_DIR=\$$HOME/n2n-3.1.1" >&2; \
		exit 2; fi
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/run-checks.sh interop \
		"tests/netns/test_interop.sh $(O) '$(N2N_STOCK_DIR)'"

# NAT traversal figures (docs/nat.md): opt-in, not part of check (minutes).
NAT_TRIALS_RUNS ?= 20
nat-trials: all
	$(Q)tools/nat-trials.sh -k $(NAT_TRIALS_RUNS) $(O)

# The systemd units (tests/units/test_units.sh); boots them only where PID
# 1 is systemd.
check-units: all
	$(Q)tests/run-checks.sh units "tests/units/test_units.sh $(O)"

tools-run: all
	$(Q)tests/tools/test_tools.sh $(O) $(SHARED)/vectors/n2n-3.1.1

check: all
	$(Q)tests/run-checks.sh unit "$(MAKE) --no-print-directory unit-run" \
		bpf "$(MAKE) --no-print-directory bpf-run" \
		tools "$(MAKE) --no-print-directory tools-run" \
		units "tests/units/test_units.sh $(O)" \
		deb "tests/units/test_deb.sh $(O)" \
		format "$(MAKE) --no-print-directory format-check" \
		netns "$(MAKE) --no-print-directory check-netns" \
		asan "$(MAKE) --no-print-directory check-asan" \
		fuzz "$(MAKE) --no-print-directory fuzz-smoke"

# Fuzzing: the library rebuilt with clang's coverage and sanitizers.
FUZZ_O := $(O)/fuzz
fuzz-build:
	$(Q)$(MAKE) --no-print-directory O=$(FUZZ_O) CC=$(CLANG) \
		SANITIZE=fuzzer-no-link,address,undefined $(FUZZ_O)/libn2nk.a \
		$(FUZZ_NAMES:%=$(FUZZ_O)/tests/fuzz/fuzz_%.o) \
		$(FUZZ_O)/tests/fuzz/seeds.o
	$(Q)for n in $(FUZZ_NAMES); do \
		$(CLANG) -fsanitize=fuzzer,address,undefined -o $(FUZZ_O)/fuzz_$$n \
		$(FUZZ_O)/tests/fuzz/fuzz_$$n.o $(FUZZ_O)/libn2nk.a $(LDLIBS) \
		|| exit 1; done
	$(Q)$(CLANG) -fsanitize=address,undefined -o $(FUZZ_O)/make-seeds \
		$(FUZZ_O)/tests/fuzz/seeds.o \
		$(FUZZ_O)/libn2nk.a $(LDLIBS)
	$(Q)$(FUZZ_O)/make-seeds $(SHARED)/vectors/n2n-3.1.1 $(FUZZ_O)/corpus

fuzz-smoke: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_O) runs $(FUZZ_SMOKE_RUNS) $(FUZZ_NAMES)

fuzz: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_O) seconds $(FUZZ_SECONDS) $(FUZZ_NAMES)

# One target at a time, niced: hours on a small machine (docs/fuzzing.md).
fuzz-long: fuzz-build
	$(Q)nice -n 10 tests/fuzz/run.sh $(FUZZ_O) runs $(FUZZ_RUNS) $(FUZZ_NAMES)

# Installs the packages the build needs (Debian/Ubuntu, as root).
deps:
	$(Q)tools/install-deps.sh

# The main job: a supernode and two edges behind NATs, in namespaces.
demo: all
	$(Q)tools/demo.sh $(O)

# Throughput and RTT in the namespace lab; N2N_STOCK_DIR=<a stock n2n build
# you made> adds stock n2n side by side.
BENCH_SECONDS ?= 5
bench: all
	$(Q)tools/bench.sh $(O) $(BENCH_SECONDS)

# The relay on one CPU, the generator on another, the offered rate stepped
# up (docs/benchmarks.md, "Relay, open loop, per core"); about 8 minutes
# with the default 2-second steps and N2N_STOCK_DIR.
BENCH_STEP_SECONDS ?= 2
bench-relay-open: all
	$(Q)tools/bench-relay-open.sh $(O) $(BENCH_STEP_SECONDS)

install: $(TOOLS) $(SBINS)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
		$(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(PREFIX)/share/doc/n2nk/examples
	$(Q)install -m 0755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	$(Q)install -m 0755 $(SBINS) $(DESTDIR)$(PREFIX)/sbin/
	$(Q)install -m 0644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	$(Q)install -m 0644 docs/man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	$(Q)for u in docs/systemd/*.service; do \
		sed 's|/usr/sbin/|$(PREFIX)/sbin/|g' "$$u" > \
			$(DESTDIR)$(UNITDIR)/$${u##*/} && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; done
	$(Q)install -m 0644 docs/systemd/n2nk.sysusers \
		$(DESTDIR)$(SYSUSERSDIR)/n2nk.conf
	$(Q)install -m 0644 README.md docs/*.md \
		$(DESTDIR)$(PREFIX)/share/doc/n2nk/
	$(Q)install -m 0644 docs/examples/* \
		$(DESTDIR)$(PREFIX)/share/doc/n2nk/examples/

# A Debian package (tools/deb/, docs/packaging.md): version VERSION, plus
# the commit's date and hash when built from git (no tags to describe).
# The binaries are built again under $(O)/deb-build with Debian's build
# flags (dpkg-buildflags, every hardening feature), as a package build is.
VERSION ?= 0.1.0
DEB_MAINTAINER ?= n2nk developers <n2nk-dev@example.org>
DEB_O := $(O)/deb-build
deb:
	$(call msg,DEB,$(O)/deb)
	$(Q)rm -rf $(O)/deb
	$(Q)f=$$(DEB_BUILD_MAINT_OPTIONS=hardening=+all \
		dpkg-buildflags --export=sh) && eval "$$f" && \
	$(MAKE) --no-print-directory O=$(DEB_O) \
		CFLAGS="$$CFLAGS $$CPPFLAGS" LDFLAGS="$$LDFLAGS" install \
		DESTDIR=$(abspath $(O))/deb/root PREFIX=/usr \
		UNITDIR=/lib/systemd/system >/dev/null
	$(Q)v='$(VERSION)'; \
	g=$$(git log -1 --format=%cd.%h --date=format:%Y%m%d 2>/dev/null) && \
		v="$$v+git$$g"; \
	tools/deb/build.sh $(O)/deb "$$v" '$(DEB_MAINTAINER)'

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' -type f 2>/dev/null)
