//===- ModelInput.h - reading and parsing model text ------------*- C++ -*-===//
//
// Every tool and API that reads a model goes through these functions:
// bnn-opt, bnn-compile and bnn-interp, the compiler library (compileFile,
// compileText, compileSource, and so the C API) and the Python package.
// Input that would never end, would not fit in memory or would overflow the
// parser's stack is refused with a diagnostic instead of crashing the
// process (docs/Compiler.md#input-limits):
//
// - openModelFile reads at most kMaxModelBytes and refuses character and
//   block devices other than terminals (/dev/zero never ends).
// - checkNestingDepth refuses text whose brackets nest deeper than
//   kMaxNestingDepth levels: MLIR's parser, verifier and printer recurse
//   once or more per level of nested regions, attributes and types, so
//   10,000 nested `module {` or `[` overflow an 8 MiB stack.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_INPUT_MODELINPUT_H
#define BNN_INPUT_MODELINPUT_H

#include "bnn/Import/ONNX.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace llvm {
class MemoryBuffer;
class SourceMgr;
} // namespace llvm

namespace mlir {
class MLIRContext;

namespace bnn {

/// The largest model text a tool reads: 1 GiB.
inline constexpr uint64_t kMaxModelBytes = uint64_t(1) << 30;

/// The deepest nesting of brackets ('(', '[', '{', '<', outside strings and
/// comments) accepted in model text. Real models nest fewer than 20 levels.
inline constexpr unsigned kMaxNestingDepth = 1000;

/// Opens `path` ("-": stdin) for parsing, like mlir::openInputFile but
/// bounded: a regular file larger than `maxBytes` is refused before it is
/// read; pipes, sockets and terminals are read up to `maxBytes`; a directory
/// and any other character or block device (/dev/zero, /dev/urandom, a disk)
/// are refused, except one that is empty when read (/dev/null). On failure
/// returns null and sets `error` ("cannot open input file 'x': No such file
/// or directory", "input file '/dev/zero' is a character device, ...").
std::unique_ptr<llvm::MemoryBuffer>
openModelFile(llvm::StringRef path, std::string *error,
              uint64_t maxBytes = kMaxModelBytes);

/// The offset of the first bracket of `text` that opens nesting level
/// `limit + 1`, or std::nullopt when the text nests no deeper than `limit`.
/// Counts '(', '[', '{' and '<' against ')', ']', '}' and '>' outside string
/// literals and `//` comments; the '>' of `->` is not a bracket. The count is
/// an upper bound of the nesting the parser sees (a '>' of `>=` in an affine
/// set only lowers it).
std::optional<size_t> findExcessiveNesting(llvm::StringRef text,
                                           unsigned limit = kMaxNestingDepth);

/// Checks the main buffer of `sourceMgr` with findExcessiveNesting; on
/// failure emits an error at the offending bracket through `context`'s
/// diagnostic engine.
LogicalResult checkNestingDepth(const llvm::SourceMgr &sourceMgr,
                                MLIRContext *context);

/// Parses the main buffer of `sourceMgr` as a module: an ONNX model
/// (bnn/Import/ONNX.h, imported with `onnx`), or MLIR text after
/// checkNestingDepth (mlir::parseSourceFile). Null on failure, after a
/// diagnostic.
OwningOpRef<ModuleOp> parseModelSource(llvm::SourceMgr &sourceMgr,
                                       const ParserConfig &config,
                                       const ONNXImportOptions &onnx = {});

} // namespace bnn
} // namespace mlir

#endif // BNN_INPUT_MODELINPUT_H
