//===- Importer.cpp - the ONNX graph walk ---------------------------------===//
//
// Reads the ModelProto, checks opsets, makes the function's boundary and
// walks the nodes in their (topological) order. A node that fails throws a
// NodeError, reported here at the node's location with its name, op_type
// and domain; nothing escapes importONNX.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "bnn/Dialect/BNN/IR/BNNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/StringExtras.h"

#include <google/protobuf/io/coded_stream.h>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::onnx_import;

namespace {
/// Custom domains of the QONNX quantizers; their opset versions are not
/// checked (older exports do not declare them).
bool isQONNXDomain(llvm::StringRef domain) {
  return domain == "qonnx.custom_op.general" || domain == "onnx.brevitas" ||
         domain == "finn.custom_op.general" ||
         domain.starts_with("qonnx.custom_op.general.") ||
         domain.starts_with("finn.custom_op.general.");
}

bool isDefaultDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

constexpr int64_t kMinOpset = 9, kMaxOpset = 17;
} // namespace

Importer::Importer(MLIRContext *context, llvm::StringRef identifier,
                   const ONNXImportOptions &options)
    : builder(context), loc(UnknownLoc::get(context)), context(context),
      identifier(identifier.str()), options(options) {}

void Importer::fail(const llvm::Twine &message) const {
  throw NodeError{message.str()};
}

void Importer::define(llvm::StringRef name, Tensor t) {
  if (name.empty())
    return;
  values[name.str()] = std::move(t);
}

bool Importer::hasInput(int index) const {
  return index < node->input_size() && !node->input(index).empty();
}

const Tensor &Importer::input(int index) const {
  if (!hasInput(index))
    fail("input " + llvm::Twine(index) + " is missing");
  auto it = values.find(node->input(index));
  if (it == values.end())
    fail("input '" + node->input(index) +
         "' is not defined by an earlier node, an initializer or a graph "
         "input");
  return it->second;
}

const Constant &Importer::constInput(int index, llvm::StringRef what) const {
  const Tensor &t = input(index);
  if (t.kind != Tensor::Const)
    fail(what + " (input " + llvm::Twine(index) +
         ") must be a constant (an initializer or computed from them)");
  return t.constant;
}

const onnx::AttributeProto *Importer::attr(llvm::StringRef name) const {
  for (const onnx::AttributeProto &a : node->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t Importer::intAttr(llvm::StringRef name, int64_t dflt) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return dflt;
  if (a->type() != onnx::AttributeProto::INT)
    fail("attribute '" + name + "' must be an integer");
  return a->i();
}

int64_t Importer::requiredIntAttr(llvm::StringRef name) const {
  if (!attr(name))
    fail("attribute '" + name + "' is required");
  return intAttr(name, 0);
}

float Importer::floatAttr(llvm::StringRef name, float dflt) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return dflt;
  if (a->type() != onnx::AttributeProto::FLOAT)
    fail("attribute '" + name + "' must be a float");
  return a->f();
}

std::string Importer::stringAttr(llvm::StringRef name,
                                 llvm::StringRef dflt) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return dflt.str();
  if (a->type() != onnx::AttributeProto::STRING)
    fail("attribute '" + name + "' must be a string");
  return a->s();
}

