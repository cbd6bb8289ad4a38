//===- LayerStats.cpp - multiply-accumulates per layer --------------------===//

#include "bnn/Compiler/LayerStats.h"
#include "bnn/Dialect/BNN/IR/BNNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::bnn;

namespace {

/// a * b, std::nullopt on overflow or an unknown factor.
std::optional<int64_t> times(std::optional<int64_t> a,
                             std::optional<int64_t> b) {
  int64_t product;
  if (!a || !b || llvm::MulOverflow(*a, *b, product))
    return std::nullopt;
  return product;
}

std::optional<int64_t> elements(Value v) {
  auto type = dyn_cast<ShapedType>(v.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  std::optional<int64_t> n = 1;
  for (int64_t d : type.getShape())
    n = times(n, d);
  return n;
}

std::optional<int64_t> dim(Value v, int64_t i) {
  auto type = dyn_cast<ShapedType>(v.getType());
  if (!type || !type.hasRank() || i >= type.getRank() ||
      type.isDynamicDim(i))
    return std::nullopt;
  return type.getDimSize(i);
}

/// Bits per element of a bit-serial operand: K for uiK, 1 for i1.
int64_t bitsOf(Value v) {
  return getElementTypeOrSelf(v.getType()).getIntOrFloatBitWidth();
}

/// Result elements x the reduction per element (the filter's or weights'
/// dims from `first` on).
std::optional<int64_t> macsOf(Value result, Value weights, int64_t first) {
  std::optional<int64_t> macs = elements(result);
  auto type = cast<ShapedType>(weights.getType());
  for (int64_t i = first; i < type.getRank(); ++i)
    macs = times(macs, dim(weights, i));
  return macs;
}

LayerStats bitSerial(Operation *op, Value input, Value weights,
                     int64_t first) {
  std::optional<int64_t> macs = macsOf(op->getResult(0), weights, first);
  return {op, LayerKind::BitSerial, macs,
          times(macs, bitsOf(input) * bitsOf(weights))};
}

std::optional<LayerStats> statsOf(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LayerStats>>(op)
      .Case([](BinaryConv2DOp conv) -> std::optional<LayerStats> {
        std::optional<int64_t> macs =
            macsOf(conv.getResult(), conv.getFilter(), 1);
        return LayerStats{conv, LayerKind::Binary, macs, macs};
      })
      .Case([](BinaryDenseOp dense) -> std::optional<LayerStats> {
        std::optional<int64_t> macs =
            macsOf(dense.getResult(), dense.getWeight(), 1);
        return LayerStats{dense, LayerKind::Binary, macs, macs};
      })
      .Case([](BitserialConv2DOp conv) -> std::optional<LayerStats> {
        return bitSerial(conv, conv.getInput(), conv.getFilter(), 1);
      })
      .Case([](BitserialDenseOp dense) -> std::optional<LayerStats> {
        return bitSerial(dense, dense.getInput(), dense.getWeight(), 1);
      })
      .Case([](Int8Conv2DOp conv) -> std::optional<LayerStats> {
        return LayerStats{conv, LayerKind::Int8,
                          macsOf(conv.getResult(), conv.getFilter(), 1),
                          std::nullopt};
      })
      .Case([](Int8DenseOp dense) -> std::optional<LayerStats> {
        return LayerStats{dense, LayerKind::Int8,
                          macsOf(dense.getResult(), dense.getWeight(), 1),
                          std::nullopt};
      })
      // Float glue: OHWI filters, HWCM depthwise filters (each output
      // element reduces one window of one channel), [N, H, C] x [N, C, W].
      .Case([](tosa::Conv2DOp conv) -> std::optional<LayerStats> {
        return LayerStats{conv, LayerKind::Float,
                          macsOf(conv.getResult(), conv.getWeight(), 1),
                          std::nullopt};
      })
      .Case([](tosa::DepthwiseConv2DOp conv) -> std::optional<LayerStats> {
        return LayerStats{
            conv, LayerKind::Float,
            times(times(elements(conv.getResult()), dim(conv.getWeight(), 0)),
                  dim(conv.getWeight(), 1)),
            std::nullopt};
      })
      .Case([](tosa::MatMulOp matmul) -> std::optional<LayerStats> {
        return LayerStats{
            matmul, LayerKind::Float,
            times(elements(matmul.getResult()), dim(matmul.getA(), 2)),
            std::nullopt};
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// 1234567 -> "1.23 M".
std::string human(std::optional<int64_t> n) {
  if (!n)
    return "?";
  double v = static_cast<double>(*n);
  for (const char *unit : {"", " k", " M", " G", " T"}) {
    if (v < 1000 || llvm::StringRef(unit) == " T")
      return unit[0] ? llvm::formatv("{0:f2}{1}", v, unit).str()
                     : std::to_string(*n);
    v /= 1000;
  }
  return "?";
}

} // namespace

SmallVector<LayerStats> bnn::collectLayerStats(ModuleOp module) {
  SmallVector<LayerStats> layers;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isExternal())
      continue;
    func.walk([&](Operation *op) {
      if (std::optional<LayerStats> stats = statsOf(op))
        layers.push_back(*stats);
    });
  }
  return layers;
}

std::string bnn::formatLayerStats(ArrayRef<LayerStats> layers) {
  std::string text;
  llvm::raw_string_ostream os(text);
  // Totals by kind: MACs, and binary MACs for binary and bit-serial.
  std::optional<int64_t> totals[4] = {0, 0, 0, 0};
  std::optional<int64_t> binaryTotal = 0;
  auto add = [](std::optional<int64_t> &sum, std::optional<int64_t> v) {
    int64_t s;
    sum = sum && v && !llvm::AddOverflow(*sum, *v, s)
              ? std::optional<int64_t>(s)
              : std::nullopt;
  };
  os << "layers (multiply-accumulates per call):\n";
  for (const LayerStats &layer : layers) {
    std::string where;
    llvm::raw_string_ostream loc(where);
    if (auto file = dyn_cast<FileLineColLoc>(layer.op->getLoc()))
      loc << file.getFilename().getValue() << ":" << file.getLine() << ":"
          << file.getColumn();
    else
      layer.op->getLoc().print(loc);
    std::string shape = "?";
    if (auto type = dyn_cast<ShapedType>(layer.op->getResult(0).getType());
        type && type.hasRank()) {
      shape.clear();
      llvm::raw_string_ostream s(shape);
      llvm::interleave(
          type.getShape(), s,
          [&](int64_t d) {
            if (ShapedType::isDynamic(d))
              s << "?";
            else
              s << d;
          },
          "x");
    }
    os << "  " << where << "  " << layer.op->getName() << "  " << shape
       << "  " << human(layer.macs) << " MACs";
    if (layer.kind == LayerKind::BitSerial)
      os << " (" << human(layer.binaryMacs) << " binary)";
    os << "\n";
    add(totals[static_cast<int>(layer.kind)], layer.macs);
    if (layer.kind == LayerKind::Binary || layer.kind == LayerKind::BitSerial)
      add(binaryTotal, layer.binaryMacs);
  }
  os << "total: " << human(totals[0]) << " binary, " << human(totals[1])
     << " k-bit (" << human(binaryTotal) << " binary MACs with the binary "
     << "layers), " << human(totals[2]) << " int8, " << human(totals[3])
     << " float MACs (" << layers.size() << " layers)\n";
  return text;
}
