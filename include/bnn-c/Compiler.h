/*===- bnn-c/Compiler.h - C API of the bnn compiler --------------*- C -*-===*\
|*                                                                            *|
|* Compiles a model written in MLIR (bnn + upstream float glue) from C, or   *|
|* from any language with a C FFI:                                           *|
|*                                                                            *|
|*   bnn_compile_options options;                                            *|
|*   bnn_compile_options_init(&options);                                     *|
|*   options.target = "aarch64";                                             *|
|*   options.emit = BNN_EMIT_SHARED;                                         *|
|*   void *bytes; size_t size; char *error;                                  *|
|*   if (bnn_compile_string(text, strlen(text), &options, &bytes, &size,    *|
|*                          &error) != 0) {                                  *|
|*     fprintf(stderr, "%s", error);        (file:line:col: error: ...)     *|
|*     bnn_free(error);                                                      *|
|*   } else {                                                                *|
|*     ... use the artifact ...                                              *|
|*     bnn_free(bytes);                                                      *|
|*   }                                                                       *|
|*                                                                            *|
|* Every call is independent (its own MLIR context) and may run concurrently *|
|* with others.                                                               *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef BNN_C_COMPILER_H
#define BNN_C_COMPILER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a compilation produces (see docs/Compiler.md). */
typedef enum bnn_emit_kind {
  /* bnn_compile_file: from the output file's extension (.mlir, .ll, .s, .o,
     .so, .h). bnn_compile_string: not allowed. */
  BNN_EMIT_INFER = 0,
  BNN_EMIT_MLIR = 1,   /* MLIR text after the phase `stop_after` */
  BNN_EMIT_LLVM = 2,   /* LLVM IR text */
  BNN_EMIT_ASM = 3,    /* assembly text */
  BNN_EMIT_OBJ = 4,    /* ELF relocatable object */
  BNN_EMIT_SHARED = 5, /* ELF shared library */
  BNN_EMIT_HEADER = 6, /* C header declaring the entry points */
} bnn_emit_kind;

typedef struct bnn_compile_options {
  const char *target;   /* "x86_64" (NULL: "x86_64") or "aarch64" */
  const char *cpu;      /* -mcpu; NULL or "": the target's default */
  const char *features; /* -mattr, "+a,-b"; NULL or "": none */
  int opt_level;        /* 0..3 */
  int emit;             /* a bnn_emit_kind */
  /* Last lowering phase: "input", "packed", "linalg", "bufferized",
     "loops" or "llvm" (NULL: "llvm"). Earlier phases need BNN_EMIT_MLIR. */
  const char *stop_after;
  /* Options of the bnn-lower-to-llvm pipeline, e.g. "tile=false
     lazy-popcount=false" (NULL or "": the defaults); see docs/Compiler.md. */
  const char *pipeline_options;
} bnn_compile_options;

/* Fills `options` with the defaults: x86_64, default CPU, no extra
   features, -O2, BNN_EMIT_INFER, all phases. */
void bnn_compile_options_init(bnn_compile_options *options);

/* Compiles the MLIR file `input_path` ("-": stdin) into `output_path`
   ("-": stdout). Returns 0 on success. On failure returns non-zero, writes
   no output file, and, when `error` is not NULL, sets *error to a
   NUL-terminated message (the diagnostics, "file:line:col: error: ...")
   that the caller releases with bnn_free. `options` may be NULL (the
   defaults). */
int bnn_compile_file(const char *input_path, const char *output_path,
                     const bnn_compile_options *options, char **error);

/* Compiles `len` bytes of MLIR text. On success returns 0 and sets
   *out_bytes (malloc'ed, released with bnn_free) and *out_size to the
   artifact; text artifacts are also NUL-terminated (not counted in
   *out_size). On failure returns non-zero, sets *out_bytes to NULL and
   *out_size to 0, and sets *error as bnn_compile_file does; diagnostics
   name the source "<string>". `options->emit` must not be
   BNN_EMIT_INFER. */
int bnn_compile_string(const char *mlir_text, size_t len,
                       const bnn_compile_options *options, void **out_bytes,
                       size_t *out_size, char **error);

/* Releases memory returned by this API. NULL is ignored. */
void bnn_free(void *ptr);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BNN_C_COMPILER_H */
