//===- Artifact.cpp - loading compiled bnn artifacts ----------------------===//

#include "bnn/Runtime/Artifact.h"

#include <algorithm>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace mlir::bnn;
using namespace mlir::bnn::runtime;

namespace {
std::string quoted(const std::string &s) { return "'" + s + "'"; }
} // namespace

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

std::string ElemType::name() const {
  switch (elem) {
  case Elem::F32:
    return "f32";
  case Elem::Bool:
    return "i1";
  case Elem::U8:
    return "ui" + std::to_string(bits);
  case Elem::I8:
    return "i8";
  case Elem::I32:
    return "i32";
  }
  return "?";
}

int64_t ElemType::minValue() const {
  return elem == Elem::I8 ? INT8_MIN : elem == Elem::I32 ? INT32_MIN : 0;
}

int64_t ElemType::maxValue() const {
  switch (elem) {
  case Elem::Bool:
    return 1;
  case Elem::U8:
    return (int64_t(1) << bits) - 1;
  case Elem::I8:
    return INT8_MAX;
  default:
    return INT32_MAX;
  }
}

std::optional<ElemType> runtime::classify(DLDataType t) {
  if (const ABIElement *row = findABIElement(t))
    return ElemType{row->elem, row->size, row->descr};
  return std::nullopt;
}

std::string runtime::dtypeString(DLDataType t) {
  return "{code " + std::to_string(t.code) + ", bits " +
         std::to_string(t.bits) + ", lanes " + std::to_string(t.lanes) + "}";
}

std::string runtime::shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string runtime::typeString(const std::vector<int64_t> &shape,
                                const ElemType &t) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + t.name() + ">";
}

//===----------------------------------------------------------------------===//
// Metadata checks
//===----------------------------------------------------------------------===//

bool runtime::checkTensorInfo(const bnn_tensor_info &info,
                              const std::string &what, std::string &error) {
  if (info.ndim < 0 || info.ndim > 64 || (info.ndim > 0 && !info.shape)) {
    error = what + " has a malformed rank or shape in the metadata";
    return false;
  }
  std::optional<ElemType> type = classify(info.dtype);
  if (!type) {
    error = what + " has dtype " + dtypeString(info.dtype) +
            ", which is not in the runtime ABI (f32, i1, ui8, i8, i32)";
    return false;
  }
  uint64_t bytes = type->size;
  for (int32_t d = 0; d < info.ndim; ++d) {
    int64_t dim = info.shape[d];
    if (dim == -1 && d == 0)
      continue; // a dynamic batch
    if (dim < 0) {
      error = what + " has a negative dimension in the metadata";
      return false;
    }
    if (dim != 0 && bytes > kMaxTensorBytes / static_cast<uint64_t>(dim)) {
      error = what + " is larger than " + std::to_string(kMaxTensorBytes) +
              " bytes";
      return false;
    }
    bytes *= static_cast<uint64_t>(dim);
  }
  return true;
}

std::string runtime::entryNames(const bnn_module_info &module) {
  std::string names;
  for (int32_t i = 0; i < module.num_entries; ++i)
    names += (i ? ", " : "") + std::string(module.entries[i].name);
  return names;
}

bool runtime::checkModule(const bnn_module_info &module,
                          const std::string &model, std::string &error) {
  if (module.abi_version != BNN_ABI_VERSION) {
    error = quoted(model) + " was built for runtime ABI version " +
            std::to_string(module.abi_version) + ", this program supports " +
            "version " + std::to_string(BNN_ABI_VERSION) +
            "; compile the model again with this bnn-compile";
    return false;
  }
  if (module.num_entries < 0 || (module.num_entries > 0 && !module.entries)) {
    error = quoted(model) + ": malformed metadata (entry table)";
    return false;
  }
  for (int32_t i = 0; i < module.num_entries; ++i) {
    if (!module.entries[i].name) {
      error = quoted(model) + ": malformed metadata (entry #" +
              std::to_string(i) + " has no name)";
      return false;
    }
  }
  return true;
}

