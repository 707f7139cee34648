#!/bin/sh
# launcher_configure.sh — CC="lockinstr-cc $CC" ./configure && make on an
# autoconf-style project (confproj/): every configure check must come out
# exactly as with the plain compiler (conftest programs compile, link and
# run; missing functions and headers and broken code are still detected),
# config.log must carry no launcher warning, and the program built by make
# is instrumented and writes a profile with its sites.
. "$LI_TEST_SRC/lib.sh"
fresh_work
cp -R "$LI_TEST_SRC/confproj" plain
cp -R "$LI_TEST_SRC/confproj" instr

step "plain: CC=$LI_CC ./configure"
(cd plain && CC="$LI_CC" ./configure >configure.out) || fail "plain configure"
step "launcher: CC=\"lockinstr-cc $LI_CC\" ./configure"
(cd instr && CC="$LI_LAUNCHER $LI_CC" ./configure >configure.out) ||
  { cat instr/config.log; fail "configure through the launcher"; }
cat instr/configure.out
# Same answers (the CC line in config.mk differs, config.h must not).
cmp plain/config.h instr/config.h || fail "config.h differs from the plain compiler's"
sed 's/^CC = .*//' plain/configure.out >a.txt
sed 's/^CC = .*//' instr/configure.out | sed "s|$LI_LAUNCHER ||" >b.txt
sed "s|$LI_LAUNCHER ||" a.txt | cmp - b.txt || fail "configure's answers differ"
grep -q 'lockinstr-cc:' instr/config.log && { cat instr/config.log; fail "launcher output in config.log"; }
grep -q 'HAVE_PTHREAD_MUTEX_LOCK 1' instr/config.h || fail "pthread_mutex_lock not found"
grep -q 'HAVE_LI_NO_SUCH_FUNCTION' instr/config.h && fail "a missing function was found"
grep -q 'NONEXISTENT' instr/config.h && fail "a missing header was found"

step "make"
(cd instr && make >make.log 2>&1) || { cat instr/make.log; fail "make"; }
has_lockinstr_refs instr/prog.o || fail "prog.o is not instrumented"
(cd instr && LOCKINSTR_QUIET=1 ./prog) || fail "prog failed"
check_profile instr --expect prog.c --min-acq 1000
echo "PASS"
