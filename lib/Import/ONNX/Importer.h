//===- Importer.h - the ONNX graph walk -------------------------*- C++ -*-===//
//
// One Importer translates one graph. Each ONNX value becomes a Tensor that
// records what it is at this point of the graph:
//
// - Const: known at import time (initializers, folded subgraphs);
// - Float: an f32 tensor (NHWC when of rank 4);
// - Binary: i1, real value = scale * (+1 / -1), scale per tensor;
// - LowBit: ui<bits>, real value = scale * (stored + offset);
// - Acc: an i32 accumulator of a quantized layer plus the float glue that
//   follows it (AccChain), kept symbolic until a quantizer turns it into
//   thresholds or a float consumer makes it f32 (acc_to_float, then tosa).
//
// A 2-D value flattened from an NHWC tensor keeps its NHWC element order
// (`flatFrom` is the ONNX shape it was flattened from) so that a dense layer
// permutes its weights instead of transposing activations.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_IMPORT_ONNX_IMPORTER_H
#define BNN_LIB_IMPORT_ONNX_IMPORTER_H

#include "Chain.h"
#include "Constant.h"

#include "bnn/Import/ONNX.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "onnx/onnx_pb.h"

#include <map>
#include <memory>
#include <string>

namespace mlir::bnn::onnx_import {

struct Tensor {
  enum Kind { Const, Float, Binary, LowBit, Acc } kind = Float;
  /// The ONNX shape; dimension 0 may be ShapedType::kDynamic (the batch).
  llvm::SmallVector<int64_t> shape;
  Value value;     // all kinds but Const
  Constant constant;
  float scale = 1; // Binary, LowBit
  int64_t offset = 0;
  unsigned bits = 1;
  /// LowBit only: an integer tensor (i8 or i32) of `stored + intOffset`,
  /// the same levels in a type tosa can convert to float, when the
  /// quantizer made one; what a float consumer of the levels uses.
  Value levels;
  int64_t levelsOffset = 0;
  /// LowBit only: the ONNX value is the integer `stored + qOffset` (the
  /// output of QuantizeLinear, an int8 / uint8 tensor), not yet scaled.
  bool integer = false;
  int64_t qOffset = 0;
  AccChain chain;  // Acc
  /// Set by a spatial Pad of a Binary or LowBit tensor: the tensor before
  /// it, the padding [top, bottom, left, right] and the padded value (0,
  /// +1 or -1 times the scale), so that a Conv after it pads inside the
  /// quantized operator instead.
  std::shared_ptr<const Tensor> unpadded;
  llvm::SmallVector<int64_t, 4> padding;
  int padValue = 0;
  llvm::SmallVector<int64_t> flatFrom; // see the file comment

  bool isNHWC() const { return kind != Const && shape.size() == 4; }
};

/// A node's failure: the message goes to the node's location.
struct NodeError {
  std::string message;
};

class Importer {
public:
  Importer(MLIRContext *context, llvm::StringRef identifier,
           const ONNXImportOptions &options);
  OwningOpRef<ModuleOp> run(const onnx::ModelProto &model);

  // Used by the operator files.
  OpBuilder builder;
  Location loc;
  const onnx::NodeProto *node = nullptr;
  int64_t opset = 13;

  const Tensor &input(int index) const;
  bool hasInput(int index) const;
  const Constant &constInput(int index, llvm::StringRef what) const;
  [[noreturn]] void fail(const llvm::Twine &message) const;

  // Attributes of the current node.
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t intAttr(llvm::StringRef name, int64_t dflt) const;
  int64_t requiredIntAttr(llvm::StringRef name) const;
  float floatAttr(llvm::StringRef name, float dflt) const;
  std::string stringAttr(llvm::StringRef name, llvm::StringRef dflt) const;
  llvm::SmallVector<int64_t> intsAttr(llvm::StringRef name) const;
  void allowAttrs(llvm::ArrayRef<llvm::StringRef> names) const;

  // Emission helpers (Emit.cpp).
  RankedTensorType type(llvm::ArrayRef<int64_t> shape, Type elem) const;
  Value floatConst(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<float> v);
  Value intConst(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> v,
                 Type elem);
  Value boolConst(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<bool> v);
  Value shapeConst(llvm::ArrayRef<int64_t> shape);
  Value zeroPoint(Type elem);
  Value reshape(Value v, llvm::ArrayRef<int64_t> shape);
  Value transpose(Value v, llvm::ArrayRef<int32_t> perm);
  /// The ONNX shape as stored (NHWC for rank 4).
  static llvm::SmallVector<int64_t> stored(llvm::ArrayRef<int64_t> onnxShape);

