# Lockinstr.cmake — lockinstr_instrument(): lock profiling for a CMake target.
#
#   lockinstr_instrument(<target> [EXCLUDE <glob>...] [OUTPUT_DIR <dir>]
#                        [CONFIG <file>] [HEADER_DIRS <dir>...])
#
# For every C source of <target>, adds a build step that runs the lockinstr
# rewriter on it with the target's own include directories, compile
# definitions, compile options and C standard, and compiles the rewritten
# copy instead of the original (its #line directives keep diagnostics and
# debug info on the original). One custom command per source, depending on
# that source, the tool and the target's flags, so touching one source
# re-instruments only that source. The target's flags are written by
# file(GENERATE), which evaluates them as for a C compile; the step itself is
# `cmake -P` of this file (script mode, at the end), which reads them and
# runs the tool. The target is linked with the lockinstr runtime.
#
#   EXCLUDE     path globs relative to the target's source directory (`*`
#               within a path component, `**` across components, `?` one
#               character); a glob that matches a directory excludes
#               everything under it. Excluded sources compile unchanged.
#   OUTPUT_DIR  where rewritten sources go (default
#               <target binary dir>/lockinstr/<target>).
#   CONFIG      the lockinstr configuration file (`--config`); without
#               it, the nearest `.lockinstr` above each source applies. Either
#               file is a dependency of the rewrite steps.
#   HEADER_DIRS more directories whose headers are the project's (besides
#               the include directories under the top source directory).
#
# Headers: each step also writes a dependency file (`lockinstr --depfile`,
# under CMakeFiles/<target>.dir/lockinstr/) naming every header its source
# includes, given to add_custom_command's DEPFILE where the generator reads
# one (Ninja; Makefiles with CMake 3.20 or newer), so that editing a header
# (a lock macro, a static inline lock helper) re-runs the rewrite of the
# sources that include it. With the Makefile generators of CMake 3.18 and
# 3.19, IMPLICIT_DEPENDS does that.
#
# Project headers (issue #9): the headers a source includes from its own
# directory tree, or from one of the target's include directories that lies
# under the top source directory (not under the top build directory), are
# instrumented into OUTPUT_DIR too, and the target's include path starts
# with their copies' directories (BEFORE), so every file of the target sees
# the instrumented headers and a header macro's uses report their own sites.
#
# Works with the installed package (find_package(lockinstr): imported
# targets lockinstr::lockinstr and lockinstr::runtime) and in-tree
# (add_subdirectory of the lockinstr sources: targets lockinstr and
# lockinstr_static). Must be called in the directory that created <target>,
# after all its sources have been added. See docs/build-integration.md.
include_guard(GLOBAL)
if(CMAKE_VERSION VERSION_LESS 3.18) # TARGET_DIRECTORY, $<REMOVE_DUPLICATES>
  message(FATAL_ERROR "Lockinstr.cmake needs CMake 3.18 or newer")
endif()
# The functions below record the policies in effect where they are defined
# and run with them, whatever the caller's cmake_minimum_required: CMP0116
# NEW (CMake >= 3.20) lets Ninja read the rewrite steps' dependency files,
# whose paths are absolute, from any directory without a policy warning.
cmake_policy(PUSH)
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

# Sets OUT_TOOL and OUT_RUNTIME to the targets to use, or fails.
function(_lockinstr_find_targets out_tool out_runtime)
  set(tool "")
  foreach(t IN ITEMS lockinstr::lockinstr lockinstr)
    if(TARGET ${t})
      get_target_property(real ${t} ALIASED_TARGET)
      if(real)
        set(tool ${real})
      else()
        set(tool ${t})
      endif()
      break()
    endif()
  endforeach()
  set(rt "")
  foreach(t IN ITEMS lockinstr::runtime lockinstr_static)
    if(TARGET ${t})
      set(rt ${t})
      break()
    endif()
  endforeach()
  if(NOT tool OR NOT rt)
    message(FATAL_ERROR
      "lockinstr_instrument: the lockinstr tool or runtime target is missing "
      "(tool: '${tool}', runtime: '${rt}'). Use find_package(lockinstr) or "
      "add_subdirectory() of lockinstr built with LOCKINSTR_BUILD_TOOL=ON "
      "before calling lockinstr_instrument().")
  endif()
  set(${out_tool} ${tool} PARENT_SCOPE)
  set(${out_runtime} ${rt} PARENT_SCOPE)
