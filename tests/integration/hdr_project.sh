#!/bin/sh
# hdr_project.sh — project headers through both build integrations (issue
# #9): hdrproj/ has include/locks.h (a LOCK macro and a static inline
# helper that locks) used from src/a.c and src/main.c. It is built
#   1. with make CC="lockinstr-cc cc" from the project top (-Iinclude),
#   2. with make -C src (-I../include: a header directory outside the
#      working directory, passed to the rewriter as a --header-dir),
#   3. with CMake + find_package(lockinstr) + lockinstr_instrument() on a
#      target created in src/ whose include directory is ../include,
#   4. with CMake and CMAKE_C_COMPILER_LAUNCHER=lockinstr-cc (the working
#      directory is the build tree: the root is the source's directory and
#      ../include a --header-dir),
# and each program's profile is checked by hdr_profile.py: one site per use
# line of the macro with its function and exact count, one site for the
# helper's line with the sum over both files. Then the configuration file
# exclude-a.conf (which excludes src/a.c) through both integrations:
# LOCKINSTR_CONFIG and --config for the launcher, CONFIG for CMake; a.c's
# sites are gone (and, with the launcher, which compiles an excluded file
# against the original header, the helper counts main.c's calls only).
. "$LI_TEST_SRC/lib.sh"
unset LOCKINSTR_CONFIG LOCKINSTR_CC_ROOT LOCKINSTR_CC_HEADER_DIRS
fresh_work
L=$LI_LAUNCHER

# run_app DIR PROFILE: runs DIR/app, writing PROFILE.
run_app() {
  (cd "$1" && LOCKINSTR_OUTPUT=$2 LOCKINSTR_QUIET=1 ./app >/dev/null) ||
    fail "$1/app failed (wrong total)"
}

# check PROFILE [hdr_profile.py options]
check() {
  p=$1
  shift
  python3 "$LI_TEST_SRC/hdr_profile.py" "$p" "$LI_WORK/top" "$@" ||
    fail "profile $p"
}

step "make CC=\"lockinstr-cc $LI_CC\" from the project top"
cp -R "$LI_TEST_SRC/hdrproj" top
make -C top CC="$L $LI_CC" >make-top.log 2>&1 || { cat make-top.log; fail "make"; }
grep -q warning make-top.log && { cat make-top.log; fail "the build warned"; }
run_app top "$LI_WORK/top.json"
check "$LI_WORK/top.json"
step "the .d files name the original header, relative as written"
grep -qE '^ +include/locks\.h$' top/obj/main.d ||
  { cat top/obj/main.d; fail "obj/main.d does not list include/locks.h"; }
