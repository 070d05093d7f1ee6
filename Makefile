# rollcall - a boring Makefile.  See README.md.

PREFIX ?= /usr/local
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR ?=

PKGS = ncursesw lmdb uuid libsodium jansson
CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
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
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJ) $(PKG_LIBS) $(LDFLAGS)

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
	@$(MAKE) --no-print-directory rollcall build/san/rollcall $(UNIT_BIN)
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