endfunction()

# Sets OUT to an anchored regular expression for path glob GLOB: `**/` any
# directories, `**` anything, `*` within a component, `?` one character;
# a match of a leading directory matches everything under it.
function(_lockinstr_glob_regex glob out)
  string(REGEX REPLACE "^\\./" "" g "${glob}")
  string(REGEX REPLACE "/+$" "" g "${g}")
  string(REGEX REPLACE "([][.+^$(){}|\\\\])" "\\\\\\1" g "${g}")
  string(REPLACE "**/" "@LI_ANYDIRS@" g "${g}")
  string(REPLACE "**" "@LI_ANY@" g "${g}")
  string(REPLACE "*" "[^/]*" g "${g}")
  string(REPLACE "?" "[^/]" g "${g}")
  string(REPLACE "@LI_ANYDIRS@" "(.*/)?" g "${g}")
  string(REPLACE "@LI_ANY@" ".*" g "${g}")
  set(${out} "^${g}(/.*)?$" PARENT_SCOPE)
endfunction()

# Sets OUT to TRUE if REL (relative to the source dir) or ABS matches one
# of the regular expressions in LIST_VAR (the name of a list variable).
function(_lockinstr_excluded rel abs _li_list_var out)
  set(hit FALSE)
  foreach(re IN LISTS ${_li_list_var})
    if(rel MATCHES "${re}" OR abs MATCHES "${re}")
      set(hit TRUE)
      break()
    endif()
  endforeach()
  set(${out} ${hit} PARENT_SCOPE)
endfunction()

# Sets OUT to TRUE if SRC (absolute) of TARGET is a C source.
function(_lockinstr_is_c target src out)
  get_source_file_property(lang "${src}" TARGET_DIRECTORY ${target} LANGUAGE)
  get_source_file_property(hdr "${src}" TARGET_DIRECTORY ${target}
                           HEADER_FILE_ONLY)
  set(is_c FALSE)
  if(hdr)
    # listed for IDEs only
  elseif(lang STREQUAL "C")
    set(is_c TRUE)
  elseif(NOT lang AND src MATCHES "\\.c$")
    set(is_c TRUE)
  endif()
  set(${out} ${is_c} PARENT_SCOPE)
endfunction()

# Escapes VALUE for use inside a generator expression's argument.
function(_lockinstr_genex_escape value out)
  string(REPLACE ">" "$<ANGLE-R>" value "${value}")
  string(REPLACE "," "$<COMMA>" value "${value}")
  string(REPLACE ";" "$<SEMICOLON>" value "${value}")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# Writes, at generation time, the flags TARGET's C sources are compiled