bool runtime::checkEntry(const bnn_entry_info &entry, std::string &error) {
  std::string prefix = "entry " + quoted(entry.name) + ": ";
  if (!entry.fn || !entry.fn_workspace || entry.num_inputs < 0 ||
      entry.num_outputs < 0 || entry.workspace_bytes < 0 ||
      (entry.num_inputs > 0 && !entry.inputs) ||
      (entry.num_outputs > 0 && !entry.outputs)) {
    error = prefix + "malformed metadata (functions, workspace or tensor "
                     "tables)";
    return false;
  }
  for (int32_t i = 0; i < entry.num_inputs; ++i)
    if (!checkTensorInfo(entry.inputs[i], "argument #" + std::to_string(i),
                         error)) {
      error = prefix + error;
      return false;
    }
  for (int32_t i = 0; i < entry.num_outputs; ++i)
    if (!checkTensorInfo(entry.outputs[i], "result #" + std::to_string(i),
                         error)) {
      error = prefix + error;
      return false;
    }
  return true;
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

namespace {

const char *machineName(unsigned machine) {
  switch (machine) {
  case 3:
    return "x86";
  case 40:
    return "ARM";
  case 62:
    return "x86-64";
  case 183:
    return "AArch64";
  case 243:
    return "RISC-V";
  default:
    return nullptr;
  }
}

/// The features this CPU is asked about, under LLVM's names, each with
/// whether the CPU has it.
std::vector<std::pair<const char *, bool>> checkedFeatures() {
#if defined(__x86_64__)
  __builtin_cpu_init();
#define BNN_X86_FEATURE(NAME)                                                  \
  { NAME, __builtin_cpu_supports(NAME) != 0 }
  return {
      BNN_X86_FEATURE("popcnt"),       BNN_X86_FEATURE("sse3"),
      BNN_X86_FEATURE("ssse3"),        BNN_X86_FEATURE("sse4.1"),
      BNN_X86_FEATURE("sse4.2"),       BNN_X86_FEATURE("sse4a"),
      BNN_X86_FEATURE("avx"),          BNN_X86_FEATURE("avx2"),
      BNN_X86_FEATURE("fma"),          BNN_X86_FEATURE("fma4"),
      BNN_X86_FEATURE("xop"),          BNN_X86_FEATURE("bmi"),
      BNN_X86_FEATURE("bmi2"),         BNN_X86_FEATURE("aes"),
      BNN_X86_FEATURE("pclmul"),       BNN_X86_FEATURE("gfni"),
      BNN_X86_FEATURE("vpclmulqdq"),   BNN_X86_FEATURE("avx512f"),
      BNN_X86_FEATURE("avx512bw"),     BNN_X86_FEATURE("avx512dq"),
      BNN_X86_FEATURE("avx512vl"),     BNN_X86_FEATURE("avx512cd"),
      BNN_X86_FEATURE("avx512vbmi"),   BNN_X86_FEATURE("avx512vbmi2"),
      BNN_X86_FEATURE("avx512ifma"),   BNN_X86_FEATURE("avx512vnni"),
      BNN_X86_FEATURE("avx512bitalg"), BNN_X86_FEATURE("avx512vpopcntdq"),
      BNN_X86_FEATURE("avx512bf16"),   BNN_X86_FEATURE("avx512vp2intersect"),
  };
#undef BNN_X86_FEATURE
#elif defined(__aarch64__)
  // The kernel's hardware capabilities.
  unsigned long hwcap = getauxval(AT_HWCAP), hwcap2 = getauxval(AT_HWCAP2);
  return {
      {"fp-armv8", (hwcap & HWCAP_FP) != 0},
      {"neon", (hwcap & HWCAP_ASIMD) != 0},
      {"aes", (hwcap & HWCAP_AES) != 0},
      {"sha2", (hwcap & HWCAP_SHA2) != 0},
      {"crc", (hwcap & HWCAP_CRC32) != 0},
      {"lse", (hwcap & HWCAP_ATOMICS) != 0},
      {"fullfp16", (hwcap & HWCAP_FPHP) != 0},
      {"rcpc", (hwcap & HWCAP_LRCPC) != 0},
      {"dotprod", (hwcap & HWCAP_ASIMDDP) != 0},
      {"sve", (hwcap & HWCAP_SVE) != 0},
      {"sve2", (hwcap2 & HWCAP2_SVE2) != 0},
      {"i8mm", (hwcap2 & HWCAP2_I8MM) != 0},
      {"bf16", (hwcap2 & HWCAP2_BF16) != 0},
  };
#else
  return {};
#endif
}

/// The features of the artifact's list (BNN_TARGET_FEATURES_SYMBOL) that
/// this CPU lacks, comma-separated; empty when it has them all or cannot
/// tell. Only checkedFeatures() are asked (x86-64: CPUID through
/// __builtin_cpu_supports; AArch64: the kernel's HWCAP bits).
std::string missingTargetFeatures(const char *required) {
  std::string missing;
  std::string list = std::string(",") + required + ",";
  for (auto [name, present] : checkedFeatures())
    if (!present &&
        list.find(std::string(",") + name + ",") != std::string::npos)
      missing += (missing.empty() ? "" : ", ") + std::string(name);
  return missing;
}

/// glibc reports "No such file or directory" or "invalid ELF header" for a
/// shared object of another architecture; name the mismatch when the bytes
/// are such an ELF object.
std::string machineMismatchNote(const std::string &bytes) {
#if defined(__x86_64__)
  const unsigned self = 62;
#elif defined(__aarch64__)
  const unsigned self = 183;
#else
  const unsigned self = 0; // unknown: no note
#endif
  if (self == 0 || bytes.size() < 20 ||
      std::memcmp(bytes.data(), "\x7f"
                                "ELF",
                  4) != 0)
    return "";
  const auto *header = reinterpret_cast<const unsigned char *>(bytes.data());
  unsigned machine = header[18] | (unsigned(header[19]) << 8);
  if (machine == self)
    return "";
  const char *name = machineName(machine);
  return std::string(" (the file is built for ") +
         (name ? name : "machine " + std::to_string(machine)) +
         ", this program runs " + machineName(self) + " artifacts)";
}

/// Artifacts are shared libraries of at most this size; anything larger is
/// refused before it is read (a device such as /dev/zero never ends).
constexpr off_t kMaxArtifactBytes = off_t(1) << 32;

/// Reads the regular file `path` (at most kMaxArtifactBytes).
bool readArtifactFile(const std::string &path, std::string &bytes,
                      std::string &error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat st;
  bool ok = ::fstat(fd, &st) == 0;
  if (!ok)
    error = std::strerror(errno);
  else if (S_ISDIR(st.st_mode))
    error = "it is a directory", ok = false;
  else if (!S_ISREG(st.st_mode))
    error = "it is not a regular file", ok = false;
  else if (st.st_size > kMaxArtifactBytes)
    error = "it is larger than 4 GiB", ok = false;
  if (ok) {
    bytes.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::read(fd, &bytes[done], bytes.size() - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        error = n < 0 ? std::strerror(errno) : "the file shrank while read";
        ok = false;
        break;
      }
      done += static_cast<size_t>(n);
    }
  }
  ::close(fd);
  return ok;
}

/// An anonymous in-memory file holding `bytes`; -1 with `error` set on
/// failure.
int makeSnapshot(const std::string &bytes, std::string &error) {
  int fd = ::memfd_create("bnn-artifact", MFD_CLOEXEC);
  if (fd < 0) {
    error = std::string("cannot create an in-memory copy: ") +
            std::strerror(errno);
    return -1;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      error = std::string("cannot create an in-memory copy: ") +
              (n < 0 ? std::strerror(errno) : "short write");
      ::close(fd);
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  return fd;
}

/// dlerror() with the snapshot's /proc path replaced by the user's path.
std::string dlError(const std::string &procPath, const std::string &path) {
  const char *e = dlerror();
  std::string text = e ? e : "unknown error";
  for (size_t at; (at = text.find(procPath)) != std::string::npos;)
    text.replace(at, procPath.size(), path);
  return text;
}

} // namespace

std::unique_ptr<Artifact> Artifact::open(const std::string &path,
                                         std::string &error) {
  std::string bytes;
  if (!readArtifactFile(path, bytes, error)) {
    error = "cannot load " + quoted(path) + ": " + error;
    return nullptr;
  }
  return openBytes(bytes, path, error);
}

std::unique_ptr<Artifact> Artifact::openBytes(const std::string &bytes,
                                              const std::string &path,
                                              std::string &error) {
  std::unique_ptr<Artifact> artifact(new Artifact());
  artifact->snapshotFd = makeSnapshot(bytes, error);
  if (artifact->snapshotFd < 0) {
    error = "cannot load " + quoted(path) + ": " + error;
    return nullptr;
  }
  std::string procPath =
      "/proc/self/fd/" + std::to_string(artifact->snapshotFd);
  artifact->handle = dlopen(procPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!artifact->handle) {
    error = "cannot load " + quoted(path) + ": " + dlError(procPath, path) +
            machineMismatchNote(bytes);
    return nullptr;
  }
  // Parallel artifacts pull in the OpenMP runtime, whose worker threads
  // outlive any one artifact: keep it loaded when the artifact goes.
  dlopen("libomp.so.5", RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  dlerror();
  using ModuleFn = const bnn_module_info *(*)();
  auto moduleFn =
      reinterpret_cast<ModuleFn>(dlsym(artifact->handle, "bnn_module"));
  if (!moduleFn) {
    error = quoted(path) +
            " is not a bnn artifact: it does not export bnn_module";
    return nullptr;
  }
  artifact->info = moduleFn();
  if (!artifact->info) {
    error = "bnn_module() of " + quoted(path) + " returned null";
    return nullptr;
  }
  if (!checkModule(*artifact->info, path, error))
    return nullptr;
  // Code for features the CPU lacks would die of an illegal instruction in
  // the middle of a call.
  if (const char *features = static_cast<const char *>(
          dlsym(artifact->handle, BNN_TARGET_FEATURES_SYMBOL))) {
    std::string missing = missingTargetFeatures(features);
    if (!missing.empty()) {
      error = quoted(path) + " needs CPU features this machine lacks (" +
              missing +
              "); compile it for this CPU (-mcpu=native) or an older one";
      return nullptr;
    }
  }
  return artifact;
}

Artifact::~Artifact() {
  if (handle)
    dlclose(handle);
  if (snapshotFd >= 0)
    ::close(snapshotFd);
}

const bnn_entry_info *Artifact::findEntry(const std::string &name) const {
  for (int32_t i = 0; i < info->num_entries; ++i)
    if (name == info->entries[i].name)
      return &info->entries[i];
  return nullptr;
}

std::vector<std::string> Artifact::variants() const {
  std::vector<std::string> names;
  const char *list =
      static_cast<const char *>(dlsym(handle, BNN_VARIANTS_SYMBOL));
  if (!list)
    return names;
  std::string all(list);
  for (size_t start = 0; start <= all.size();) {
    size_t comma = all.find(',', start);
    if (comma == std::string::npos)
      comma = all.size();
    names.push_back(all.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

std::string Artifact::selectedVariant() const {
  using VariantFn = int32_t (*)();
  auto variant = reinterpret_cast<VariantFn>(dlsym(handle, BNN_VARIANT_SYMBOL));
  std::vector<std::string> names = variants();
  if (!variant)
    return "";
  int32_t index = variant();
  if (index < 0 || static_cast<size_t>(index) >= names.size())
    return "variant #" + std::to_string(index);
  return names[index];
}

bool Artifact::forceVariant(const std::string &name,
                            std::string &error) const {
  std::vector<std::string> names = variants();
  using ForceFn = int32_t (*)(int32_t);
  auto force =
      reinterpret_cast<ForceFn>(dlsym(handle, BNN_FORCE_VARIANT_SYMBOL));
  if (names.empty() || !force) {
    error = "the artifact holds code for one CPU only (no variant " +
            quoted(name) + ")";
    return false;
  }
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string list;
    for (const std::string &n : names)
      list += (list.empty() ? "" : ", ") + n;
    error = "the artifact has no variant " + quoted(name) + " (it has " +
            list + ")";
    return false;
  }
  if (force(static_cast<int32_t>(it - names.begin())) != 0) {
    error = "this CPU cannot run variant " + quoted(name);
    return false;
  }
  return true;
}

bool Artifact::setNumThreads(int32_t n) const {
  using SetThreadsFn = void (*)(int32_t);
  auto setThreads =
      reinterpret_cast<SetThreadsFn>(dlsym(handle, "bnn_set_num_threads"));
  if (!setThreads)
    return false;
  setThreads(n);
  return true;
}
