# Waypost build. The two commands a newcomer needs are `make run` and
# `make check`; both install missing Debian packages first (scripts/deps.sh).
#
#   make run     build, create/migrate var/waypost.db, load data, serve :8080
#                (PORT=8081 or LISTEN=ADDR:PORT to serve elsewhere)
#   make check   build with -Werror, unit tests under ASan+UBSan, HTTP tests,
#                browser tests; ends with "N passed, N failed"
#   make fuzz    run each libFuzzer harness for FUZZ_SECONDS
#   make bench   benchmarks against nginx (pages.sh writes docs/benchmarks.md; issue_pages.sh prints a table)
#   make lint    cppcheck plus the banned-function check
#   make pot     extract po/waypost.pot (templates, C, data) for translators
#   make po-update  merge po/waypost.pot into every po/<code>.po

CC ?= cc
PKGS := libmicrohttpd sqlite3 jansson md4c-html libsodium zlib libzstd liblz4 inih libqrencode libcurl libjpeg libpng libwebp
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
WARN := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
BASE_CFLAGS = $(WARN) -D_GNU_SOURCE -Isrc -g $(PKG_CFLAGS)
CFLAGS ?= -O2
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LIBS = $(PKG_LIBS) -lpthread -lm
FUZZ_SECONDS ?= 30
NPROC := $(shell nproc 2>/dev/null || echo 2)
# `make run PORT=8081`, or `make run LISTEN=0.0.0.0:8080` for another address.
PORT ?= 8080
LISTEN ?= 127.0.0.1:$(PORT)

# Quiet by default: `make V=1` shows each command.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n'
endif

SRC := $(shell find src -name '*.c' | sort)
LIB_SRC := $(filter-out src/main.c,$(SRC))
MIGRATIONS := $(sort $(wildcard db/migrations/*.sql))
GEN := build/gen/migrations.c
ZDICTS := $(sort $(wildcard db/zdict/*.txt db/zdict/*.zstd))
BDICTS := $(sort $(wildcard db/bdict/*.bin))

OBJ := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC)) build/obj/gen/migrations.o build/obj/gen/zdicts.o build/obj/gen/bdicts.o
SAN_OBJ := $(patsubst src/%.c,build/san/%.o,$(LIB_SRC)) build/san/gen/migrations.o build/san/gen/zdicts.o build/san/gen/bdicts.o
UNIT_SRC := $(shell find tests/unit -name 'test_*.c' 2>/dev/null | sort)
UNIT_BIN := $(patsubst tests/unit/%.c,build/unit/%,$(UNIT_SRC))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
# the library compiled once for every harness (coverage hooks without
# libFuzzer's main; each harness links libFuzzer)
FUZZ_OBJ := $(patsubst src/%.c,build/fuzzobj/%.o,$(LIB_SRC)) build/fuzzobj/gen/migrations.o build/fuzzobj/gen/zdicts.o build/fuzzobj/gen/bdicts.o
FUZZ_CFLAGS := $(WARN) -D_GNU_SOURCE -Isrc -g -O1 $(PKG_CFLAGS)
.SECONDARY: $(FUZZ_OBJ)

.PHONY: all deps deps-check run check unit http browser fuzz bench lint pot po-update clean

all: build/waypost

deps:
	@scripts/deps.sh run

deps-check:
	@scripts/deps.sh check

run: deps
	@$(MAKE) --no-print-directory -j$(NPROC) build/waypost
	@mkdir -p var
	@build/waypost migrate
	@build/waypost seed
	@exec build/waypost serve --listen $(LISTEN)

check: deps-check
	@$(MAKE) --no-print-directory -j$(NPROC) build/waypost build/waypost-san $(UNIT_BIN)
	@tests/run-all.sh

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) -std=c17 -Wall -Wextra -Werror -O1 -o $@ $<

$(GEN): build/tools/embed $(MIGRATIONS)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)build/tools/embed migrations $@ $(MIGRATIONS)

build/gen/zdicts.c: build/tools/embed $(ZDICTS)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)build/tools/embed zdicts $@ $(ZDICTS)

build/gen/bdicts.c: build/tools/embed $(BDICTS)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)build/tools/embed bdicts $@ $(BDICTS)

# Makes a brief dictionary, or with --documents a service documents' one,
# from a seeded database (maintainers only; a shipped dictionary is never
# changed): see tools/build_brief_dict.c.
build/tools/build_brief_dict: tools/build_brief_dict.c $(OBJ)
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(OBJ) $(LIBS)

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

build/san/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) -O1 $(SAN) -c -o $@ $<

build/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

build/san/%.o: src/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) -O1 $(SAN) -MMD -MP -c -o $@ $<

build/waypost: $(OBJ) build/obj/main.o
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/waypost-san: $(SAN_OBJ) build/san/main.o
	$(say) LD $@
	$(Q)$(CC) $(SAN) -o $@ $^ $(LIBS)

build/unit/%: tests/unit/%.c $(SAN_OBJ)
	@mkdir -p $(@D)
	$(say) TEST $@
	$(Q)$(CC) $(BASE_CFLAGS) -O1 $(SAN) -Itests/unit $(shell pkg-config --cflags cmocka) -o $@ $< $(SAN_OBJ) $(LIBS) $(shell pkg-config --libs cmocka)

unit: deps-check $(UNIT_BIN)
	@tests/run-all.sh unit

http: build/waypost build/waypost-san
	@tests/run-all.sh http

browser: build/waypost build/waypost-san
	@tests/run-all.sh browser

build/fuzzobj/%.o: src/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c -o $@ $<

build/fuzzobj/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(say) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(LIBS)

fuzz: deps-check $(FUZZ_BIN)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

bench: build/waypost
	bench/pages.sh
	bench/issue_pages.sh

lint: deps-check
	scripts/lint.sh

pot: deps-check
	@python3 tools/i18n_extract.py

po-update: pot
	@for po in po/*.po; do msgmerge --quiet --update --backup=none --no-wrap "$$po" po/waypost.pot && \
	  printf '  %-12s ' "$$po" && msgfmt --statistics -o /dev/null "$$po"; done

clean:
	rm -rf build

-include $(shell find build/obj build/san build/fuzzobj -name '*.d' 2>/dev/null)