# with, one per line, to <OUTDIR>/flags-<CONFIG>-C.rsp, and sets OUT to that
# path (a generator expression). file(GENERATE) evaluates the target's
# properties per compile language, so $<COMPILE_LANGUAGE:C> and
# $<COMPILE_LANG_AND_ID:...> in them mean what they mean when compiling,
# which a custom command's own command line cannot do.
function(_lockinstr_target_flags target outdir out)
  set(t ${target})
  set(nl "\n")
  set(inc "$<REMOVE_DUPLICATES:$<TARGET_PROPERTY:${t},INCLUDE_DIRECTORIES>>")
  set(def "$<REMOVE_DUPLICATES:$<TARGET_PROPERTY:${t},COMPILE_DEFINITIONS>>")
  set(opt "$<TARGET_PROPERTY:${t},COMPILE_OPTIONS>")
  get_target_property(srcdir ${t} SOURCE_DIR)
  get_directory_property(dir_defs DIRECTORY "${srcdir}" COMPILE_DEFINITIONS)
  set(std "$<TARGET_PROPERTY:${t},C_STANDARD>")
  set(ext "$<TARGET_PROPERTY:${t},C_EXTENSIONS>")
  set(gnu "$<OR:$<STREQUAL:${ext},>,$<BOOL:${ext}>>")
  separate_arguments(global UNIX_COMMAND "${CMAKE_C_FLAGS}")
  set(text "")
  foreach(f IN LISTS global)
    _lockinstr_genex_escape("${f}" f)
    string(APPEND text "${f}${nl}")
  endforeach()
  foreach(cfg IN ITEMS Debug Release RelWithDebInfo MinSizeRel
                       ${CMAKE_CONFIGURATION_TYPES})
    string(TOUPPER "${cfg}" CFG)
    separate_arguments(cf UNIX_COMMAND "${CMAKE_C_FLAGS_${CFG}}")
    foreach(f IN LISTS cf)
      _lockinstr_genex_escape("${f}" f)
      string(APPEND text "$<$<CONFIG:${cfg}>:${f}>${nl}")
    endforeach()
  endforeach()
  foreach(d IN LISTS dir_defs)
    _lockinstr_genex_escape("-D${d}" d)
    string(APPEND text "${d}${nl}")
  endforeach()
  string(APPEND text
    "$<$<BOOL:${inc}>:-I$<JOIN:${inc},${nl}-I>>${nl}"
    "$<$<BOOL:${def}>:-D$<JOIN:${def},${nl}-D>>${nl}"
    "$<JOIN:${opt},${nl}>${nl}"
    "$<$<BOOL:${std}>:-std=$<IF:${gnu},gnu,c>${std}>${nl}")
  set(target_arg "")
  if(NOT CMAKE_VERSION VERSION_LESS 3.19)
    set(target_arg TARGET ${t})
  endif()
  file(GENERATE OUTPUT "${outdir}/flags-$<CONFIG>-$<COMPILE_LANGUAGE>.rsp"
       CONTENT "${text}" ${target_arg})
  set(${out} "${outdir}/flags-$<CONFIG>-C.rsp" PARENT_SCOPE)
endfunction()

# Sets OUT_ROOT / OUT_DIR / OUT_REL for source SRC: the rewriter's --root,
# its -o directory, and the output's path below it.
function(_lockinstr_layout src srcdir bindir outdir out_root out_dir out_rel)
  file(RELATIVE_PATH rel "${srcdir}" "${src}")
  if(NOT rel MATCHES "^\\.\\./")
    set(root "${srcdir}")
    set(dir "${outdir}")
  else()
    file(RELATIVE_PATH rel "${bindir}" "${src}")
    if(NOT rel MATCHES "^\\.\\./")
      set(root "${bindir}")
      set(dir "${outdir}/_build")
    else()
      get_filename_component(root "${src}" DIRECTORY)
      get_filename_component(rel "${src}" NAME)
      string(MD5 h "${root}")
      string(SUBSTRING "${h}" 0 12 h)
      set(dir "${outdir}/_ext/${h}")
    endif()
  endif()
  set(${out_root} "${root}" PARENT_SCOPE)
  set(${out_dir} "${dir}" PARENT_SCOPE)
  set(${out_rel} "${rel}" PARENT_SCOPE)
endfunction()

