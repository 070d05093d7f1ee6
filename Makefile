# rollcall - a boring Makefile.  See README.md.

PREFIX ?= /usr/local
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR ?=

PKGS = ncursesw lmdb uuid libsodium jansson libutf8proc
CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes
# Opened with dlopen() on first use, never linked: only their headers
# are needed to build.  ICU for name order (src/collate.c says why) and
# the NATS client of publish and replica (include/natsdl.h).
DLOPEN_PKGS = icu-i18n libnats
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(DLOPEN_PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv

# The release binary links the libraries' static archives (their -dev
# packages ship them) so that the dynamic loader has only libc left to
# map and relocate at each start; without an archive, the shared
# libraries as PKG_LIBS (the sanitized builds always use those).
# -print-file-name answers a bare name for an archive it cannot find.
SYS_L = -ldl -lpthread -lm -lrt -lc
STATIC_ALL_L = $(shell pkg-config --static --libs-only-l $(PKGS) 2>/dev/null)
STATIC_L = $(filter-out $(SYS_L),$(STATIC_ALL_L)) -lcsv
STATIC_A = $(strip $(foreach l,$(STATIC_L:-l%=%),\
    $(shell $(CC) -print-file-name=lib$(l).a)))
STATIC_LIBS = $(if $(filter-out /%,$(STATIC_A))$(if $(STATIC_ALL_L),,no),\
    $(PKG_LIBS),$(STATIC_A) $(filter $(SYS_L),$(STATIC_ALL_L)) -pthread)
RELEASE_LDFLAGS = -Wl,-O1 -Wl,--as-needed
ALL_CFLAGS = $(WARN) $(PKG_CFLAGS) -Iinclude $(CFLAGS)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer \
      -fno-sanitize-recover=all

SRC = $(wildcard src/*.c)
OBJ = $(SRC:src/%.c=build/%.o)
SAN_OBJ = $(SRC:src/%.c=build/san/%.o)
# The core has no curses: unit tests link it alone (TUI tests add tui*).
CORE_SRC = $(filter-out src/main.c src/cli%.c src/tui%.c,$(SRC))
TUI_SRC = $(filter src/tui%.c,$(SRC))
SAN_CORE_OBJ = $(CORE_SRC:src/%.c=build/san/%.o)
SAN_TUI_OBJ = $(TUI_SRC:src/%.c=build/san/%.o)
HDR = $(wildcard include/*.h)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/san/%)

all: rollcall

rollcall: $(OBJ)
	$(CC) $(ALL_CFLAGS) $(RELEASE_LDFLAGS) -o $@ $(OBJ) $(STATIC_LIBS) \
	    $(LDFLAGS)

build/%.o: src/%.c $(HDR) | build
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c $(HDR) | build/san
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/san/rollcall: $(SAN_OBJ)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(SAN_OBJ) $(PKG_LIBS)

build/san/test_tui_%: tests/unit/test_tui_%.c $(SAN_CORE_OBJ) \
    $(SAN_TUI_OBJ) $(HDR)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ $< $(SAN_CORE_OBJ) \
	    $(SAN_TUI_OBJ) $(PKG_LIBS) $$(pkg-config --cflags --libs cmocka)

build/san/test_%: tests/unit/test_%.c $(SAN_CORE_OBJ) $(HDR)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ $< $(SAN_CORE_OBJ) $(PKG_LIBS) \
	    $$(pkg-config --cflags --libs cmocka)

build build/san:
	mkdir -p $@

# Make sure the build (and test) dependencies are there first.
deps:
	@sh .ci/deps build
check-deps:
	@sh .ci/deps check

# pkg-config is read when make starts, so build in a second make.
run: deps
	@$(MAKE) --no-print-directory rollcall
	./rollcall

check: check-deps
	@$(MAKE) --no-print-directory rollcall build/san/rollcall $(UNIT_BIN) \
	    build/fault/rollcall
	@sh tests/run-all.sh

install: rollcall
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	cp -f rollcall $(DESTDIR)$(PREFIX)/bin/rollcall
	chmod 755 $(DESTDIR)$(PREFIX)/bin/rollcall
	cp -f assets/rollcall.1 $(DESTDIR)$(MANPREFIX)/man1/rollcall.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/rollcall.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rollcall \
	    $(DESTDIR)$(MANPREFIX)/man1/rollcall.1

bench: rollcall
	@sh tests/bench/run.sh

clean:
	rm -rf build rollcall

.PHONY: all deps check-deps run check install uninstall \
	bench clean

# ====================================================================
# Reliability (issue 4): fuzzing, fault injection, crash torture,
# valgrind and static analysis.  Builds only into build/fuzz/ and
# build/fault/; the tests live in tests/fuzz, tests/fault,
# tests/torture and tests/hostile.  Short versions of each run in
# `make check` as tests/cli/zz_*.sh.
#
#   make fuzz      libFuzzer on each harness, FUZZ_SECONDS (60) each
#   make fault     every Nth LMDB write fails, for every command type
#   make torture   SIGKILL torture and eight desks, TORTURE_SECONDS (300)
#   make valgrind  the CLI suite under valgrind (errors and leaks)
#   make analyze   cppcheck on src/
#   make reliability   all of the above

FUZZ_SECONDS ?= 60
TORTURE_SECONDS ?= 300
FUZZ_CC = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer
FUZZ_CFLAGS = $(WARN) $(PKG_CFLAGS) -Iinclude -g -O1 $(FUZZ_SAN)
FUZZ_NAMES = event csv validate clock cli
FUZZ_BIN = $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
REPLAY_BIN = $(FUZZ_NAMES:%=build/fuzz/replay_%)
FUZZ_CORE_OBJ = $(CORE_SRC:src/%.c=build/fuzz/%.o)
FUZZ_ALL_OBJ = $(filter-out build/fuzz/main.o,$(SRC:src/%.c=build/fuzz/%.o))
SAN_NOMAIN_OBJ = $(filter-out build/san/main.o,$(SAN_OBJ))
FAULT_WRAP = -Wl,--wrap=mdb_txn_begin,--wrap=mdb_txn_commit \
    -Wl,--wrap=mdb_txn_abort,--wrap=mdb_put,--wrap=mdb_del \
    -Wl,--wrap=mdb_drop,--wrap=mdb_cursor_put,--wrap=mdb_env_set_mapsize \
    -Wl,--wrap=mdb_get,--wrap=mdb_cursor_get,--wrap=mdb_cursor_open \
    -Wl,--wrap=mdb_stat,--wrap=mdb_dbi_open

build/fuzz build/fault:
	mkdir -p $@

# libFuzzer builds (clang): the core with coverage, each harness linked
# with the fuzzer's main.  A harness may skip the inputs of a known bug
# not yet fixed under #ifdef FUZZ_SKIP_KNOWN, so that fuzzing goes on
# looking for new ones while the replay in `make check` keeps failing.
build/fuzz/%.o: src/%.c $(HDR) | build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_cli: tests/fuzz/fuzz_cli.c $(FUZZ_ALL_OBJ) $(HDR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_SKIP_KNOWN -fsanitize=fuzzer \
	    -o $@ $< $(FUZZ_ALL_OBJ) $(PKG_LIBS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE_OBJ) $(HDR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_SKIP_KNOWN -fsanitize=fuzzer \
	    -o $@ $< $(FUZZ_CORE_OBJ) $(PKG_LIBS)

# Replayers (cc + ASan/UBSan, no libFuzzer): regression inputs in check.
build/fuzz/replay_cli: tests/fuzz/fuzz_cli.c tests/fuzz/replay.c \
    $(SAN_NOMAIN_OBJ) $(HDR) | build/fuzz
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ tests/fuzz/fuzz_cli.c \
	    tests/fuzz/replay.c $(SAN_NOMAIN_OBJ) $(PKG_LIBS)

build/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    $(SAN_CORE_OBJ) $(HDR) | build/fuzz
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ $< tests/fuzz/replay.c \
	    $(SAN_CORE_OBJ) $(PKG_LIBS)

# The fault-injection build: the sanitized objects with LMDB wrapped.
build/fault/inject.o: tests/fault/inject.c | build/fault
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/fault/rollcall: $(SAN_OBJ) build/fault/inject.o
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(SAN_OBJ) build/fault/inject.o \
	    $(PKG_LIBS) $(FAULT_WRAP)

reliability-deps:
	@sh tests/fuzz/deps.sh

fuzz: reliability-deps
	@$(MAKE) --no-print-directory $(FUZZ_BIN) $(REPLAY_BIN)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_NAMES)

fault: check-deps
	@$(MAKE) --no-print-directory rollcall build/san/rollcall \
	    build/fault/rollcall
	@FAULT_FULL=1 sh tests/fault/fault.sh

torture: check-deps
	@$(MAKE) --no-print-directory rollcall build/san/rollcall
	@TORTURE_SECONDS=$(TORTURE_SECONDS) sh tests/torture/run.sh

valgrind: reliability-deps
	@$(MAKE) --no-print-directory rollcall build/san/rollcall
	@sh tests/torture/valgrind.sh

analyze: reliability-deps
	@sh tests/torture/analyze.sh

reliability: fuzz fault torture valgrind analyze

.PHONY: reliability-deps fuzz fault torture valgrind analyze reliability
