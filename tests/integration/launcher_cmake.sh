#!/bin/sh
# launcher_cmake.sh GENERATOR — lockinstr-cc as CMAKE_C_COMPILER_LAUNCHER
# and CMAKE_C_LINKER_LAUNCHER of an ordinary CMake project that knows
# nothing of lockinstr: it builds, runs and profiles, and the compiler
# dependency files CMake consumes (-MD -MT -MF) track the original header:
# touching src/queue.h rebuilds both objects.
. "$LI_TEST_SRC/lib.sh"
generator=$1
fresh_work
cp -R "$LI_TEST_SRC/makeproj" proj
cat >proj/CMakeLists.txt <<'EOC'
cmake_minimum_required(VERSION 3.21)
project(plain C)
find_package(Threads REQUIRED)
add_executable(app src/main.c src/queue.c)
target_include_directories(app PRIVATE include)
target_compile_definitions(app PRIVATE QUEUE_CAP=8)
target_link_libraries(app PRIVATE Threads::Threads)
EOC
step "configure with the launcher ($generator)"
"$LI_CMAKE" -S proj -B build -G "$generator" -DCMAKE_C_COMPILER="$LI_CC" \
  -DCMAKE_C_COMPILER_LAUNCHER="$LI_LAUNCHER" \
  -DCMAKE_C_LINKER_LAUNCHER="$LI_LAUNCHER" >configure.log 2>&1 ||
  { cat configure.log; fail "configure"; }
step "build"
"$LI_CMAKE" --build build >build1.log 2>&1 || { cat build1.log; fail "build"; }
grep -q 'lockinstr-cc: warning' build1.log && { cat build1.log; fail "warnings"; }
obj=$(find build -name 'queue.c.o' | head -n 1)
has_lockinstr_refs "$obj" || fail "$obj is not instrumented"
(cd build && LOCKINSTR_QUIET=1 ./app) || fail "app"
check_profile build --expect src/queue.c --min-acq 2000
step "touch src/queue.h: both objects are rebuilt"
sleep 1
touch proj/src/queue.h
"$LI_CMAKE" --build build -v >build2.log 2>&1 || { cat build2.log; fail "rebuild"; }
grep -q 'src/queue.c\.o' build2.log && grep -q 'src/main.c\.o' build2.log ||
  { cat build2.log; fail "touching src/queue.h did not rebuild both objects"; }
if grep -rq 'lockinstr-cc\.' build --include='*.d'; then
  fail "a dependency file names the launcher's temporary directory"
fi
if [ "$generator" = Ninja ]; then
  ninja -C build -t deps >deps.txt
  grep -q 'lockinstr-cc\.' deps.txt && fail "ninja's deps name the launcher's temporary directory"
  grep -q '/proj/src/queue\.c$' deps.txt || { cat deps.txt; fail "ninja's deps lack src/queue.c"; }
fi
echo "PASS"
