# SPDX-License-Identifier: MIT
# Installs the kit into WORK/prefix and builds SOURCE outside the tree:
# with find_package(unp) from a C-only project (project(x C): the C
# compiler links, so the exported target must carry the C++ runtime), from
# a C++-only project (the same file as C++), and with pkg-config; then runs
# each program.  EXTRA: more C programs built with pkg-config, each to end with "ok".
# PYTHON3 (if set): the tools too (component tools: tcpview, labnet,
# socklab-exercise), each run from the prefix: --help, then one real use.
# cmake -DBUILD_DIR=... -DSOURCE=... -DWORK=... -DC_COMPILER=... [-DEXTRA=a.c|b.c]
#       [-DPYTHON3=... -DCAPTURE_SCRIPT=make_capture.py] -P install_check.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

# Runs prog and checks it did the book program's work.
function(check_runs prog how)
  run(${prog})
  if(NOT last_output MATCHES "client got: HELLO")
    message(FATAL_ERROR "${how} build ran but printed:\n${last_output}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component Unspecified)

# 1, 2. find_package(unp) from a project of one language: C, then C++.
foreach(lang C CXX)
  set(dir ${WORK}/project-${lang})
  file(MAKE_DIRECTORY ${dir})
  if(lang STREQUAL "C")
    set(src prog.c)
  else()
    set(src prog.cpp)
  endif()
  configure_file(${SOURCE} ${dir}/${src} COPYONLY)
  file(WRITE ${dir}/CMakeLists.txt
    "cmake_minimum_required(VERSION 3.25)\nproject(student ${lang})\n"
    "find_package(unp REQUIRED)\nadd_executable(prog ${src})\n"
    "target_link_libraries(prog PRIVATE unp::unp)\n")
  run(${CMAKE_COMMAND} -S ${dir} -B ${dir}/build -DCMAKE_PREFIX_PATH=${prefix})
  run(${CMAKE_COMMAND} --build ${dir}/build)
  check_runs(${dir}/build/prog "find_package, project(student ${lang})")
endforeach()

# 3. pkg-config --cflags --libs unp
file(GLOB_RECURSE pcfile ${prefix}/*/unp.pc)
get_filename_component(pcdir "${pcfile}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(pkg-config --cflags --libs unp)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${C_COMPILER} -std=gnu17 -Wall -o ${WORK}/prog_pc ${SOURCE} ${flags})
check_runs(${WORK}/prog_pc "pkg-config")

# 4. The bookstyle programs in EXTRA ("a.c|b.c"), with the installed
# unpthread.h and unpifi.h too, and a program with its own readline.
string(REPLACE "|" ";" extra "${EXTRA}")
foreach(src IN LISTS extra)
  get_filename_component(name ${src} NAME_WE)
  run(${C_COMPILER} -std=gnu17 -Wall -Werror=implicit-function-declaration -o ${WORK}/${name} ${src} ${flags})
  run(${WORK}/${name})
  if(NOT last_output MATCHES "(^|\n)ok\n$")
    message(FATAL_ERROR "${name}, built with pkg-config, printed:\n${last_output}")
  endif()
endforeach()
message(STATUS "installed libunp works with find_package(unp) from C and from C++, and with pkg-config")

# 5. The tools, installed beside it and run from the prefix alone (no
# build tree on PATH, none named in the environment).
if(NOT PYTHON3)
  return()
endif()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component tools)
set(bin ${prefix}/bin)
function(expect what pattern)
  if(NOT last_output MATCHES "${pattern}")
    message(FATAL_ERROR "installed ${what}: expected /${pattern}/, got:\n${last_output}")
  endif()
endfunction()
foreach(tool tcpview labnet socklab-exercise)
  run(env -u SOCKLAB_KIT_BUILD ${bin}/${tool} --help)
  expect("${tool} --help" "^usage: ${tool}")
endforeach()
# tcpview -r: a capture file of one connection, annotated.
run(${PYTHON3} ${CAPTURE_SCRIPT} ${WORK}/hello.pcap)
run(${bin}/tcpview -r ${WORK}/hello.pcap)
expect("tcpview -r" "handshake 1/3: SYN.*6 bytes written by the client: \"hello\\\\n\".*closed first: +by the client")
# socklab-exercise: the exercises it lists and one it writes, from share/socklab.
run(env -u SOCKLAB_KIT_BUILD ${bin}/socklab-exercise list)
expect("socklab-exercise list" "lottery +Lottery server and client \\([0-9]+ blanks\\)")
run(env -u SOCKLAB_KIT_BUILD ${bin}/socklab-exercise generate --lab lottery --into ${WORK}/lottery)
foreach(f CMakeLists.txt README.md LotteryServer.cpp LotteryClient.cpp lottery.h)
  if(NOT EXISTS ${WORK}/lottery/${f})
    message(FATAL_ERROR "installed socklab-exercise generate wrote no ${f}:\n${last_output}")
  endif()
endforeach()
file(READ ${WORK}/lottery/LotteryClient.cpp skeleton)
if(NOT skeleton MATCHES "\\(j\\)")
  message(FATAL_ERROR "the generated LotteryClient.cpp has no blank (j)")
endif()
# labnet: it finds the installed tcpview beside it (`labnet capture` runs it).
file(READ ${bin}/labnet labnet_text)
if(NOT labnet_text MATCHES "here/tcpview")
  message(FATAL_ERROR "the installed labnet does not look for tcpview beside itself")
endif()
message(STATUS "installed tcpview, labnet and socklab-exercise run from the prefix")
