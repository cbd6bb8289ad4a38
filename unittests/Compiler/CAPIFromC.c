/*===- CAPIFromC.c - the C API used from C -------------------------------===*\
|*                                                                            *|
|* Compiled as C: checks that bnn-c/Compiler.h is a C header, and gives      *|
|* CAPITest.cpp a caller written in C.                                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "bnn-c/Compiler.h"

#include <string.h>

/* Compiles `text` to an AArch64 object; returns its size, or 0 and the
   error message in `error` (to release with bnn_free). */
size_t bnn_test_compile_from_c(const char *text, char **error) {
  bnn_compile_options options;
  void *bytes = NULL;
  size_t size = 0;
  bnn_compile_options_init(&options);
  options.target = "aarch64";
  options.emit = BNN_EMIT_OBJ;
  options.opt_level = 3;
  if (bnn_compile_string(text, strlen(text), &options, &bytes, &size, error))
    return 0;
  bnn_free(bytes);
  return size;
}
