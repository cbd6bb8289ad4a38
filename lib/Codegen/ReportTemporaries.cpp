//===- ReportTemporaries.cpp - bnn-report-temporaries pass ----------------===//
//
// How much memory a call allocates for temporaries, for --layer-stats and
// for whoever plans a workspace.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"

#include "BufferBytes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

#define DEBUG_TYPE "bnn-report-temporaries"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNREPORTTEMPORARIESPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {

std::string human(int64_t bytes) {
  if (bytes < 1024)
    return std::to_string(bytes) + " bytes";
  double v = static_cast<double>(bytes) / 1024;
  for (const char *unit : {"KiB", "MiB", "GiB"}) {
    if (v < 1024 || llvm::StringRef(unit) == "GiB")
      return llvm::formatv("{0:f1} {1}", v, unit).str();
    v /= 1024;
  }
  return "";
}

struct BNNReportTemporariesPass
    : public bnn::impl::BNNReportTemporariesPassBase<
          BNNReportTemporariesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func.isPublic() || func.isExternal())
      return;
    DenseMap<Value, int64_t> live;
    int64_t current = 0, peak = 0, total = 0, count = 0;
    bool dynamic = false;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        ++count;
        std::optional<int64_t> bytes = bufferBytes(alloc.getType());
        dynamic |= !bytes;
        if (!bytes)
          return;
        // Saturating: absurd static shapes must not overflow the sums.
        live[alloc] = *bytes;
        auto add = [](int64_t a, int64_t b) {
          int64_t sum;
          return llvm::AddOverflow(a, b, sum)
                     ? std::numeric_limits<int64_t>::max()
                     : sum;
        };
        current = add(current, *bytes);
        total = add(total, *bytes);
        peak = std::max(peak, current);
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        auto it = live.find(dealloc.getMemref());
        if (it != live.end()) {
          current -= it->second;
          live.erase(it);
        }
      }
    });
    func.emitRemark() << "temporaries of @" << func.getSymName()
                      << " per call: " << (dynamic ? "at least " : "")
                      << "peak " << human(peak) << ", " << count
                      << " allocations of " << human(total) << " in all"
                      << (dynamic ? " (some sizes are dynamic or too large "
                                    "to count)"
                                  : "");
  }
};
} // namespace
