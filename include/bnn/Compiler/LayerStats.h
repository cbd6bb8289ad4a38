//===- LayerStats.h - multiply-accumulates per layer ------------*- C++ -*-===//
//
// What `bnn-compile --stats` reports: the multiply-accumulates of each
// convolution and dense layer of a model, as written (before lowering), by
// kind. Benchmarks classify layers by them (a compute-bound binary layer
// has at least 50 M binary MACs).
//
//===----------------------------------------------------------------------===//

#ifndef BNN_COMPILER_LAYERSTATS_H
#define BNN_COMPILER_LAYERSTATS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir {
namespace bnn {

enum class LayerKind { Binary, BitSerial, Int8, Float };

struct LayerStats {
  Operation *op;
  LayerKind kind;
  /// Multiply-accumulates per call; std::nullopt when a shape is dynamic
  /// or the count overflows.
  std::optional<int64_t> macs;
  /// For bit-serial layers, MACs x activation bits x weight bits: the
  /// binary MACs they cost. Equal to macs for binary layers.
  std::optional<int64_t> binaryMacs;
};

/// The convolution and dense layers of the public functions of `module`
/// (bnn products, tosa.conv2d, tosa.depthwise_conv2d, tosa.matmul), in
/// program order.
llvm::SmallVector<LayerStats> collectLayerStats(ModuleOp module);

/// One line per layer (location, operator, result shape, MACs) and the
/// totals by kind, for people.
std::string formatLayerStats(llvm::ArrayRef<LayerStats> layers);

} // namespace bnn
} // namespace mlir

#endif // BNN_COMPILER_LAYERSTATS_H
