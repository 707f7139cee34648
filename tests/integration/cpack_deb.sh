#!/bin/sh
# cpack_deb.sh — `cpack -G DEB` on the build tree: the package lists the
# tool, the launcher, the headers, the static and shared runtime, the CMake
# package, the pkg-config file, the manual pages, every page of docs/ and
# the copyright file under /usr, declares the libraries the
# tool needs (libclang, clang's resource headers, jansson), and, unpacked
# into a scratch directory (never installed system-wide here), its
# launcher and runtime build and run a program.
. "$LI_TEST_SRC/lib.sh"
fresh_work
step "cpack -G DEB"
"${LI_CPACK:-cpack}" --config "$LI_BINARY_DIR/CPackConfig.cmake" -G DEB \
  -B "$LI_WORK/pkg" >cpack.log 2>&1 || { cat cpack.log; fail "cpack"; }
deb=$(ls pkg/*.deb)
[ -f "$deb" ] || fail "no .deb produced"
dpkg-deb -c "$deb" >contents.txt || fail "dpkg-deb -c"
cat contents.txt
# The library directory is GNUInstallDirs' (lib, or lib/<multiarch>).
lib=./usr/$(sed -n 's/^libdir=\${prefix}\///p' "$LI_BINARY_DIR/lockinstr.pc")
for f in ./usr/bin/lockinstr ./usr/bin/lockinstr-cc \
  ./usr/include/lockinstr.h ./usr/include/lockinstr_api.h \
  ./usr/include/lockinstr_site.h ./usr/include/lockinstr_pthread.h \
  ./usr/include/lockinstr_threads.h \
  $lib/liblockinstr.a $lib/liblockinstr.so $lib/pkgconfig/lockinstr.pc \
  $lib/pkgconfig/lockinstr-shared.pc \
  $lib/cmake/lockinstr/lockinstrConfig.cmake \
  $lib/cmake/lockinstr/Lockinstr.cmake \
  ./usr/share/man/man1/lockinstr.1 ./usr/share/man/man1/lockinstr-report.1 \
  ./usr/share/man/man1/lockinstr-cc.1 ./usr/share/man/man1/lockinstr-diff.1 \
  ./usr/share/man/man3/liblockinstr.3 \
  ./usr/share/doc/lockinstr/copyright ./usr/share/doc/lockinstr/LICENSE \
  ./usr/share/doc/lockinstr/README.md; do
  grep -q " $f\( \|$\)" contents.txt || fail "the package lacks $f"
done

for d in "$LI_SOURCE_DIR"/docs/*.md; do
  f=./usr/share/doc/lockinstr/$(basename "$d")
  grep -q " $f\( \|$\)" contents.txt || fail "the package lacks $f"
done

step "metadata"
dpkg-deb -f "$deb" Package Version Architecture Depends Section | tee control.txt
[ "$(dpkg-deb -f "$deb" Package)" = lockinstr ] || fail "Package"
[ -n "$(dpkg-deb -f "$deb" Version)" ] || fail "Version"
depends=$(dpkg-deb -f "$deb" Depends)
for d in libclang1-14 libclang-common-14-dev libc6 libjansson4; do
  case "$depends" in *"$d"*) ;; *) fail "Depends lacks $d: $depends" ;; esac
done

step "unpacked (not installed), the package builds and profiles a program"
dpkg-deb -x "$deb" root || fail "dpkg-deb -x"
root=$(cd root && pwd -P)
"$root/usr/bin/lockinstr" --version || fail "the packaged lockinstr does not run"
cp -R "$LI_TEST_SRC/makeproj" proj
(cd proj && LOCKINSTR_CC_VERBOSE=1 make CC="$root/usr/bin/lockinstr-cc $LI_CC" \
  >make.log 2>&1) || { cat proj/make.log; fail "make with the packaged launcher"; }
grep -q "$root/usr/.*liblockinstr.a" proj/make.log ||
  { cat proj/make.log; fail "the packaged launcher did not link the packaged runtime"; }
(cd proj && LOCKINSTR_QUIET=1 ./app) || fail "app"
check_profile proj --expect src/queue.c --min-acq 2000
echo "PASS"
