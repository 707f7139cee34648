# LockinstrInstall.cmake — install rules, CMake package, pkg-config file and
# CPack settings for lockinstr (issue #5). Included from the top-level
# CMakeLists.txt after runtime/ and tool/ have defined their targets.
#
# `cmake --install <build> --prefix <p>` installs:
#   bin/lockinstr, bin/lockinstr-cc            (when built with the tool)
#   include/lockinstr*.h                       public headers
#   lib/liblockinstr.a, lib/liblockinstr.so*   the runtime
#   lib/cmake/lockinstr/                       lockinstrConfig.cmake,
#       lockinstrConfigVersion.cmake, lockinstrTargets*.cmake, Lockinstr.cmake
#   lib/pkgconfig/lockinstr.pc, lockinstr-shared.pc
#   share/doc/lockinstr/                       README, LICENSE (and as
#       copyright), docs/*.md
#   share/man/man1, man3                       the manual pages
# (lib = GNUInstallDirs' CMAKE_INSTALL_LIBDIR). Everything is relocatable:
# the package config and the .pc file find the prefix from their own
# location, lockinstr-cc from its own.
#
# Also makes lockinstr_instrument() available to a project that includes
# lockinstr with add_subdirectory(), with the same target names as the
# installed package (lockinstr::lockinstr, lockinstr::runtime,
# lockinstr::runtime_shared).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
include(${CMAKE_CURRENT_LIST_DIR}/Lockinstr.cmake)

# In-tree, the same names as the installed package's imported targets.
if(TARGET lockinstr AND NOT TARGET lockinstr::lockinstr)
  add_executable(lockinstr::lockinstr ALIAS lockinstr)
endif()
if(TARGET lockinstr-cc AND NOT TARGET lockinstr::cc)
  add_executable(lockinstr::cc ALIAS lockinstr-cc)
endif()
if(TARGET lockinstr_static AND NOT TARGET lockinstr::runtime)
  add_library(lockinstr::runtime ALIAS lockinstr_static)
endif()
if(TARGET lockinstr_shared AND NOT TARGET lockinstr::runtime_shared)
  add_library(lockinstr::runtime_shared ALIAS lockinstr_shared)
endif()

if(CMAKE_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR)
  set(li_install_default ON)
else()
  set(li_install_default OFF) # a subproject does not install by default
endif()
option(LOCKINSTR_INSTALL "Generate lockinstr's install rules"
       ${li_install_default})
if(NOT LOCKINSTR_INSTALL)
  return()
endif()

set(LOCKINSTR_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lockinstr
    CACHE STRING "Where lockinstrConfig.cmake is installed")

# Targets, with the exported names of the package.
set(li_export "")
foreach(pair IN ITEMS lockinstr_static:runtime lockinstr_shared:runtime_shared
                      lockinstr:lockinstr lockinstr-cc:cc)
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 tgt)
  list(GET pair 1 name)
  if(TARGET ${tgt})
    set_target_properties(${tgt} PROPERTIES EXPORT_NAME ${name})
    list(APPEND li_export ${tgt})
  endif()
endforeach()
install(TARGETS ${li_export} EXPORT lockinstrTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
          NAMELINK_COMPONENT devel
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT lockinstrTargets NAMESPACE lockinstr::
        DESTINATION ${LOCKINSTR_CMAKE_INSTALL_DIR} COMPONENT devel)

# Public headers: every header of include/ (the runtime API, the lock-API
# table, the site descriptor and the wrapper definitions).
install(DIRECTORY ${LOCKINSTR_INCLUDE_DIR}/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel
        FILES_MATCHING PATTERN "lockinstr*.h")

# CMake package.
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/lockinstrConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/lockinstrConfig.cmake
  INSTALL_DESTINATION ${LOCKINSTR_CMAKE_INSTALL_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# 0.x: a minor release may change the interface.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/lockinstrConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/lockinstrConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/lockinstrConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/Lockinstr.cmake
        DESTINATION ${LOCKINSTR_CMAKE_INSTALL_DIR} COMPONENT devel)

# pkg-config, relocatable through ${pcfiledir}.
set(li_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH LI_PC_TO_PREFIX ${CMAKE_INSTALL_PREFIX}/${li_pc_dir}
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" LI_PC_TO_PREFIX "${LI_PC_TO_PREFIX}")
file(RELATIVE_PATH LI_PC_LIBDIR ${CMAKE_INSTALL_PREFIX}
     ${CMAKE_INSTALL_FULL_LIBDIR})
file(RELATIVE_PATH LI_PC_INCLUDEDIR ${CMAKE_INSTALL_PREFIX}
     ${CMAKE_INSTALL_FULL_INCLUDEDIR})
# lockinstr: the static runtime (starts from any prefix); lockinstr-shared:
# liblockinstr.so with an rpath.
foreach(pc lockinstr lockinstr-shared)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in
                 ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc
          DESTINATION ${li_pc_dir} COMPONENT devel)
endforeach()

# Documentation: the README, the license (also as Debian's `copyright`),
# every page of docs/, and the manual pages (LockinstrMan.cmake).
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT devel)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright COMPONENT devel)
file(GLOB li_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${li_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT devel)
include(${CMAKE_CURRENT_LIST_DIR}/LockinstrMan.cmake)

# CPack: `cpack -G DEB` (or TGZ) in the build directory. Top level only.
if(NOT CMAKE_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR)
  return()
endif()
set(CPACK_PACKAGE_NAME lockinstr)
set(CPACK_PACKAGE_VENDOR "lockinstr project")
set(CPACK_PACKAGE_CONTACT "lockinstr maintainers <lockinstr@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "lock profiler for C: source instrumentation, runtime and reports")
set(CPACK_PACKAGE_DESCRIPTION
"lockinstr finds the lock calls of C programs with libclang and rewrites
each one to go through an instrumented wrapper that carries its call site.
The runtime library counts acquisitions and contentions, measures wait and
hold times and records the lock-order graph; `lockinstr report` shows the
profile as a table, JSON, pprof or HTML. Build integration: CMake package
with lockinstr_instrument(), the lockinstr-cc compiler launcher, and
pkg-config.")
set(CPACK_GENERATOR TGZ DEB) # DEB installs under /usr (its default prefix)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gcc | c-compiler, pkg-config")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "golang-go")
# The tool parses with libclang and needs clang's resource headers
# (<stddef.h>, ...) at run time: libclang-common-14-dev ships them.
find_program(LI_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(LI_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libclang-common-14-dev")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6 (>= 2.34), libclang1-14, libclang-common-14-dev, libjansson4, zlib1g, libprotobuf-c1")
endif()
# `cpack --config CPackSourceConfig.cmake`: a source tarball without build
# trees, git metadata or profiles.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/[.]git/" "/build[^/]*/" "/out/" "/li-out/"
    "lockinstr[.][0-9]+[.]json$" "/[.]cache/")
include(CPack)
