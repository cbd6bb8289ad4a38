//===- ModelInput.cpp - reading and parsing model text --------------------===//

#include "bnn/Input/ModelInput.h"

#include "bnn/Import/ONNX.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// "1 GiB" for the default limit, else the byte count.
std::string describeLimit(uint64_t maxBytes) {
  if (maxBytes == kMaxModelBytes)
    return "1 GiB";
  return std::to_string(maxBytes) + " bytes";
}

/// Reads `fd` to its end, failing once more than `maxBytes` arrived.
std::unique_ptr<llvm::MemoryBuffer> readStream(int fd, llvm::StringRef name,
                                               const std::string &what,
                                               uint64_t maxBytes,
                                               std::string *error) {
  std::string data;
  char chunk[1 << 16];
  while (true) {
    llvm::Expected<size_t> n =
        llvm::sys::fs::readNativeFile(fd, llvm::MutableArrayRef(chunk));
    if (!n) {
      if (error)
        *error = "cannot read " + what + ": " + llvm::toString(n.takeError());
      return nullptr;
    }
    if (*n == 0)
      break;
    if (data.size() + *n > maxBytes) {
      if (error)
        *error = what + " is larger than " + describeLimit(maxBytes) +
                 ", the most a model may have";
      return nullptr;
    }
    data.append(chunk, *n);
  }
  return llvm::MemoryBuffer::getMemBufferCopy(data, name);
}
} // namespace

std::unique_ptr<llvm::MemoryBuffer> bnn::openModelFile(llvm::StringRef path,
                                                       std::string *error,
                                                       uint64_t maxBytes) {
  bool isStdin = path == "-";
  // The same wording as mlir::openInputFile for files that cannot be opened.
  auto cannotOpen = [&](std::error_code ec) {
    if (error)
      *error = ("cannot open input file '" + path + "': " + ec.message()).str();
    return nullptr;
  };
  int fd = 0;
  if (!isStdin)
    if (std::error_code ec = llvm::sys::fs::openFileForRead(path, fd))
      return cannotOpen(ec);
  llvm::scope_exit close([&] {
    if (!isStdin)
      llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  });
  llvm::StringRef name = isStdin ? llvm::StringRef("<stdin>") : path;
  std::string what =
      isStdin ? std::string("stdin") : ("input file '" + path + "'").str();

  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(fd, status))
    return cannotOpen(ec);
  switch (status.type()) {
  case llvm::sys::fs::file_type::directory_file:
    return cannotOpen(std::make_error_code(std::errc::is_a_directory));
  case llvm::sys::fs::file_type::regular_file: {
    uint64_t size = status.getSize();
    if (size > maxBytes) {
      if (error)
        *error = what + " is " + std::to_string(size) + " bytes, more than " +
                 describeLimit(maxBytes) + ", the most a model may have";
      return nullptr;
    }
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        llvm::MemoryBuffer::getOpenFile(fd, name, size);
    if (!buffer)
      return cannotOpen(buffer.getError());
    return std::move(*buffer);
  }
  case llvm::sys::fs::file_type::character_file:
  case llvm::sys::fs::file_type::block_file: {
    // A terminal is read like a pipe. Any other device may never end
    // (/dev/zero) or be huge (a disk); only an empty one (/dev/null) is a
    // model, the empty module.
    if (llvm::sys::Process::FileDescriptorIsDisplayed(fd))
      break;
    char byte;
    llvm::Expected<size_t> n =
        llvm::sys::fs::readNativeFile(fd, llvm::MutableArrayRef(&byte, 1));
    if (n && *n == 0)
      return llvm::MemoryBuffer::getMemBufferCopy("", name);
    llvm::consumeError(n.takeError());
    if (error)
      *error = what + " is a " +
               (status.type() == llvm::sys::fs::file_type::block_file
                    ? "block"
                    : "character") +
               " device; models are read from files, pipes or a terminal";
    return nullptr;
  }
  default:
    break;
  }
  // Pipes, sockets, terminals: the size is known only at the end.
  return readStream(fd, name, what, maxBytes, error);
}

std::optional<size_t> bnn::findExcessiveNesting(llvm::StringRef text,
                                                unsigned limit) {
  unsigned depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    switch (text[i]) {
    case '"':
      // A string literal ends at its closing quote; the lexer also ends it
      // (with an error) at a newline.
      for (++i; i < e && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      break;
    case '/':
      if (i + 1 < e && text[i + 1] == '/')
        while (i < e && text[i] != '\n')
          ++i;
      break;
    case '-':
      if (i + 1 < e && text[i + 1] == '>')
        ++i; // `->` is a token of its own, not a closing bracket
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      if (++depth > limit)
        return i;
      break;
    case ')':
    case ']':
    case '}':
    case '>':
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return std::nullopt;
}

LogicalResult bnn::checkNestingDepth(const llvm::SourceMgr &sourceMgr,
                                     MLIRContext *context) {
  unsigned id = sourceMgr.getMainFileID();
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(id);
  std::optional<size_t> offset = findExcessiveNesting(buffer->getBuffer());
  if (!offset)
    return success();
  auto [line, column] = sourceMgr.getLineAndColumn(
      llvm::SMLoc::getFromPointer(buffer->getBufferStart() + *offset), id);
  Location loc =
      FileLineColLoc::get(context, buffer->getBufferIdentifier(), line, column);
  return emitError(loc) << "brackets nest deeper than " << kMaxNestingDepth
                        << " levels, more than a model may have (the parser "
                           "would run out of stack)";
}

OwningOpRef<ModuleOp> bnn::parseModelSource(llvm::SourceMgr &sourceMgr,
                                            const ParserConfig &config,
                                            const ONNXImportOptions &onnx) {
  const llvm::MemoryBuffer *main =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  if (looksLikeONNX(main->getBuffer(), main->getBufferIdentifier()))
    return importONNX(main->getBuffer(), main->getBufferIdentifier(),
                      config.getContext(), onnx);
  if (failed(checkNestingDepth(sourceMgr, config.getContext())))
    return nullptr;
  return parseSourceFile<ModuleOp>(sourceMgr, config);
}
