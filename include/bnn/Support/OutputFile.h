//===- OutputFile.h - writing output files safely ---------------*- C++ -*-===//
//
// How the tools (bnn-compile, bnn-run, bnn-interp) and the compiler library
// write an output path. Plain C++ and POSIX with no LLVM/MLIR dependency, so
// that runtime tools built for other targets can use it too.
//
// - A path that does not exist or names a regular file is replaced
//   atomically: the bytes go to a new temporary beside it (created with
//   O_CREAT|O_EXCL|O_NOFOLLOW under a unique name), which is written, fsynced
//   and closed with every result checked, then renamed over the path. On any
//   failure the temporary is removed and an existing file is left as it was.
// - A symbolic link that resolves to a regular file is written through: the
//   file it resolves to is replaced atomically, and the link is kept.
// - An existing character device or FIFO (including what a symbolic link
//   such as /dev/stdout resolves to) is opened and written directly, as any
//   Unix tool does; it is never replaced. Write and close errors are reported
//   (writing to /dev/full fails with "No space left on device").
// - A directory, a block device, a socket and a symbolic link that does not
//   resolve are errors; nothing is written.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_SUPPORT_OUTPUTFILE_H
#define BNN_SUPPORT_OUTPUTFILE_H

#include <string>

namespace mlir {
namespace bnn {

struct OutputFileOptions {
  /// Mode 0777 (less the umask) for a new file instead of 0666.
  bool executable = false;
  /// Refuse to write to a terminal (for binary artifacts).
  bool refuseTerminal = false;
  /// Called with the temporary's path right after it is created
  /// (`created` = true) and once more after it is renamed or removed. Tools
  /// linked with LLVM use it to remove the temporary on SIGINT/SIGTERM.
  void (*onTemporary)(const std::string &path, bool created) = nullptr;
};

/// Checks, before any work is done, that `path` can be written as described
/// above: an existing path is of a kind that is written or replaced, and the
/// directory of a path that is replaced exists. Returns false and sets
/// `reason` (a message without the path, e.g. "Is a directory") otherwise.
bool checkOutputPath(const std::string &path, std::string &reason);

/// Whether writing `outputPath` would replace the file `inputPath` ("-":
/// standard input) reads, through any name (symbolic or hard links).
bool isInputFile(const std::string &outputPath, const std::string &inputPath);

/// Writes `size` bytes at `data` to `path` as described above. Returns false
/// and sets `reason` (without the path) on failure.
bool writeOutputFile(const std::string &path, const void *data, size_t size,
                     const OutputFileOptions &options, std::string &reason);

} // namespace bnn
} // namespace mlir

#endif // BNN_SUPPORT_OUTPUTFILE_H