  /// Makes `t` an f32 tensor in its stored layout (acc_to_float plus the
  /// pending chain, unbinarize times scale); fails for what has no float
  /// form yet.
  Value toFloat(const Tensor &t);
  /// Undoes a flatten's NHWC column order (a transpose of the 4-D form).
  Value toOnnxColumns(const Tensor &t, Value v);
  /// A constant of ONNX shape broadcast against `target` (an ONNX shape),
  /// as a stored-layout tosa constant of the same rank.
  Value broadcastConst(const Constant &c, llvm::ArrayRef<int64_t> target);

  void define(llvm::StringRef name, Tensor t);

private:
  void importNode(const onnx::NodeProto &n);
  Tensor importInput(const onnx::ValueInfoProto &info);

  MLIRContext *context;
  std::string identifier;
  const ONNXImportOptions &options;
  std::map<std::string, Tensor> values;
};

// Operator families, one file each; each returns the node's outputs.
using Outputs = llvm::SmallVector<Tensor, 1>;
/// Folds a node whose inputs are all constants; nullopt when the operator
/// has no folding (it is then emitted).
std::optional<Outputs> foldNode(Importer &im, llvm::StringRef op);
/// Float layers and glue in tosa.
std::optional<Outputs> importFloatOp(Importer &im, llvm::StringRef op);
/// QuantizeLinear, DequantizeLinear, QLinearConv, QLinearMatMul,
/// ConvInteger, MatMulInteger.
std::optional<Outputs> importQDQOp(Importer &im, llvm::StringRef op);
/// Pad, Concat, Transpose, unary arithmetic, division by a tensor.
std::optional<Outputs> importTensorOp(Importer &im, llvm::StringRef op);
/// Quantizers and quantized layers in bnn.
std::optional<Outputs> importQuantOp(Importer &im, llvm::StringRef op);
/// Conv / Gemm / MatMul whose input is quantized (Binary or LowBit).
std::optional<Tensor> importQuantizedLayer(Importer &im, llvm::StringRef op);
/// A quantized layer from explicit operands (also QLinearConv,
/// QLinearMatMul, ConvInteger, MatMulInteger): `w` carries QuantLevels;
/// `bias` is added in float (per output), `intBias` to the accumulator.
struct LayerOperands {
  Tensor x;
  Constant w;
  bool isConv = false;
  bool transB = false;
  float alpha = 1.0f;
  std::vector<double> bias;
  std::vector<int64_t> intBias;
  /// Padding done by a Pad node before the layer (Tensor::unpadded).
  llvm::SmallVector<int64_t, 4> padding;
  int padValue = 0;
};
std::optional<Tensor> quantizedLayer(Importer &im, const LayerOperands &ops);

/// A 2-D window as tosa's pad [top, bottom, left, right], stride, dilation.
struct Window {
  llvm::SmallVector<int64_t> pad{0, 0, 0, 0}, stride{1, 1}, dilation{1, 1};
};
/// The window of a Conv or pool node with `kernel` [KH, KW].
Window convWindow(Importer &im, llvm::ArrayRef<int64_t> kernel,
                  bool dilations);
int64_t windowOutDim(Importer &im, int64_t in, int64_t k, int64_t lo,
                     int64_t hi, int64_t stride, int64_t dilation,
                     bool ceilMode = false);
/// Gemm / MatMul operands: the input, the weight as [K, O] and the bias.
std::tuple<Tensor, Constant, std::vector<float>>
denseOperands(Importer &im, llvm::StringRef op);
llvm::SmallVector<int64_t> reshapeShape(Importer &im,
                                        llvm::ArrayRef<int64_t> in,
                                        llvm::ArrayRef<int64_t> spec);
llvm::SmallVector<int64_t> flattenShape(Importer &im,
                                        llvm::ArrayRef<int64_t> in);

/// QONNX quantizer arithmetic shared by folding and thresholds.
struct QuantParams {
  int64_t bits, min, max;
  float zeroPoint;
  std::string rounding; // upper case
  /// Signed 1-bit: +1 when x / scale + zero point >= 0, else -1 (the
  /// reference implementation's reading; min = -1, max = 1).
  bool bipolar = false;
  /// QuantizeLinear adds the zero point after rounding x / scale.
  bool zeroPointAfterRounding = false;
};
QuantParams quantParams(Importer &im);
/// The node's rounding_mode (upper case), checked.
std::string roundingMode(Importer &im, llvm::StringRef dflt);
/// `y` rounded by a QONNX rounding mode.
float roundByMode(llvm::StringRef mode, float y);
int64_t quantLevel(const QuantParams &p, float x, float scale);

} // namespace mlir::bnn::onnx_import

#endif // BNN_LIB_IMPORT_ONNX_IMPORTER_H