# Copies the per-source compile properties of SRC to its rewritten copy OUT
# (so it is compiled like the original), adds the original's directory to
# the quoted-include path, maps the rewritten tree ODIR to the original ROOT
# in debug info (gcc/clang), and returns in OUT_FLAGS the flags the
# rewriter needs from them.
function(_lockinstr_copy_source_props target src out odir root out_flags)
  set(flags "")
  set(props "")
  foreach(p IN ITEMS COMPILE_DEFINITIONS COMPILE_OPTIONS INCLUDE_DIRECTORIES
                     COMPILE_FLAGS)
    get_source_file_property(v "${src}" TARGET_DIRECTORY ${target} ${p})
    if(v)
      list(APPEND props ${p} "${v}")
      if(p STREQUAL "COMPILE_DEFINITIONS")
        list(TRANSFORM v PREPEND "-D")
      elseif(p STREQUAL "INCLUDE_DIRECTORIES")
        list(TRANSFORM v PREPEND "-I")
      elseif(p STREQUAL "COMPILE_FLAGS")
        separate_arguments(v UNIX_COMMAND "${v}")
      endif()
      list(APPEND flags ${v})
    endif()
  endforeach()
  get_filename_component(dir "${src}" DIRECTORY)
  get_source_file_property(opts "${src}" TARGET_DIRECTORY ${target}
                           COMPILE_OPTIONS)
  if(NOT opts)
    set(opts "")
  endif()
  # Quoted includes resolve from the original's directory too, as they
  # would when compiling the original (joined form: one list element). The
  # compile unit is named after the original, not the rewritten copy.
  # Header copies of a --header-dir sit under _abs/<absolute path>: that
  # map is given last (gcc applies the last match; clang the longest).
  set(gnu "$<C_COMPILER_ID:GNU,Clang,AppleClang>")
  set(map "$<${gnu}:-fdebug-prefix-map=${odir}=${root}>")
  set(absmap "$<${gnu}:-fdebug-prefix-map=${odir}/_abs=>")
  set_source_files_properties("${out}" TARGET_DIRECTORY ${target} PROPERTIES
    GENERATED TRUE COMPILE_OPTIONS "-iquote${dir};${map};${absmap};${opts}")
  foreach(p IN ITEMS COMPILE_DEFINITIONS INCLUDE_DIRECTORIES COMPILE_FLAGS)
    get_source_file_property(v "${src}" TARGET_DIRECTORY ${target} ${p})
    if(v)
      set_source_files_properties("${out}" TARGET_DIRECTORY ${target}
                                  PROPERTIES ${p} "${v}")
    endif()
  endforeach()
  set(${out_flags} "${flags}" PARENT_SCOPE)
endfunction()

# Links TARGET with runtime target RT, whichever target_link_libraries
# signature the project uses for TARGET.
function(_lockinstr_link target rt)
  get_target_property(type ${target} TYPE)
  set_property(TARGET ${target} APPEND PROPERTY LINK_LIBRARIES ${rt})
  if(type STREQUAL "STATIC_LIBRARY" OR type STREQUAL "OBJECT_LIBRARY")
    set_property(TARGET ${target} APPEND PROPERTY INTERFACE_LINK_LIBRARIES
                 "$<LINK_ONLY:${rt}>")
  endif()
endfunction()

# Sets OUT to TRUE if absolute DIR is DIR_ROOT or lies under it.
function(_lockinstr_under dir dir_root out)
  file(RELATIVE_PATH rel "${dir_root}" "${dir}")
  if(rel MATCHES "^\\.\\.(/|$)" OR IS_ABSOLUTE "${rel}")
    set(${out} FALSE PARENT_SCOPE)
  else()
    set(${out} TRUE PARENT_SCOPE)
  endif()
endfunction()

# Sets OUT to the header directory class of absolute include directory DIR
# for a target whose sources are rewritten with --root ROOT: "root" (under
# the root: its copies mirror it), "header" (a --header-dir: under the top
# source directory TOP and not under the top build directory BINTOP, or
# listed in the list variable named by _LI_EXTRA_VAR), or "" (neither:
# system and third-party headers, generated headers in the build tree).
function(_lockinstr_dir_class dir root top bintop _li_extra_var out)
  set(cls "")
  _lockinstr_under("${dir}" "${root}" in_root)
  if(in_root)
    set(cls root)
  else()
    _lockinstr_under("${dir}" "${top}" in_top)
    set(in_bin FALSE)
    if(NOT top STREQUAL bintop)
      _lockinstr_under("${dir}" "${bintop}" in_bin)
    endif()
    if(in_top AND NOT in_bin)
      set(cls header)
    endif()
    foreach(x IN LISTS ${_li_extra_var})
      _lockinstr_under("${dir}" "${x}" in_x)
      if(in_x)
        set(cls header)
      endif()
    endforeach()
  endif()
  set(${out} "${cls}" PARENT_SCOPE)
endfunction()

