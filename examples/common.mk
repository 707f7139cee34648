# common.mk — the rules every example Makefile shares.
#
# An example's Makefile sets PROG (the program), SRCS (its .c files) and HDRS
# (its own headers), then includes this file. Targets:
#
#   make                  ./$(PROG), the plain program
#   make instrumented     li-out/$(PROG): each source rewritten by lockinstr
#                         into li-out/, compiled against the lockinstr headers
#                         and linked with liblockinstr
#   make run              run the plain program (ARGS="..." for its options)
#   make run-instrumented run li-out/$(PROG); writes lockinstr.<pid>.json
#   make report           lockinstr report on the profiles in this directory
#   make clean
#
# Where lockinstr comes from — every variable can be set on the command line:
#   LOCKINSTR_PREFIX   the repository root (with a build tree in build/) or an
#                      install prefix; default: this repository
#   LOCKINSTR          the lockinstr command
#   LOCKINSTR_INCLUDE  the directory holding lockinstr_site.h & co.
#   LOCKINSTR_LIB      liblockinstr.a (or .so)
#   LOCKINSTR_LIBS     what the runtime needs at link time
# e.g. make instrumented LOCKINSTR_PREFIX=/usr/local
#      make instrumented LOCKINSTR=../../build-me/tool/lockinstr \
#                        LOCKINSTR_LIB=../../build-me/runtime/liblockinstr.a

EXAMPLES_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
LOCKINSTR_PREFIX ?= $(abspath $(EXAMPLES_DIR)/..)

# First existing candidate, else the first one (so errors name a real path).
li_pick = $(firstword $(wildcard $(1)) $(1))

LOCKINSTR ?= $(call li_pick,$(LOCKINSTR_PREFIX)/build/tool/lockinstr \
  $(LOCKINSTR_PREFIX)/bin/lockinstr)
LOCKINSTR_INCLUDE ?= $(LOCKINSTR_PREFIX)/include
LOCKINSTR_LIB ?= $(call li_pick,$(LOCKINSTR_PREFIX)/build/runtime/liblockinstr.a \
  $(LOCKINSTR_PREFIX)/lib/liblockinstr.a \
  $(wildcard $(LOCKINSTR_PREFIX)/lib/*/liblockinstr.a))
LOCKINSTR_LIBS ?= -lpthread -lm
LI_OUT ?= li-out
# Re-instrument when the tool changes (when it is given as a path).
LOCKINSTR_DEP := $(if $(findstring /,$(LOCKINSTR)),$(LOCKINSTR))

CC ?= cc
CFLAGS ?= -O2 -g -Wall -Wextra
STD_CFLAGS := -std=c11
LDLIBS ?= -lpthread
ARGS ?=

.PHONY: all instrumented run run-instrumented report clean
all: $(PROG)

$(PROG): $(SRCS) $(HDRS)
	$(CC) $(STD_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(SRCS) $(LDFLAGS) $(LDLIBS) -o $@

# One rewrite per source, so `make -j` instruments in parallel. The flags
# after -- are the ones the source is compiled with, so libclang sees the
# same program the compiler does.
$(LI_OUT)/%.c: %.c $(HDRS) $(LOCKINSTR_DEP)
	@mkdir -p $(LI_OUT)
	$(LOCKINSTR) $< -o $(LI_OUT) -- $(STD_CFLAGS) $(CPPFLAGS) -I.

# -I. keeps the example's quoted includes working from li-out/.
$(LI_OUT)/$(PROG): $(addprefix $(LI_OUT)/,$(SRCS)) $(LOCKINSTR_LIB)
	$(CC) $(STD_CFLAGS) $(CPPFLAGS) $(CFLAGS) -I. -I$(LOCKINSTR_INCLUDE) \
	  $(addprefix $(LI_OUT)/,$(SRCS)) $(LDFLAGS) $(LOCKINSTR_LIB) \
	  $(LOCKINSTR_LIBS) -o $@

instrumented: $(LI_OUT)/$(PROG)

run: $(PROG)
	./$(PROG) $(ARGS)

run-instrumented: $(LI_OUT)/$(PROG)
	./$(LI_OUT)/$(PROG) $(ARGS)

report:
	$(LOCKINSTR) report lockinstr.*.json

$(LOCKINSTR_DEP) $(LOCKINSTR_LIB):
	@echo "make: $@ not found: build lockinstr first (cmake -S ../.. -B ../../build && cmake --build ../../build), or set LOCKINSTR_PREFIX, LOCKINSTR, LOCKINSTR_LIB" >&2; exit 1

clean:
	rm -rf $(PROG) $(LI_OUT) lockinstr.*.json