grep -q 'lockinstr-cc\.' top/obj/*.d && fail "a .d file names the temporary directory"

step "make -C src: -I../include is a header directory outside the root"
cp -R "$LI_TEST_SRC/hdrproj" sub
make -C sub/src CC="$L $LI_CC" >make-sub.log 2>&1 || { cat make-sub.log; fail "make -C src"; }
run_app sub/src "$LI_WORK/sub.json"
check "$LI_WORK/sub.json"
grep -q "$LI_WORK/sub/include/locks.h" sub/src/main.d ||
  { cat sub/src/main.d; fail "main.d does not list the original header"; }

step "LOCKINSTR_CC_ROOT=src: ../include is not the project's, the macro uses are not sites"
cp -R "$LI_TEST_SRC/hdrproj" rooted
LOCKINSTR_CC_ROOT=$LI_WORK/rooted/src make -C rooted/src CC="$L $LI_CC" \
  >make-rooted.log 2>&1 || { cat make-rooted.log; fail "make (rooted)"; }
run_app rooted/src "$LI_WORK/rooted.json"
# no site at all: the runtime then writes no profile
python3 - "$LI_WORK/rooted.json" <<'EOP' || fail "LOCKINSTR_CC_ROOT"
import json, os, sys
sites = json.load(open(sys.argv[1]))["sites"] if os.path.exists(sys.argv[1]) else []
if sites:
    sys.exit("sites although the header is outside LOCKINSTR_CC_ROOT: %s"
             % [(s["file"], s["line"]) for s in sites])
EOP

step "CMake: lockinstr_instrument() on a target in src/ with include/ beside it"
cp -R "$LI_TEST_SRC/hdrproj" cm
"$LI_CMAKE" -S cm -B cm-build -G "Unix Makefiles" -DCMAKE_C_COMPILER="$LI_CC" \
  -DCMAKE_PREFIX_PATH="$LI_PREFIX" >cm-configure.log 2>&1 ||
  { cat cm-configure.log; fail "configure"; }
"$LI_CMAKE" --build cm-build >cm-build.log 2>&1 || { cat cm-build.log; fail "build"; }
copy=cm-build/src/lockinstr/app/_abs$LI_WORK/cm/include/locks.h
grep -q LOCKINSTR_INSTRUMENTED "$copy" || fail "$copy is not an instrumented copy"
run_app cm-build/src "$LI_WORK/cm.json"
check "$LI_WORK/cm.json"

step "CMake with CMAKE_C_COMPILER_LAUNCHER=lockinstr-cc (an out-of-tree build)"
cp -R "$LI_TEST_SRC/hdrproj" cl
"$LI_CMAKE" -S cl -B cl-build -G "Unix Makefiles" -DCMAKE_C_COMPILER="$LI_CC" \
  -DHDR_LAUNCHER=ON -DCMAKE_C_COMPILER_LAUNCHER="$L" \
  -DCMAKE_C_LINKER_LAUNCHER="$L" >cl-configure.log 2>&1 ||
  { cat cl-configure.log; fail "configure (launcher)"; }
"$LI_CMAKE" --build cl-build >cl-build.log 2>&1 || { cat cl-build.log; fail "build (launcher)"; }
run_app cl-build/src "$LI_WORK/cl.json"
check "$LI_WORK/cl.json"

step "a configuration excluding src/a.c: LOCKINSTR_CONFIG (launcher)"
cp -R "$LI_TEST_SRC/hdrproj" ex
LOCKINSTR_CONFIG=$LI_WORK/ex/exclude-a.conf make -C ex CC="$L $LI_CC" \
  >make-ex.log 2>&1 || { cat make-ex.log; fail "make (config)"; }
has_lockinstr_refs ex/obj/a.o && fail "src/a.c was instrumented despite the configuration"
run_app ex "$LI_WORK/ex.json"
check "$LI_WORK/ex.json" --a-excluded

step "the same with lockinstr-cc --config FILE, relative, from make -C src"
cp -R "$LI_TEST_SRC/hdrproj" exsub
make -C exsub/src CC="$L --config ../exclude-a.conf $LI_CC" \
  >make-exsub.log 2>&1 || { cat make-exsub.log; fail "make (--config)"; }
run_app exsub/src "$LI_WORK/exsub.json"
check "$LI_WORK/exsub.json" --a-excluded

step "CMake: lockinstr_instrument(app CONFIG exclude-a.conf)"
cp -R "$LI_TEST_SRC/hdrproj" cmex
"$LI_CMAKE" -S cmex -B cmex-build -G "Unix Makefiles" -DCMAKE_C_COMPILER="$LI_CC" \
  -DCMAKE_PREFIX_PATH="$LI_PREFIX" -DHDR_CONFIG="$LI_WORK/cmex/exclude-a.conf" \
  >cmex-configure.log 2>&1 || { cat cmex-configure.log; fail "configure (CONFIG)"; }
grep -q "CONFIG is not implemented" cmex-configure.log && fail "CONFIG still ignored"
"$LI_CMAKE" --build cmex-build >cmex-build.log 2>&1 || { cat cmex-build.log; fail "build (CONFIG)"; }
run_app cmex-build/src "$LI_WORK/cmex.json"
# a.c is compiled unchanged, but like every source of the target it
# includes the instrumented copy of locks.h: its call of the inline helper
# counts at the helper's site (the launcher compiles an excluded file
# against the original headers instead)
check "$LI_WORK/cmex.json" --a-excluded --helper-acq=5

step "editing the configuration re-instruments"
sleep 1
printf '[exclude]\nfunction = nothing_here\n' >cmex/exclude-a.conf
"$LI_CMAKE" --build cmex-build >cmex-build2.log 2>&1 || { cat cmex-build2.log; fail "rebuild"; }
grep -q 'instrumenting' cmex-build2.log || { cat cmex-build2.log; fail "config change did not re-instrument"; }
run_app cmex-build/src "$LI_WORK/cmex2.json"
check "$LI_WORK/cmex2.json"
echo "hdr_project: ok"