# Appends to the list variable named by _LI_OUT_VAR the include directories
# of TARGET known at configure time: its INCLUDE_DIRECTORIES, and the
# INTERFACE_INCLUDE_DIRECTORIES of the project's targets it links
# (transitively). Plain entries and $<BUILD_INTERFACE:...> only; other
# generator expressions cannot be read before generation.
function(_lockinstr_known_includes target _li_out_var)
  set(dirs "")
  set(seen "")
  set(todo "")
  get_target_property(inc ${target} INCLUDE_DIRECTORIES)
  if(inc)
    list(APPEND dirs ${inc})
  endif()
  get_target_property(libs ${target} LINK_LIBRARIES)
  if(libs)
    list(APPEND todo ${libs})
  endif()
  while(todo)
    list(POP_FRONT todo lib)
    if(NOT TARGET "${lib}" OR lib IN_LIST seen)
      continue()
    endif()
    list(APPEND seen "${lib}")
    get_target_property(imported "${lib}" IMPORTED)
    if(imported)
      continue() # an installed package: never the project's headers
    endif()
    get_target_property(inc "${lib}" INTERFACE_INCLUDE_DIRECTORIES)
    if(inc)
      list(APPEND dirs ${inc})
    endif()
    get_target_property(more "${lib}" INTERFACE_LINK_LIBRARIES)
    if(more)
      list(APPEND todo ${more})
    endif()
  endwhile()
  set(out "${${_li_out_var}}")
  foreach(d IN LISTS dirs)
    if(d MATCHES "^\\$<BUILD_INTERFACE:([^$>]*)>$")
      set(d "${CMAKE_MATCH_1}")
    endif()
    if(d STREQUAL "" OR d MATCHES "\\$<")
      continue()
    endif()
    get_filename_component(d "${d}" ABSOLUTE)
    list(APPEND out "${d}")
  endforeach()
  list(REMOVE_DUPLICATES out)
  set(${_li_out_var} "${out}" PARENT_SCOPE)
endfunction()

# Sets OUT to the configuration file the rewriter finds for SRC with no
# --config: the nearest .lockinstr in SRC's directory or above it, not
# above a directory holding .git (docs/configuration.md), or "".
function(_lockinstr_discover_config src out)
  get_filename_component(d "${src}" DIRECTORY)
  set(found "")
  while(TRUE)
    if(EXISTS "${d}/.lockinstr" AND NOT IS_DIRECTORY "${d}/.lockinstr")
      set(found "${d}/.lockinstr")
      break()
    endif()
    get_filename_component(up "${d}" DIRECTORY)
    if(EXISTS "${d}/.git" OR up STREQUAL d)
      break()
    endif()
    set(d "${up}")
  endwhile()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# Sets OUT to how the rewrite steps learn the headers a source includes
# with this generator: "depfile" (the rewriter's --depfile, read through
# DEPFILE: Ninja, and Makefiles since CMake 3.20), "implicit" (CMake's own
# scan, IMPLICIT_DEPENDS: Makefiles before 3.20), or "" (neither: other
# generators do not track the headers of a custom command).
function(_lockinstr_dep_mode out)
  set(mode "")
  if(CMAKE_GENERATOR MATCHES "^Ninja")
    set(mode depfile)
  elseif(CMAKE_GENERATOR MATCHES "Makefiles")
    if(CMAKE_VERSION VERSION_LESS 3.20)
      set(mode implicit)
    else()
      set(mode depfile)
    endif()
  endif()
  set(${out} "${mode}" PARENT_SCOPE)
endfunction()

# Sets OUT to the target to name in the dependency file of the step whose
# output is absolute path OUTPUT: "" (the rewriter's default, the absolute
# path) where CMake rewrites the file for Ninja (CMP0116 NEW) or reads it
# itself (Makefiles); else (Ninja with CMake 3.18 or 3.19, which hands the
# file to Ninja as it is) the output as build.ninja names it, relative to
# the top build directory when under it, because Ninja ignores a depfile
# whose target is spelled otherwise and re-runs the step on every build.
function(_lockinstr_dep_target output out)
  set(t "")
  if(CMAKE_GENERATOR MATCHES "^Ninja" AND NOT POLICY CMP0116)
    _lockinstr_under("${output}" "${CMAKE_BINARY_DIR}" in_bin)
    if(in_bin)
      file(RELATIVE_PATH t "${CMAKE_BINARY_DIR}" "${output}")
    else()
      set(t "${output}")
    endif()
  endif()
  set(${out} "${t}" PARENT_SCOPE)
