# simcore_klu_from_source(<target> <dir>): a static library <target> of KLU (real
# and complex), AMD, COLAMD, BTF and SuiteSparse_config compiled from the
# SuiteSparse source tree <dir> (Debian's `suitesparse` source package, int
# indices, no timers), with the include directories the engine needs. Used by
# the WebAssembly build (wasm/CMakeLists.txt) and by Python wheels built without
# libsuitesparse-dev (py/CMakeLists.txt, py/build_sdist.sh). The C language must
# be enabled by the caller's project().
function(simcore_klu_from_source target SS)
  if(NOT EXISTS ${SS}/KLU/Source/klu.c)
    message(FATAL_ERROR "no KLU sources under ${SS}")
  endif()
  set(includes ${SS}/KLU/Include ${SS}/AMD/Include ${SS}/COLAMD/Include ${SS}/BTF/Include ${SS}/SuiteSparse_config)

  # KLU sources compiled twice: real (klu_*) and complex (-DCOMPLEX -> klu_z_*).
  set(numeric klu klu_kernel klu_dump klu_factor klu_free_numeric klu_solve klu_scale
      klu_refactor klu_tsolve klu_diagnostics klu_sort klu_extract)
  set(common klu_free_symbolic klu_defaults klu_analyze_given klu_analyze klu_memory)
  set(amd amd_1 amd_2 amd_aat amd_control amd_defaults amd_dump amd_global amd_info amd_order
      amd_post_tree amd_postorder amd_preprocess amd_valid)
  list(TRANSFORM numeric PREPEND ${SS}/KLU/Source/)
  list(TRANSFORM numeric APPEND .c)
  list(TRANSFORM common PREPEND ${SS}/KLU/Source/)
  list(TRANSFORM common APPEND .c)
  list(TRANSFORM amd PREPEND ${SS}/AMD/Source/)
  list(TRANSFORM amd APPEND .c)

  add_library(${target}_z OBJECT ${numeric})
  target_include_directories(${target}_z PRIVATE ${includes})
  target_compile_definitions(${target}_z PRIVATE COMPLEX NTIMER)

  add_library(${target} STATIC
    ${numeric} ${common} ${amd}
    ${SS}/COLAMD/Source/colamd.c
    ${SS}/BTF/Source/btf_maxtrans.c ${SS}/BTF/Source/btf_order.c ${SS}/BTF/Source/btf_strongcomp.c
    ${SS}/SuiteSparse_config/SuiteSparse_config.c
    $<TARGET_OBJECTS:${target}_z>)
  target_include_directories(${target} PUBLIC ${includes})
  target_compile_definitions(${target} PRIVATE NTIMER)
endfunction()
