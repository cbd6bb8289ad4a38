//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Reads and writes NumPy .npy files (format versions 1.0-3.0, C order,
// little-endian). Plain C++ with no LLVM/MLIR dependency, so that runtime
// tools built for other targets can use it too.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_SUPPORT_NPY_H
#define BNN_SUPPORT_NPY_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace mlir {
namespace bnn {
namespace npy {

struct Array {
  /// NumPy type string: "<f4", "|b1", "|u1", "|i1", "<i4", "<i8".
  std::string descr;
  std::vector<int64_t> shape;
  /// Little-endian element data in C order.
  std::vector<uint8_t> data;

  int64_t numElements() const;
};

/// Size in bytes of one element of a supported type string, or 0 when the
/// type string is not supported.
size_t elementSize(const std::string &descr);

/// What the header of a .npy file says.
struct Header {
  /// As Array::descr (single-byte types normalised to "|b1", "|u1", "|i1").
  std::string descr;
  std::vector<int64_t> shape;
  /// Where the data starts in the file, and its size (shape x element size;
  /// at most 2^40 elements).
  uint64_t dataOffset = 0;
  uint64_t dataBytes = 0;
};

/// Parses the header at the start of `bytes`, which may end where the header
/// ends. On failure returns false and sets `error` (the messages of parse).
bool parseHeader(const std::string &bytes, Header &header, std::string &error);

/// The most bytes of data readFile reads into memory: 1 GiB.
inline constexpr uint64_t kMaxReadBytes = uint64_t(1) << 30;

/// The longest header Reader reads: 1 MiB (numpy writes under 1 KiB).
inline constexpr uint64_t kMaxHeaderBytes = uint64_t(1) << 20;

/// A .npy file read in two steps: open() reads and checks only the header,
/// so that the size of the data is known before any of it is read (and can
/// be refused, or read straight into the caller's memory); readData() then
/// reads exactly that much and checks that nothing follows. A file that is
/// no .npy file (/dev/zero, text) fails at its first bytes.
class Reader {
public:
  /// What went wrong, for callers that word the message themselves.
  enum class Failure { None, Open, Read, Format };

  Reader() = default;
  Reader(const Reader &) = delete;
  Reader &operator=(const Reader &) = delete;
  ~Reader();

  /// Opens `path` and reads its header. On failure sets `error` to the
  /// reason, without the path ("No such file or directory", "Is a
  /// directory", "truncated .npy header"), and failure() to its kind.
  bool open(const std::string &path, std::string &error);
  const Header &header() const { return fileHeader; }
  /// Reads the data, header().dataBytes bytes, into `data`; fails
  /// (Failure::Format) when the file holds fewer or more bytes.
  bool readData(void *data, std::string &error);
  Failure failure() const { return lastFailure; }

private:
  std::FILE *file = nullptr;
  Header fileHeader;
  Failure lastFailure = Failure::None;

  bool fail(Failure kind, const std::string &reason, std::string &error);
  bool read(void *data, size_t size, size_t &got, std::string &error);
};

/// Parses the contents of a .npy file. On failure returns false and sets
/// `error` to a message that says what is wrong.
bool parse(const std::string &bytes, Array &array, std::string &error);
/// Serializes to .npy format version 1.0.
std::string serialize(const Array &array);

/// Reads and parses `path` with a Reader, refusing before reading it data
/// of more than `maxDataBytes`; messages name the file and give the reason
/// ("cannot open 'x.npy': No such file or directory", "cannot read 'dir':
/// Is a directory", "'big.npy': the data is 4294967296 bytes, more than
/// 1073741824").
bool readFile(const std::string &path, Array &array, std::string &error,
              uint64_t maxDataBytes = kMaxReadBytes);
/// Writes `array` to `path` as bnn/Support/OutputFile.h describes: a regular
/// file is replaced atomically through a unique temporary, a character
/// device or FIFO is written directly, and every write, fsync and close is
/// checked ("cannot write 'y.npy': No space left on device").
bool writeFile(const std::string &path, const Array &array, std::string &error);

} // namespace npy
} // namespace bnn
} // namespace mlir

#endif // BNN_SUPPORT_NPY_H
