# SPDX-License-Identifier: MIT
# Installs the kit into WORK/prefix and builds SOURCE outside the tree, once
# with find_package(unp) and once with pkg-config, then runs both.
# cmake -DBUILD_DIR=... -DSOURCE=... -DWORK=... -DC_COMPILER=... -P install_check.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component Unspecified)

# 1. find_package(unp)
file(MAKE_DIRECTORY ${WORK}/project)
file(COPY ${SOURCE} DESTINATION ${WORK}/project)
get_filename_component(src_name ${SOURCE} NAME)
file(WRITE ${WORK}/project/CMakeLists.txt
  "cmake_minimum_required(VERSION 3.25)\nproject(student C CXX)\n"
  "find_package(unp REQUIRED)\nadd_executable(prog ${src_name})\n"
  "target_link_libraries(prog PRIVATE unp::unp)\n")
run(${CMAKE_COMMAND} -S ${WORK}/project -B ${WORK}/project/build -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK}/project/build)
run(${WORK}/project/build/prog)
if(NOT last_output MATCHES "client got: HELLO")
  message(FATAL_ERROR "find_package build ran but printed:\n${last_output}")
endif()

# 2. pkg-config --cflags --libs unp
file(GLOB_RECURSE pcfile ${prefix}/*/unp.pc)
get_filename_component(pcdir "${pcfile}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(pkg-config --cflags --libs unp)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${C_COMPILER} -std=gnu17 -Wall -o ${WORK}/prog_pc ${SOURCE} ${flags})
run(${WORK}/prog_pc)
if(NOT last_output MATCHES "client got: HELLO")
  message(FATAL_ERROR "pkg-config build ran but printed:\n${last_output}")
endif()
message(STATUS "installed libunp works with find_package(unp) and pkg-config")
