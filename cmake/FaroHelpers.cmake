# faro_library(NAME SRCS a.cpp b.cpp DEPS faro_core ...)
#   One static library per src/ folder, named faro_<folder>, headers included as "folder/x.hpp".
function(faro_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(faro_${name} STATIC ${ARG_SRCS})
  target_include_directories(faro_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(faro_${name} PUBLIC ${ARG_DEPS})
endfunction()

# faro_hot_path(TARGET)
#   Code every mention goes through (reading, normalising, rules, sentiment, crisis detectors):
#   -O3 in optimised builds, for its loop vectorisation and wider inlining (the listening
#   benchmark measured about +3 % end to end against -O2), and profile-guided optimisation
#   (FaroPgo.cmake; bench/listen/README.md).
#   With GCC on x86-64, block copies and clears are not expanded inline as `rep movs` /
#   `rep stos`: with a profile GCC picked them for the mention memory's field copies and for
#   clearing a Mention, and on the benchmark's processor their start-up cost made them the
#   most expensive instructions of those functions. Copies whose size is known only at run
#   time become calls to the C library's memcpy; clears of up to 256 bytes become loops of
#   16-byte stores, larger ones calls to memset. (Small copies of a size known when compiling
#   are plain moves either way.)
function(faro_hot_path target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release,RelWithDebInfo>:-O3>)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
    target_compile_options(${target} PRIVATE
      $<$<CONFIG:Release,RelWithDebInfo>:-mmemcpy-strategy=libcall:-1:noalign>
      $<$<CONFIG:Release,RelWithDebInfo>:-mmemset-strategy=vector_loop:256:noalign,libcall:-1:noalign>)
  endif()
  faro_pgo(${target})
endfunction()

# faro_apart(a.cpp b.cpp ...)
#   Files compiled on their own in a unity build (-DCMAKE_UNITY_BUILD=ON, as CI's sanitizer
#   build is made: several files of a target compiled as one, each header read once). Each
#   defines, in an anonymous namespace, a helper under the same name as a file before it in
#   the same target (kSchema, Folder(), ...), which is fine apart and a clash together.
function(faro_apart)
  set_source_files_properties(${ARGN} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()

# faro_test(NAME SRCS x_test.cpp DEPS faro_x)
#   A GoogleTest binary registered with CTest under the label "unit", and built by the target
#   faro_unit_tests: `cmake --build BUILD --target faro_unit_tests` builds what `ctest -L unit`
#   runs and nothing else (the sanitizer build of CI, .ci/run).
add_custom_target(faro_unit_tests)
function(faro_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  add_dependencies(faro_unit_tests ${name})
  # The tests' own files at -O1 in optimised builds: the code under test keeps its flags, and
  # a test file, mostly expanded assertions, compiles in about three quarters of the time.
  target_compile_options(${name} PRIVATE $<$<CONFIG:Release,RelWithDebInfo>:-O1>)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE FARO_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
endfunction()
include(GoogleTest)
