//===- Artifact.h - loading compiled bnn artifacts --------------*- C++ -*-===//
//
// What every program that runs artifacts needs (bnn-run, the Python
// binding): the element types of the runtime ABI table, validation of an
// artifact's metadata, and loading a shared library with its metadata
// checked. Plain C++17 and libdl, no LLVM/MLIR, so that it cross-compiles
// with bnn-run for the targets the artifacts run on.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_RUNTIME_ARTIFACT_H
#define BNN_RUNTIME_ARTIFACT_H

#include "bnn-c/Runtime.h"
#include "bnn/Runtime/ElementTypes.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace bnn {
namespace runtime {

/// Upper bound on the bytes of one tensor, to reject absurd metadata before
/// allocating.
constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 40;

/// An element type of the table in bnn-c/Runtime.h.
struct ElemType {
  Elem elem;
  size_t size;       // bytes per element
  const char *descr; // .npy type string
  /// Bit width of unsigned values (ui1..ui8). The metadata stores them as
  /// bytes and does not record the width: 8 unless the caller knows better.
  unsigned bits = 8;

  /// "f32", "i1", "ui8", "i8", "i32".
  std::string name() const;
  bool isInteger() const { return elem != Elem::F32; }
  int64_t minValue() const;
  int64_t maxValue() const;
};

/// The element type of `dtype`, or std::nullopt when the ABI has none.
std::optional<ElemType> classify(DLDataType dtype);
/// "{code 2, bits 32, lanes 1}".
std::string dtypeString(DLDataType dtype);
/// "[1, 2, 3]".
std::string shapeString(const std::vector<int64_t> &shape);
/// "tensor<1x2x3xf32>".
std::string typeString(const std::vector<int64_t> &shape, const ElemType &t);

/// Checks one tensor of the metadata; `what` is "argument #i" or "result #i".
bool checkTensorInfo(const bnn_tensor_info &info, const std::string &what,
                     std::string &error);
/// Checks the module-level metadata (ABI version, entry table, names);
/// `model` names the artifact in messages.
bool checkModule(const bnn_module_info &module, const std::string &model,
                 std::string &error);
/// Checks one entry's function pointer and tensor tables.
bool checkEntry(const bnn_entry_info &entry, std::string &error);
/// "main, other".
std::string entryNames(const bnn_module_info &module);

/// A loaded artifact. The library stays loaded while the object lives.
class Artifact {
public:
  /// Loads the shared library at `path` and checks its module-level
  /// metadata (checkModule; entries are checked by checkEntry on use). The library is loaded from a private snapshot of the file, so
  /// that replacing or deleting the file later changes nothing, and loading
  /// a rebuilt artifact at the same path gives the new code. On failure
  /// returns nullptr and sets `error` ("cannot load 'x.so': ...",
  /// "'x.so' is not a bnn artifact: ...").
  static std::unique_ptr<Artifact> open(const std::string &path,
                                        std::string &error);
  /// The same for the bytes of a shared library; `path` names it in
  /// messages.
  static std::unique_ptr<Artifact> openBytes(const std::string &bytes,
                                             const std::string &path,
                                             std::string &error);
  ~Artifact();
  Artifact(const Artifact &) = delete;
  Artifact &operator=(const Artifact &) = delete;

  const bnn_module_info &module() const { return *info; }
  /// The entry named `name`, or nullptr.
  const bnn_entry_info *findEntry(const std::string &name) const;
  /// Sets the artifact's thread count (n >= 1); false when the artifact
  /// does not export bnn_set_num_threads.
  bool setNumThreads(int32_t n) const;

  /// The code variants of a multi-variant artifact, lowest first
  /// (bnn-c/Runtime.h); empty for code compiled for one CPU.
  std::vector<std::string> variants() const;
  /// The name of the variant that runs, or "" for a single-variant
  /// artifact.
  std::string selectedVariant() const;
  /// Runs variant `name` from the next call on; false with `error` when
  /// the artifact holds no such variant or this CPU cannot run it.
  bool forceVariant(const std::string &name, std::string &error) const;

private:
  Artifact() = default;
  void *handle = nullptr;
  int snapshotFd = -1;
  const bnn_module_info *info = nullptr;
};

} // namespace runtime
} // namespace bnn
} // namespace mlir

#endif // BNN_RUNTIME_ARTIFACT_H
