# Settings the WebAssembly build needs before engine/ is configured (included
# from the top-level CMakeLists.txt under emcmake only).

# pugixml from Debian's source package (wasm/build.sh passes it; this is the default path).
set(SIMCORE_PUGIXML_SRC "$ENV{HOME}/.cache/simcore-pugixml/pugixml-1.13"
    CACHE PATH "Unpacked Debian pugixml source (scripts/debian_source.sh pugixml src/pugixml.cpp)")

# The engine links KLU through this target (defined in wasm/CMakeLists.txt).
set(SIMCORE_KLU_TARGET simcore_klu_wasm)

# The netlist front end throws internally (caught inside parseNetlist), so the
# whole module is compiled with exceptions: native wasm exceptions by default
# (no cost on the non-throwing path); "-fexceptions" selects Emscripten's
# JS-based ones for old runtimes.
set(SIMCORE_WASM_EXCEPTIONS "-fwasm-exceptions" CACHE STRING "Exception flags for every C++ file and the link")
separate_arguments(_simcore_eh UNIX_COMMAND "${SIMCORE_WASM_EXCEPTIONS}")
add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${_simcore_eh}>")
add_link_options(${_simcore_eh})

# libc++ of emscripten 3.1.6 lacks floating-point std::from_chars (used by the
# netlist reader); wasm/compat/charconv_fp.hpp supplies it.
add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:SHELL:-include ${CMAKE_CURRENT_LIST_DIR}/compat/charconv_fp.hpp>")