llvm::SmallVector<int64_t> Importer::intsAttr(llvm::StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return {};
  if (a->type() != onnx::AttributeProto::INTS)
    fail("attribute '" + name + "' must be a list of integers");
  return llvm::SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

void Importer::allowAttrs(llvm::ArrayRef<llvm::StringRef> names) const {
  for (const onnx::AttributeProto &a : node->attribute())
    if (!llvm::is_contained(names, a.name()))
      fail("attribute '" + a.name() + "' is not supported");
}

Tensor Importer::importInput(const onnx::ValueInfoProto &info) {
  const onnx::TypeProto &type = info.type();
  if (!type.has_tensor_type())
    fail("is not a tensor");
  if (type.tensor_type().elem_type() != onnx::TensorProto::FLOAT)
    fail("has element type " +
         onnx::TensorProto::DataType_Name(
             onnx::TensorProto::DataType(type.tensor_type().elem_type())) +
         "; only float inputs are supported");
  Tensor t;
  auto given = options.inputShapes.find(info.name());
  if (given != options.inputShapes.end()) {
    t.shape.assign(given->second.begin(), given->second.end());
  } else {
    if (!type.tensor_type().has_shape())
      fail("has no shape; give one with --input-shape " + info.name() +
           "=DIMS");
    const auto &dims = type.tensor_type().shape().dim();
    for (int k = 0; k < dims.size(); ++k) {
      if (dims[k].has_dim_value() && dims[k].dim_value() > 0) {
        t.shape.push_back(dims[k].dim_value());
      } else if (k == 0) {
        t.shape.push_back(ShapedType::kDynamic);
      } else {
        fail("has a dynamic dimension " + llvm::Twine(k) +
             " ('" + dims[k].dim_param() +
             "'); only dimension 0, the batch, may be dynamic: give a "
             "static shape with --input-shape " + info.name() + "=DIMS");
      }
    }
  }
  for (int64_t d : t.shape)
    if (d == 0 || d < ShapedType::kDynamic || (d < 0 && d != ShapedType::kDynamic))
      fail("has an empty or negative dimension");
  llvm::SmallVector<int64_t> known;
  for (int64_t d : t.shape)
    if (!ShapedType::isDynamic(d))
      known.push_back(d);
  std::optional<int64_t> numel = checkedNumel(known);
  if (!numel || *numel > (int64_t(1) << 32))
    fail("has more than 2^32 elements");
  if (t.shape.empty() || t.shape.size() > 4)
    fail("has rank " + llvm::Twine(t.shape.size()) +
         "; ranks 1 to 4 are supported");
  return t;
}

void Importer::importNode(const onnx::NodeProto &n) {
  llvm::StringRef op = n.op_type();
  llvm::StringRef domain = n.domain();
  if (!isDefaultDomain(domain) && !isQONNXDomain(domain))
    fail("the domain is not supported (the default ONNX domain and the "
         "QONNX domains qonnx.custom_op.general, onnx.brevitas and "
         "finn.custom_op.general are)");
  bool allConst = true;
  for (int k = 0; k < n.input_size(); ++k)
    if (hasInput(k) && input(k).kind != Tensor::Const)
      allConst = false;
  std::optional<Outputs> outs;
  if (allConst || (op == "Shape" && isDefaultDomain(domain)))
    outs = foldNode(*this, op);
  if (!outs && isQONNXDomain(domain))
    outs = importQuantOp(*this, op);
  if (!outs && isDefaultDomain(domain))
    outs = importFloatOp(*this, op);
  if (!outs)
    fail("the operator is not supported (docs/ONNX.md lists those that are)");
  if (int(outs->size()) < n.output_size())
    for (int k = outs->size(); k < n.output_size(); ++k)
      if (!n.output(k).empty())
        fail("optional output " + llvm::Twine(k) + " is not supported");
  for (size_t k = 0; k < outs->size() && int(k) < n.output_size(); ++k)
    define(n.output(k), std::move((*outs)[k]));
}

OwningOpRef<ModuleOp> Importer::run(const onnx::ModelProto &model) {
  Location fileLoc = FileLineColLoc::get(context, identifier, 0, 0);
  auto error = [&](Location at) { return emitError(at); };
  for (const onnx::OperatorSetIdProto &set : model.opset_import()) {
    if (isDefaultDomain(set.domain()) &&
        (set.version() < kMinOpset || set.version() > kMaxOpset)) {
      error(fileLoc) << "the model uses ONNX opset " << set.version()
                     << "; opsets " << kMinOpset << " to " << kMaxOpset
                     << " are supported";
      return nullptr;
    }
    if (isDefaultDomain(set.domain()))
      opset = set.version();
  }
  if (!model.has_graph()) {
    error(fileLoc) << "the model has no graph";
    return nullptr;
  }
  const onnx::GraphProto &graph = model.graph();

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());

  for (const onnx::TensorProto &init : graph.initializer()) {
    Tensor t;
    t.kind = Tensor::Const;
    std::string message;
    if (!readTensor(init, t.constant, message)) {
      error(fileLoc) << "initializer '" << init.name() << "': " << message;
      return nullptr;
    }
    define(init.name(), std::move(t));
  }

  // Graph inputs that are also initializers (older exports list them) are
  // constants, not arguments.
  llvm::SmallVector<Type> argTypes;
  llvm::SmallVector<const onnx::ValueInfoProto *> args;
  std::vector<Tensor> argTensors;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (values.count(info.name()))
      continue;
    try {
      Tensor t = importInput(info);
      argTypes.push_back(
          RankedTensorType::get(t.shape, builder.getF32Type()));
      args.push_back(&info);
      argTensors.push_back(std::move(t));
    } catch (const NodeError &e) {
      error(fileLoc) << "graph input '" << info.name() << "' " << e.message;
      return nullptr;
    }
  }
  if (graph.output_size() == 0) {
    error(fileLoc) << "the graph has no outputs";
    return nullptr;
  }

  std::string name = options.functionName;
  auto func = func::FuncOp::create(builder, fileLoc, name,
                                    builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  for (size_t k = 0; k < args.size(); ++k) {
    func.setArgAttr(k, "bnn.onnx_name", builder.getStringAttr(args[k]->name()));
    Tensor t = argTensors[k];
    t.kind = Tensor::Float;
    loc = NameLoc::get(builder.getStringAttr(args[k]->name()), fileLoc);
    t.value = body->getArgument(k);
    if (t.shape.size() == 4)
      t.value = transpose(t.value, {0, 2, 3, 1});
    define(args[k]->name(), std::move(t));
  }

  for (int k = 0; k < graph.node_size(); ++k) {
    const onnx::NodeProto &n = graph.node(k);
    node = &n;
    std::string label = n.name().empty()
                            ? n.op_type() + "#" + std::to_string(k)
                            : n.name();
    loc = NameLoc::get(builder.getStringAttr(label), fileLoc);
    try {
      importNode(n);
    } catch (const NodeError &e) {
      error(loc) << "node '" << label << "' (" << n.op_type() << ", domain "
                 << (n.domain().empty() ? "ai.onnx" : n.domain())
                 << "): " << e.message;
      return nullptr;
    }
  }

  llvm::SmallVector<Value> results;
  llvm::SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    loc = NameLoc::get(builder.getStringAttr(out.name()), fileLoc);
    auto it = values.find(out.name());
    if (it == values.end()) {
      error(loc) << "graph output '" << out.name()
                 << "' is not produced by any node";
      return nullptr;
    }
    try {
      const Tensor &t = it->second;
      Value v;
      if (t.kind == Tensor::Const) {
        std::vector<float> f(t.constant.numel());
        for (int64_t i = 0; i < t.constant.numel(); ++i)
          f[i] = float(t.constant.at(i));
        v = floatConst(t.constant.shape, f);
      } else {
        // An integer output (QuantizeLinear's) is returned as f32 values
        // equal to the integers (docs/ONNX.md#boundary).
        Tensor integers = t;
        if (t.integer) {
          integers.offset = t.qOffset;
          integers.scale = 1.0f;
        }
        v = toOnnxColumns(t, toFloat(integers));
        if (t.shape.size() == 4)
          v = transpose(v, {0, 3, 1, 2});
      }
      results.push_back(v);
      resultTypes.push_back(v.getType());
    } catch (const NodeError &e) {
      error(loc) << "graph output '" << out.name() << "': " << e.message;
      return nullptr;
    }
  }
  func::ReturnOp::create(builder, loc, results);
  func.setType(builder.getFunctionType(argTypes, resultTypes));
  for (int k = 0; k < graph.output_size(); ++k)
    func.setResultAttr(k, "bnn.onnx_name",
                       builder.getStringAttr(graph.output(k).name()));
  // Forms made for consumers that did not come (the i8 levels of a k-bit
  // tensor, the counts of a multi-threshold) are dropped.
  llvm::SmallVector<Operation *> ops;
  body->walk([&](Operation *op) { ops.push_back(op); });
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      op->erase();
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

