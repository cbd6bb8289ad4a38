//===- OutputFile.cpp - writing output files safely -----------------------===//

#include "bnn/Support/OutputFile.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlir::bnn;

namespace {

/// What writing to a path means.
struct Destination {
  enum Kind {
    /// A new or regular file: replaced atomically through a temporary.
    Replace,
    /// An existing character device or FIFO: opened and written directly.
    Direct,
    /// Not writable; `reason` says why.
    Invalid,
  } kind;
  /// The file to replace or open (a symbolic link's resolved target).
  std::string path;
  std::string reason;
};

std::string errnoText(int error) { return std::strerror(error); }

Destination invalid(std::string reason) {
  return {Destination::Invalid, "", std::move(reason)};
}

std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string baseNameOf(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Destination classify(const std::string &path) {
  if (path.empty())
    return invalid(errnoText(ENOENT));
  struct stat link;
  if (lstat(path.c_str(), &link) != 0) {
    if (errno != ENOENT)
      return invalid(errnoText(errno));
    if (path.back() == '/')
      return invalid(errnoText(EISDIR));
    // A new file: its directory must exist.
    struct stat directory;
    if (stat(directoryOf(path).c_str(), &directory) != 0)
      return invalid(errnoText(errno));
    if (!S_ISDIR(directory.st_mode))
      return invalid(errnoText(ENOTDIR));
    return {Destination::Replace, path, ""};
  }

  struct stat file = link;
  if (S_ISLNK(link.st_mode)) {
    if (stat(path.c_str(), &file) != 0)
      return invalid("it is a symbolic link that does not resolve (" +
                     errnoText(errno) + ")");
    if (S_ISREG(file.st_mode)) {
      // Write through the link: replace the file it resolves to (checked to
      // be the same file, so that a magic link of /proc to a deleted file
      // does not create a new one).
      char *resolved = realpath(path.c_str(), nullptr);
      struct stat target;
      bool same = resolved && lstat(resolved, &target) == 0 &&
                  S_ISREG(target.st_mode) && target.st_dev == file.st_dev &&
                  target.st_ino == file.st_ino;
      std::string targetPath = resolved ? resolved : "";
      std::free(resolved);
      if (!same)
        return invalid("it is a symbolic link whose target cannot be "
                       "resolved to a path");
      return {Destination::Replace, targetPath, ""};
    }
  }
  if (S_ISREG(file.st_mode))
    return {Destination::Replace, path, ""};
  if (S_ISDIR(file.st_mode))
    return invalid(errnoText(EISDIR));
  if (S_ISCHR(file.st_mode) || S_ISFIFO(file.st_mode))
    return {Destination::Direct, path, ""};
  if (S_ISBLK(file.st_mode))
    return invalid("it is a block device; refusing to write to it");
  if (S_ISSOCK(file.st_mode))
    return invalid("it is a socket");
  return invalid("it is not a regular file, character device or FIFO");
}

/// Writes all `size` bytes; false with errno set on failure.
bool writeAll(int fd, const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    if (n == 0) {
      errno = EIO;
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool writeDirect(const std::string &path, const void *data, size_t size,
                 const OutputFileOptions &options, std::string &reason) {
  int fd;
  do
    fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    reason = errnoText(errno);
    return false;
  }
  struct stat file;
  if (fstat(fd, &file) != 0 ||
      !(S_ISCHR(file.st_mode) || S_ISFIFO(file.st_mode))) {
    // Replaced by something else between the check and the open.
    ::close(fd);
    reason = "it changed while being opened";
    return false;
  }
  if (options.refuseTerminal && isatty(fd)) {
    ::close(fd);
    reason = "it is a terminal; refusing to write binary data to it";
    return false;
  }
  if (!writeAll(fd, data, size)) {
    reason = errnoText(errno);
    ::close(fd);
    return false;
  }
  if (::close(fd) != 0 && errno != EINTR) {
    reason = errnoText(errno);
    return false;
  }
  return true;
}

/// A name for a temporary that is unlikely to exist; O_EXCL decides.
std::string temporaryName(const std::string &target, unsigned attempt) {
  static std::atomic<uint64_t> counter{0};
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  // splitmix64 of the process, the time and a counter.
  uint64_t x = (static_cast<uint64_t>(getpid()) << 32) ^
               static_cast<uint64_t>(now.tv_nsec) ^
               (static_cast<uint64_t>(now.tv_sec) << 20) ^
               (counter.fetch_add(1) * 0x9e3779b97f4a7c15ull) ^ attempt;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  x ^= x >> 31;
  static const char kDigits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (int i = 0; i < 10; ++i, x /= 36)
    suffix += kDigits[x % 36];
  // Keep the name within NAME_MAX however long the file's own name is.
  std::string base = baseNameOf(target).substr(0, 200);
  return directoryOf(target) + "/." + base + "." + suffix + ".tmp";
}

bool replaceAtomically(const std::string &target, const void *data, size_t size,
                       const OutputFileOptions &options, std::string &reason) {
  mode_t mode = options.executable ? 0777 : 0666; // less the umask
  std::string temp;
  int fd = -1;
  for (unsigned attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = temporaryName(target, attempt);
    fd = ::open(temp.c_str(),
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0 && errno != EEXIST && errno != EINTR) {
      reason = errnoText(errno);
      return false;
    }
  }
  if (fd < 0) {
    reason = "cannot create a unique temporary file beside it";
    return false;
  }
  if (options.onTemporary)
    options.onTemporary(temp, true);
  auto discard = [&](int error) {
    reason = errnoText(error);
    ::unlink(temp.c_str());
    if (options.onTemporary)
      options.onTemporary(temp, false);
    return false;
  };
  if (!writeAll(fd, data, size) || fsync(fd) != 0) {
    int error = errno;
    ::close(fd);
    return discard(error);
  }
  if (::close(fd) != 0 && errno != EINTR)
    return discard(errno);
  if (::rename(temp.c_str(), target.c_str()) != 0)
    return discard(errno);
  if (options.onTemporary)
    options.onTemporary(temp, false);
  return true;
}

} // namespace

bool mlir::bnn::checkOutputPath(const std::string &path, std::string &reason) {
  Destination destination = classify(path);
  if (destination.kind == Destination::Invalid) {
    reason = destination.reason;
    return false;
  }
  if (destination.kind == Destination::Replace &&
      access(directoryOf(destination.path).c_str(), W_OK) != 0) {
    reason = errnoText(errno);
    return false;
  }
  return true;
}

bool mlir::bnn::writeOutputFile(const std::string &path, const void *data,
                                size_t size, const OutputFileOptions &options,
                                std::string &reason) {
  Destination destination = classify(path);
  switch (destination.kind) {
  case Destination::Replace:
    return replaceAtomically(destination.path, data, size, options, reason);
  case Destination::Direct:
    return writeDirect(destination.path, data, size, options, reason);
  case Destination::Invalid:
    break;
  }
  reason = destination.reason;
  return false;
}

bool mlir::bnn::isInputFile(const std::string &outputPath,
                            const std::string &inputPath) {
  struct stat out, in;
  if (stat(outputPath.c_str(), &out) != 0 || !S_ISREG(out.st_mode))
    return false;
  int rc = inputPath == "-" ? fstat(0, &in) : stat(inputPath.c_str(), &in);
  return rc == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino;
}
