# SPDX-License-Identifier: MIT
# Helpers shared by every folder of the kit.

# Warnings for one target (the kit builds clean under g++ and clang++).
function(socklab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>
    $<$<BOOL:${SOCKLAB_WERROR}>:-Werror>)
endfunction()

# socklab_program(NAME [SOURCES file...] [LIBS lib...])
# One lab program in one line: sources default to NAME.cpp (or NAME.c),
# linked with libunp.  The binary lands in this folder of the build tree.
# Each program is listed in the global property SOCKLAB_PROGRAMS, which
# tests/usage runs one by one (--help, -h, wrong arguments).
function(socklab_program name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_SOURCES)
    if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${name}.cpp")
      set(ARG_SOURCES ${name}.cpp)
    else()
      set(ARG_SOURCES ${name}.c)
    endif()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE unp::unp ${ARG_LIBS})
  socklab_warnings(${name})
  set_property(GLOBAL APPEND PROPERTY SOCKLAB_PROGRAMS ${name})
endfunction()
