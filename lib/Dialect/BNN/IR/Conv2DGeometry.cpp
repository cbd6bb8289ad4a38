//===- Conv2DGeometry.cpp - window geometry of conv and pool ops ----------===//

#include "bnn/Dialect/BNN/IR/Conv2DGeometry.h"

using namespace mlir;
using namespace mlir::bnn;

Conv2DGeometry Conv2DGeometry::get(DenseI64ArrayAttr strides,
                                   DenseI64ArrayAttr dilations,
                                   DenseI64ArrayAttr padding, int64_t groups) {
  Conv2DGeometry g;
  if (strides && strides.size() == 2) {
    g.strideH = strides[0];
    g.strideW = strides[1];
  }
  if (dilations && dilations.size() == 2) {
    g.dilationH = dilations[0];
    g.dilationW = dilations[1];
  }
  if (padding && padding.size() == 4) {
    g.padTop = padding[0];
    g.padBottom = padding[1];
    g.padLeft = padding[2];
    g.padRight = padding[3];
  }
  g.groups = groups;
  return g;
}