bool mlir::bnn::looksLikeONNX(llvm::StringRef bytes,
                              llvm::StringRef identifier) {
  if (identifier.ends_with_insensitive(".onnx"))
    return true;
  // Field 1 (ir_version, varint) is the first field a serializer writes.
  return !bytes.empty() && bytes[0] == '\x08';
}

OwningOpRef<ModuleOp> mlir::bnn::importONNX(llvm::StringRef bytes,
                                            llvm::StringRef identifier,
                                            MLIRContext *context,
                                            const ONNXImportOptions &options) {
  context->loadDialect<arith::ArithDialect, func::FuncDialect,
                       tensor::TensorDialect, tosa::TosaDialect,
                       BNNDialect>();
  onnx::ModelProto model;
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()), int(bytes.size()));
  // Graphs nest through If/Loop attributes; a bound keeps a hostile file
  // from overflowing the stack.
  stream.SetRecursionLimit(64);
  if (bytes.size() > size_t(INT32_MAX) || !model.ParseFromCodedStream(&stream) ||
      !stream.ConsumedEntireMessage()) {
    emitError(FileLineColLoc::get(context, identifier, 0, 0))
        << "not a valid ONNX model: the protobuf is malformed or truncated";
    return nullptr;
  }
  Importer importer(context, identifier, options);
  return importer.run(model);
}

bool mlir::bnn::parseInputShape(llvm::StringRef spec,
                                ONNXImportOptions &options,
                                std::string &error) {
  auto [name, dims] = spec.rsplit('=');
  if (name.empty() || dims.empty() || !spec.contains('=')) {
    error = "expected NAME=DIMS (e.g. input=1x3x32x32), got '" + spec.str() +
            "'";
    return false;
  }
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<llvm::StringRef> parts;
  dims.split(parts, 'x');
  for (llvm::StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d) || d <= 0 || d > (int64_t(1) << 31)) {
      error = "dimension '" + p.str() + "' of '" + spec.str() +
              "' is not a positive integer";
      return false;
    }
    shape.push_back(d);
  }
  options.inputShapes[name.str()] = shape;
  return true;
}

void mlir::bnn::registerONNXImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect,
                  tensor::TensorDialect, tosa::TosaDialect, BNNDialect>();
}
