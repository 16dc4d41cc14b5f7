# Profile-guided optimisation of the listening hot path (docs/listening.md, "Built for speed by default").
#
# In an optimised GCC build, the libraries every mention goes through (faro_hot_path) are
# compiled twice: first instrumented, in a build of their own under BUILD/pgo/build, whose
# listening benchmark then reads generated mentions to record which branches are taken and which
# functions are hot; then for real, with that profile. The benchmark's mentions are made from
# other seeds than the ones it measures with. The listening benchmark measured 3 to 9 % faster
# end to end (bench/listen/README.md). The code is the same either way; only its
# layout, inlining and branch order change.
#
#   -DFARO_PGO=OFF         plain -O3 (faster to rebuild while working on the hot path)
#   FARO_PGO_GENERATE=DIR  set only for the instrumented build itself
#
# Profiles are keyed by object paths with the build directory stripped
# (-fprofile-prefix-path), so the instrumented build's profile fits this build's objects.
set(FARO_PGO_DEFAULT OFF)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo)$"
   AND NOT FARO_SANITIZE AND NOT FARO_PGO_GENERATE)
  set(FARO_PGO_DEFAULT ON)
endif()
option(FARO_PGO "Profile-guided optimisation of the listening hot path" ${FARO_PGO_DEFAULT})
# Link-time optimisation of the same libraries into the programs that run them (faro_lto_link:
# faro, listen_bench), so that calls from one library into another (the pipeline into the
# normaliser, the sentiment scorer, the crisis watch) are inlined and laid out with the profile
# like calls inside one. The libraries keep ordinary object code too (fat LTO objects): tests
# link them as usual.
option(FARO_LTO "Link-time optimisation of the listening hot path" ${FARO_PGO_DEFAULT})
set(FARO_PGO_GENERATE "" CACHE PATH "Internal: the instrumented build writes its profile here")

if(FARO_PGO AND NOT FARO_PGO_GENERATE)
  set(FARO_PGO_DIR ${PROJECT_BINARY_DIR}/pgo)
  set(FARO_PGO_STAMP ${FARO_PGO_DIR}/trained)
  # Retrain when anything the benchmark runs changes. A stale profile only optimises less
  # (functions that changed are compiled without it), never differently.
  file(GLOB_RECURSE faro_pgo_inputs CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/src/core/*.[ch]pp ${PROJECT_SOURCE_DIR}/src/config/*.[ch]pp
       ${PROJECT_SOURCE_DIR}/src/text/*.[ch]pp ${PROJECT_SOURCE_DIR}/src/sentiment/*.[ch]pp
       ${PROJECT_SOURCE_DIR}/src/sentiment/data/*.tsv ${PROJECT_SOURCE_DIR}/src/spike/*.[ch]pp
       ${PROJECT_SOURCE_DIR}/src/listen/*.[ch]pp ${PROJECT_SOURCE_DIR}/src/crisis/*.[ch]pp
       ${PROJECT_SOURCE_DIR}/bench/listen/*.[ch]pp)
  set(faro_pgo_bench ${FARO_PGO_DIR}/build/bench/listen/listen_bench)
  add_custom_command(
    OUTPUT ${FARO_PGO_STAMP}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${FARO_PGO_DIR}/profile
    COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR} -B ${FARO_PGO_DIR}/build -G ${CMAKE_GENERATOR}
            -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE} -DFARO_PGO_GENERATE=${FARO_PGO_DIR}/profile
            > ${FARO_PGO_DIR}/configure.log
    COMMAND ${CMAKE_COMMAND} --build ${FARO_PGO_DIR}/build --target listen_bench
    # What `faro listen --rules` and `faro listen --annotate` do, on seeds the benchmark does
    # not measure with.
    COMMAND ${faro_pgo_bench} --mode detect --records 300000 --seed 7 > ${FARO_PGO_DIR}/train.log
    COMMAND ${faro_pgo_bench} --mode annotate --records 100000 --seed 8 >> ${FARO_PGO_DIR}/train.log
    COMMAND ${CMAKE_COMMAND} -E touch ${FARO_PGO_STAMP}
    DEPENDS ${faro_pgo_inputs} ${PROJECT_SOURCE_DIR}/examples/listen/brand.yaml
    COMMENT "Profiling the listening hot path (an instrumented build, then generated mentions)"
    VERBATIM)
  add_custom_target(faro_pgo_profile DEPENDS ${FARO_PGO_STAMP})
endif()

# Every other program links the hot path's ordinary object code. GCC's linker plugin would
# otherwise find the libraries' LTO bytecode and optimise them again at each program's link
# (a test linking the listening libraries: 6.6 s instead of 1.1 s).
if(FARO_LTO AND NOT FARO_PGO_GENERATE)
  add_link_options($<$<NOT:$<BOOL:$<TARGET_PROPERTY:INTERPROCEDURAL_OPTIMIZATION>>>:-fno-lto>)
endif()

# Programs that link the hot path whole: the link optimises it across libraries.
function(faro_lto_link target)
  if(FARO_LTO AND NOT FARO_PGO_GENERATE)
    set_property(TARGET ${target} PROPERTY INTERPROCEDURAL_OPTIMIZATION TRUE)
  endif()
endfunction()

# The flags faro_hot_path adds to a target, instrumenting or using the profile.
function(faro_pgo target)
  if(FARO_LTO AND NOT FARO_PGO_GENERATE)
    set_property(TARGET ${target} PROPERTY INTERPROCEDURAL_OPTIMIZATION TRUE)
    target_compile_options(${target} PRIVATE -ffat-lto-objects)
  endif()
  if(FARO_PGO_GENERATE)
    target_compile_options(${target} PRIVATE -fprofile-generate=${FARO_PGO_GENERATE}
                           -fprofile-prefix-path=${PROJECT_BINARY_DIR})
    target_link_options(${target} INTERFACE -fprofile-generate)
  elseif(FARO_PGO)
    # Functions the training never ran are optimised as usual, not for size.
    target_compile_options(${target} PRIVATE -fprofile-use=${FARO_PGO_DIR}/profile
                           -fprofile-prefix-path=${PROJECT_BINARY_DIR} -fprofile-partial-training
                           -Wno-missing-profile)
    add_dependencies(${target} faro_pgo_profile)
    get_target_property(sources ${target} SOURCES)
    set_source_files_properties(${sources} TARGET_DIRECTORY ${target} PROPERTIES OBJECT_DEPENDS ${FARO_PGO_STAMP})
    # The compiler cache cannot tell one profile from the next: compile these afresh.
    set_target_properties(${target} PROPERTIES CXX_COMPILER_LAUNCHER "")
  endif()
endfunction()
