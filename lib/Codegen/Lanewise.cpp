//===- Lanewise.cpp - lane-wise emission of linalg bodies -----------------===//

#include "Lanewise.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::bnn;

Value lanewise::splatTo(OpBuilder &b, Location loc, Value v, int64_t lanes) {
  if (isa<VectorType>(v.getType()))
    return v;
  return vector::BroadcastOp::create(
      b, loc, VectorType::get({lanes}, v.getType()), v);
}


Value lanewise::cloneLanewise(OpBuilder &b, Location loc, linalg::GenericOp op,
                    Value root, ArrayRef<Value> args, ArrayRef<Value> dims,
                    int64_t lanes) {
  Block &body = op.getRegion().front();
  IRMapping map;
  for (auto [arg, value] : llvm::zip(body.getArguments(), args))
    if (value)
      map.map(arg, value);
  for (Operation &inner : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      map.map(index.getResult(), dims[index.getDim()]);
      continue;
    }
    // Values from above the body (hoisted constants) are uniform scalars.
    bool anyVector = llvm::any_of(inner.getOperands(), [&](Value v) {
      return isa<VectorType>(map.lookupOrDefault(v).getType());
    });
    if (!anyVector) {
      b.clone(inner, map);
    } else {
      OperationState state(loc, inner.getName());
      for (Value v : inner.getOperands())
        state.addOperands(splatTo(b, loc, map.lookupOrDefault(v), lanes));
      for (Type t : inner.getResultTypes())
        state.addTypes(VectorType::get({lanes}, t));
      state.addAttributes(inner.getAttrs());
      Operation *created = b.create(state);
      map.map(inner.getResults(), created->getResults());
    }
    if (inner.getNumResults() == 1 && inner.getResult(0) == root)
      break;
  }
  return splatTo(b, loc, map.lookup(root), lanes);
}


SmallVector<Value> lanewise::applyMap(OpBuilder &b, Location loc, AffineMap map,
                            ArrayRef<OpFoldResult> dims) {
  SmallVector<Value> indices;
  for (AffineExpr e : map.getResults())
    indices.push_back(getValueOrCreateConstantIndexOp(
        b, loc,
        affine::makeComposedFoldedAffineApply(
            b, loc, AffineMap::get(map.getNumDims(), 0, e), dims)));
  return indices;
}
