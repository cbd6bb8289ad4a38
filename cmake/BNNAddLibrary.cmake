# Helpers shared by every bnn library and tool.
#
# Everything links the monolithic libMLIR.so / libLLVM.so (imported targets
# MLIR and LLVM): mixing them with static MLIR archives would load two copies
# of MLIR into one process.

# bnn_add_library(name SOURCES... [DEPENDS tablegen-targets...] [LINK_LIBS libs...])
function(bnn_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} MLIR LLVM)
endfunction()

# bnn_add_tool(name SOURCES... [LINK_LIBS libs...])
function(bnn_add_tool name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  bnn_add_sanitizer_defaults(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${BNN_TOOLS_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} MLIR LLVM)
endfunction()

# Adds the ASan default options of sanitizer builds (see SanitizerDefaults.cpp).
function(bnn_add_sanitizer_defaults target)
  if(BNN_ENABLE_SANITIZERS)
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/SanitizerDefaults.cpp)
  endif()
endfunction()