endfunction()

function(lockinstr_instrument target)
  cmake_parse_arguments(PARSE_ARGV 1 LI "" "OUTPUT_DIR;CONFIG"
                        "EXCLUDE;HEADER_DIRS")
  if(LI_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "lockinstr_instrument: unknown arguments: ${LI_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "lockinstr_instrument: no target named '${target}'")
  endif()
  get_target_property(type ${target} TYPE)
  get_target_property(imported ${target} IMPORTED)
  get_target_property(aliased ${target} ALIASED_TARGET)
  if(imported OR aliased OR NOT type MATCHES
     "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
    message(FATAL_ERROR "lockinstr_instrument: '${target}' is not a target "
                        "this project compiles (type ${type})")
  endif()
  get_target_property(done ${target} LOCKINSTR_INSTRUMENTED)
  if(done)
    message(FATAL_ERROR
      "lockinstr_instrument: '${target}' is already instrumented")
  endif()
  get_target_property(srcdir ${target} SOURCE_DIR)
  get_target_property(bindir ${target} BINARY_DIR)
  if(NOT srcdir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    message(FATAL_ERROR
      "lockinstr_instrument: call it in the directory that created "
      "'${target}' (${srcdir}): the rewritten sources are generated by "
      "custom commands, which only a target of the same directory can use")
  endif()
  set(config "")
  if(LI_CONFIG)
    get_filename_component(config "${LI_CONFIG}" ABSOLUTE
                           BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${config}")
      message(FATAL_ERROR "lockinstr_instrument: CONFIG file '${config}' "
                          "does not exist")
    endif()
  endif()
  set(hdirs "")
  foreach(d IN LISTS LI_HEADER_DIRS)
    get_filename_component(d "${d}" ABSOLUTE
                           BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND hdirs "${d}")
  endforeach()
  if(NOT LI_OUTPUT_DIR)
    set(LI_OUTPUT_DIR "${bindir}/lockinstr/${target}")
  endif()
  get_filename_component(outdir "${LI_OUTPUT_DIR}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(self "${CMAKE_CURRENT_FUNCTION_LIST_FILE}") # runs the rewrite (-P)
  _lockinstr_find_targets(tool rt)
  get_target_property(tool_imported ${tool} IMPORTED)
  if(tool_imported)
    set(tool_dep "$<TARGET_FILE:${tool}>")
  else()
    set(tool_dep ${tool})
  endif()

  set(li_regexes "")
  foreach(glob IN LISTS LI_EXCLUDE)
    _lockinstr_glob_regex("${glob}" re)
    list(APPEND li_regexes "${re}")
  endforeach()
  _lockinstr_target_flags(${target} "${outdir}" rsp)
  _lockinstr_dep_mode(dep_mode)

  get_target_property(srcs ${target} SOURCES)
  set(new_srcs "")
  set(n_instr 0)
  foreach(s IN LISTS srcs)
    if(s MATCHES "\\$<")
      list(APPEND new_srcs "${s}") # a generator expression: left alone
      continue()
    endif()
    get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${srcdir}")
    if(NOT EXISTS "${abs}")
      get_source_file_property(gen "${abs}" TARGET_DIRECTORY ${target}
                               GENERATED)
      if(NOT gen)
        get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${bindir}")
      endif()
    endif()
    _lockinstr_is_c(${target} "${abs}" is_c)
    file(RELATIVE_PATH rel "${srcdir}" "${abs}")
    _lockinstr_excluded("${rel}" "${abs}" li_regexes excluded)
    if(NOT is_c OR excluded)
      list(APPEND new_srcs "${s}")
      continue()
    endif()
    _lockinstr_layout("${abs}" "${srcdir}" "${bindir}" "${outdir}"
                      root odir orel)
    set(out "${odir}/${orel}")
    _lockinstr_copy_source_props(${target} "${abs}" "${out}" "${odir}"
                                 "${root}" sflags)
    if(config)
      set(config_dep "${config}")
    else()
      _lockinstr_discover_config("${abs}" config_dep)
    endif()
    # the headers the source includes (see _lockinstr_dep_mode)
    set(depfile "")
    set(dep_target "")
    set(dep_args "")
    if(dep_mode STREQUAL "depfile")
      # beside the target's other build files, not in OUTPUT_DIR (which
      # holds the rewritten sources and header copies only)
      file(RELATIVE_PATH deprel "${outdir}" "${out}")
      set(depfile "${bindir}/CMakeFiles/${target}.dir/lockinstr/${deprel}.d")
      _lockinstr_dep_target("${out}" dep_target)
      set(dep_args DEPFILE "${depfile}")
    elseif(dep_mode STREQUAL "implicit")
      set(dep_args IMPLICIT_DEPENDS C "${abs}")
    endif()
    add_custom_command(
      OUTPUT "${out}"
      COMMAND "${CMAKE_COMMAND}" "-DLI_TOOL=$<TARGET_FILE:${tool}>"
              "-DLI_FLAGS=${rsp}" "-DLI_EXTRA=${sflags}" "-DLI_ROOT=${root}"
              "-DLI_OUT=${odir}" "-DLI_SRC=${abs}" "-DLI_CONFIG=${config}"
              "-DLI_TOP=${CMAKE_SOURCE_DIR}" "-DLI_BINTOP=${CMAKE_BINARY_DIR}"
              "-DLI_HDIRS=${hdirs}" "-DLI_COPIES=${outdir}"
              "-DLI_DEPFILE=${depfile}" "-DLI_DEPTARGET=${dep_target}"
              -P "${self}"
      DEPENDS "${abs}" ${tool_dep} "${rsp}" "${self}" ${config_dep}
      ${dep_args}
      COMMENT "lockinstr: instrumenting ${rel}"
      VERBATIM)
    list(APPEND new_srcs "${out}")
    math(EXPR n_instr "${n_instr} + 1")
  endforeach()
  set_property(TARGET ${target} PROPERTY SOURCES "${new_srcs}")
  # The instrumented headers' directories come first on the include path
  # (as --print-include-flags would say), for every source of the target.
  _lockinstr_known_includes(${target} known)
  set(copy_dirs "")
  foreach(d IN LISTS known)
    _lockinstr_dir_class("${d}" "${srcdir}" "${CMAKE_SOURCE_DIR}"
                         "${CMAKE_BINARY_DIR}" hdirs cls)
    if(cls STREQUAL "root")
      file(RELATIVE_PATH rel "${srcdir}" "${d}")
      set(c "${outdir}/${rel}")
    elseif(cls STREQUAL "header")
      set(c "${outdir}/_abs${d}")
    else()
      continue()
    endif()
    string(REGEX REPLACE "/+$" "" c "${c}")
    file(MAKE_DIRECTORY "${c}") # exists before any copy: -Wmissing-include-dirs
    list(APPEND copy_dirs "${c}")
  endforeach()
  if(copy_dirs)
    target_include_directories(${target} BEFORE PRIVATE ${copy_dirs})
  endif()
  set_property(TARGET ${target} PROPERTY LOCKINSTR_INSTRUMENTED TRUE)
  set_property(TARGET ${target} PROPERTY LOCKINSTR_OUTPUT_DIR "${outdir}")
  _lockinstr_link(${target} ${rt})
  if(n_instr EQUAL 0)
    message(WARNING "lockinstr_instrument: '${target}' has no C source to "
                    "instrument")
  endif()
endfunction()

cmake_policy(POP)

# Script mode: `cmake -DLI_TOOL=... -DLI_FLAGS=FILE -DLI_EXTRA=... -DLI_ROOT=...
# -DLI_OUT=... -DLI_SRC=... -DLI_CONFIG=... -DLI_TOP=... -DLI_BINTOP=...
# -DLI_HDIRS=... -DLI_COPIES=... -DLI_DEPFILE=... -DLI_DEPTARGET=...
# -P Lockinstr.cmake`, the build step
# lockinstr_instrument() adds for each source: reads the target's flags
# (one per line; "SHELL:" entries split like a shell), drops the -I of the
# header copies (under LI_COPIES), and runs
#   LI_TOOL --quiet [--config LI_CONFIG] --root LI_ROOT
#           [--header-dir DIR]... [--depfile LI_DEPFILE
#           [--depfile-target LI_DEPTARGET]] -o LI_OUT LI_SRC -- <flags> LI_EXTRA
# where each DIR is an include directory under LI_TOP, not under LI_ROOT
# nor LI_BINTOP, or one of LI_HDIRS; its output goes straight to the
# build's. Fails if the tool does.
function(_lockinstr_script_main)
  file(READ "${LI_FLAGS}" text)
  string(REPLACE "\n" ";" lines "${text}")
  set(flags "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^SHELL:(.*)")
      separate_arguments(words UNIX_COMMAND "${CMAKE_MATCH_1}")
      list(APPEND flags ${words})
    elseif(NOT line STREQUAL "")
      list(APPEND flags "${line}")
    endif()
  endforeach()
  # The target's include path starts with the header copies' directories
  # (under LI_COPIES) for the compile; the rewriter must see the originals,
  # or it would take the copies for foreign headers.
  set(kept "")
  foreach(f IN LISTS flags LI_EXTRA)
    set(d "")
    if(f MATCHES "^-I(.+)$")
      set(d "${CMAKE_MATCH_1}")
    endif()
    set(copy FALSE)
    if(IS_ABSOLUTE "${d}")
      _lockinstr_under("${d}" "${LI_COPIES}" copy)
    endif()
    if(NOT copy)
      list(APPEND kept "${f}")
    endif()
  endforeach()
  set(flags "${kept}")
  set(LI_EXTRA "")
  # --header-dir: the include directories of the flags that are the
  # project's but not under the root (the same rule as at configure time)
  set(dirs "")
  set(hdirs "")
  set(prev "")
  foreach(f IN LISTS flags)
    set(d "")
    if(prev STREQUAL "-I" OR prev STREQUAL "-iquote")
      set(d "${f}")
    elseif(f MATCHES "^-I(.+)$") # (one MATCHES per test: an OR's second
      set(d "${CMAKE_MATCH_1}")    # failing match clears CMAKE_MATCH_1)
    elseif(f MATCHES "^-iquote(.+)$")
      set(d "${CMAKE_MATCH_1}")
    endif()
    set(prev "${f}")
    if(d STREQUAL "" OR NOT IS_ABSOLUTE "${d}")
      continue()
    endif()
    _lockinstr_dir_class("${d}" "${LI_ROOT}" "${LI_TOP}" "${LI_BINTOP}"
                         LI_HDIRS cls)
    if(cls STREQUAL "header")
      list(APPEND dirs "${d}")
    endif()
  endforeach()
  list(APPEND dirs ${LI_HDIRS})
  list(REMOVE_DUPLICATES dirs)
  foreach(d IN LISTS dirs)
    list(APPEND hdirs --header-dir "${d}")
  endforeach()
  set(config "")
  if(LI_CONFIG)
    set(config --config "${LI_CONFIG}")
  endif()
  set(dep "")
  if(LI_DEPFILE)
    set(dep --depfile "${LI_DEPFILE}")
    if(LI_DEPTARGET)
      list(APPEND dep --depfile-target "${LI_DEPTARGET}")
    endif()
  endif()
  execute_process(
    COMMAND "${LI_TOOL}" --quiet ${config} --root "${LI_ROOT}" ${hdirs}
            ${dep} -o "${LI_OUT}" "${LI_SRC}" -- ${flags}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lockinstr: ${LI_SRC} not instrumented (${rc})")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND CMAKE_SCRIPT_MODE_FILE STREQUAL
                              CMAKE_CURRENT_LIST_FILE)
  _lockinstr_script_main()
endif()
