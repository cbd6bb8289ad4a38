//===- Npy.cpp - NumPy .npy files -----------------------------------------===//

#include "bnn/Support/Npy.h"
#include "bnn/Support/OutputFile.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include <sys/stat.h>

using namespace mlir::bnn;

namespace {
const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)); }

void skipSpaces(const std::string &s, size_t &pos) {
  while (pos < s.size() && isSpace(s[pos]))
    ++pos;
}

/// One value of the header dictionary: a string, a boolean or a tuple of
/// non-negative integers (the only kinds the three keys take).
struct HeaderValue {
  enum Kind { String, Bool, Tuple } kind;
  std::string text;          // String
  bool flag = false;         // Bool
  std::vector<int64_t> dims; // Tuple
};

/// Parses the header dictionary the way numpy does (a Python dict literal,
/// read with ast.literal_eval): keys in single or double quotes, values
/// 'str', True/False or a tuple of integers, an optional trailing comma,
/// and for a key given twice the last value. Exactly the keys 'descr',
/// 'fortran_order' and 'shape' are allowed; missing ones are reported by the
/// caller.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &header) : s(header) {}

  bool parse(std::map<std::string, HeaderValue> &entries, std::string &error) {
    skipSpaces(s, pos);
    if (!consume('{'))
      return fail("expected a '{' dictionary", error);
    while (true) {
      skipSpaces(s, pos);
      if (consume('}'))
        break;
      std::string key;
      if (!parseString(key))
        return fail("expected a quoted key", error);
      if (key != "descr" && key != "fortran_order" && key != "shape")
        return fail("unexpected key '" + key + "'", error);
      skipSpaces(s, pos);
      if (!consume(':'))
        return fail("expected ':' after '" + key + "'", error);
      skipSpaces(s, pos);
      HeaderValue value;
      if (!parseValue(key, value, error))
        return false;
      entries[key] = std::move(value); // the last of duplicates wins
      skipSpaces(s, pos);
      if (consume(','))
        continue;
      if (consume('}'))
        break;
      return fail("expected ',' or '}' after the value of '" + key + "'",
                  error);
    }
    skipSpaces(s, pos);
    if (pos != s.size())
      return fail("unexpected text after the dictionary", error);
    return true;
  }

private:
  const std::string &s;
  size_t pos = 0;

  static bool fail(const std::string &message, std::string &error) {
    error = "malformed .npy header: " + message;
    return false;
  }

  bool consume(char c) {
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }

  bool consumeWord(const char *word) {
    size_t n = std::strlen(word);
    if (s.compare(pos, n, word) != 0)
      return false;
    if (pos + n < s.size() &&
        (std::isalnum(static_cast<unsigned char>(s[pos + n])) ||
         s[pos + n] == '_'))
      return false;
    pos += n;
    return true;
  }

  /// A string literal in single or double quotes, without escapes.
  bool parseString(std::string &out) {
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"'))
      return false;
    char quote = s[pos];
    size_t end = s.find(quote, pos + 1);
    if (end == std::string::npos)
      return false;
    out = s.substr(pos + 1, end - pos - 1);
    if (out.find('\\') != std::string::npos ||
        out.find('\n') != std::string::npos)
      return false;
    pos = end + 1;
    return true;
  }

  bool parseValue(const std::string &key, HeaderValue &value,
                  std::string &error) {
    if (pos < s.size() && (s[pos] == '\'' || s[pos] == '"')) {
      value.kind = HeaderValue::String;
      if (!parseString(value.text))
        return fail("bad '" + key + "'", error);
      return true;
    }
    if (consumeWord("True") || consumeWord("False")) {
      value.kind = HeaderValue::Bool;
      value.flag = s[pos - 1] == 'e' && s[pos - 4] == 'T';
      return true;
    }
    if (consume('(')) {
      value.kind = HeaderValue::Tuple;
      bool comma = false;
      while (true) {
        skipSpaces(s, pos);
        if (consume(')'))
          break;
        size_t start = pos;
        while (pos < s.size() && s[pos] != ',' && s[pos] != ')')
          ++pos;
        std::string item = s.substr(start, pos - start);
        while (!item.empty() && isSpace(item.back()))
          item.pop_back();
        // Python 2 wrote long integers with an L suffix; numpy still reads
        // them.
        std::string digits = item;
        if (!digits.empty() && (digits.back() == 'L' || digits.back() == 'l'))
          digits.pop_back();
        bool ok = !digits.empty() && digits.size() <= 15 &&
                  digits.find_first_not_of("0123456789") == std::string::npos;
        int64_t d = ok ? std::strtoll(digits.c_str(), nullptr, 10) : -1;
        if (!ok || d > (int64_t(1) << 40))
          return fail("bad dimension '" + item + "'", error);
        value.dims.push_back(d);
        if (consume(',')) {
          comma = true;
          continue;
        }
        if (consume(')'))
          break;
        return fail("bad '" + key + "'", error);
      }
      // (3) is the integer 3 in Python, not a tuple.
      if (value.dims.size() == 1 && !comma)
        return fail("bad '" + key + "'", error);
      return true;
    }
    return fail("bad '" + key + "'", error);
  }
};
} // namespace

int64_t npy::Array::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t npy::elementSize(const std::string &descr) {
  if (descr == "|b1" || descr == "|u1" || descr == "|i1")
    return 1;
  if (descr == "<f4" || descr == "<i4")
    return 4;
  if (descr == "<i8")
    return 8;
  return 0;
}

bool npy::parseHeader(const std::string &bytes, Header &result,
                      std::string &error) {
  if (bytes.empty()) {
    error = "empty file, not a .npy file";
    return false;
  }
  if (bytes.compare(0, kMagicSize, kMagic, 0,
                    std::min(bytes.size(), kMagicSize)) != 0) {
    error = "not a .npy file (missing \\x93NUMPY magic)";
    return false;
  }
  if (bytes.size() < kMagicSize + 4) {
    error = "truncated .npy header";
    return false;
  }
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(bytes[8]) |
                (size_t(static_cast<uint8_t>(bytes[9])) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = "truncated .npy header";
      return false;
    }
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= size_t(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
    headerStart = 12;
  } else {
    error = "unsupported .npy format version " + std::to_string(major);
    return false;
  }
  if (bytes.size() < headerStart + headerLen) {
    error = "truncated .npy header";
    return false;
  }
  std::string header = bytes.substr(headerStart, headerLen);

  std::map<std::string, HeaderValue> entries;
  if (!HeaderParser(header).parse(entries, error))
    return false;
  for (const char *key : {"descr", "fortran_order", "shape"})
    if (!entries.count(key)) {
      error = std::string("malformed .npy header: no '") + key + "'";
      return false;
    }

  const HeaderValue &descr = entries["descr"];
  if (descr.kind != HeaderValue::String) {
    error = "malformed .npy header: bad 'descr'";
    return false;
  }
  result.descr = descr.text;
  // Single-byte types are written with either byte-order mark.
  if (result.descr == "<b1" || result.descr == "=b1")
    result.descr = "|b1";
  if (result.descr == "<u1" || result.descr == "=u1")
    result.descr = "|u1";
  if (result.descr == "<i1" || result.descr == "=i1")
    result.descr = "|i1";
  if (elementSize(result.descr) == 0) {
    error = "unsupported .npy dtype '" + result.descr +
            "' (supported: <f4, |b1, |u1, |i1, <i4, <i8)";
    return false;
  }

  const HeaderValue &fortranOrder = entries["fortran_order"];
  if (fortranOrder.kind != HeaderValue::Bool) {
    error = "malformed .npy header: bad 'fortran_order'";
    return false;
  }
  if (fortranOrder.flag) {
    error = "Fortran-order .npy arrays are not supported";
    return false;
  }

  const HeaderValue &shape = entries["shape"];
  if (shape.kind != HeaderValue::Tuple) {
    error = "malformed .npy header: bad 'shape'";
    return false;
  }
  result.shape = shape.dims;

  // Checked multiplication: the element count must fit what the file holds.
  uint64_t count = 1;
  for (int64_t d : result.shape) {
    if (d != 0 && count > (uint64_t(1) << 40) / uint64_t(d)) {
      error = "malformed .npy header: shape too large";
      return false;
    }
    count *= uint64_t(d);
  }
  uint64_t expected = count * elementSize(result.descr);
  result.dataOffset = headerStart + headerLen;
  result.dataBytes = expected;
  return true;
}

bool npy::parse(const std::string &bytes, Array &array, std::string &error) {
  Header header;
  if (!parseHeader(bytes, header, error))
    return false;
  uint64_t expected = header.dataBytes;
  uint64_t available = bytes.size() - header.dataOffset;
  if (available < expected) {
    error = "truncated .npy data: expected " + std::to_string(expected) +
            " bytes, found " + std::to_string(available);
    return false;
  }
  if (available > expected) {
    error = "trailing bytes after .npy data: expected " +
            std::to_string(expected) + " bytes, found " +
            std::to_string(available);
    return false;
  }
  array.descr = header.descr;
  array.shape = header.shape;
  array.data.assign(bytes.begin() + header.dataOffset, bytes.end());
  return true;
}

std::string npy::serialize(const Array &array) {
  std::string header =
      "{'descr': '" + array.descr + "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape)
    header += std::to_string(d) + ", ";
  if (array.shape.size() > 1)
    header.resize(header.size() - 1); // "(2, 3, )" -> "(2, 3,)" is fine too
  header += "), }";
  // Pad with spaces so that the data starts on a 64-byte boundary.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, kMagicSize);
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char((header.size() >> 8) & 0xff);
  out += header;
  out.append(array.data.begin(), array.data.end());
  return out;
}

npy::Reader::~Reader() {
  if (file)
    std::fclose(file);
}

bool npy::Reader::fail(Failure kind, const std::string &reason,
                       std::string &error) {
  lastFailure = kind;
  error = reason;
  return false;
}

/// Reads up to `size` bytes; `got` says how many came (fewer at the end of
/// the file). Fails only on a read error.
bool npy::Reader::read(void *data, size_t size, size_t &got,
                       std::string &error) {
  errno = 0;
  got = std::fread(data, 1, size, file);
  if (std::ferror(file))
    return fail(Failure::Read, std::strerror(errno ? errno : EIO), error);
  return true;
}

bool npy::Reader::open(const std::string &path, std::string &error) {
  errno = 0;
  file = std::fopen(path.c_str(), "rb");
  if (!file)
    return fail(Failure::Open, std::strerror(errno ? errno : ENOENT), error);
  // The fixed part: magic, version and the header length, 2 bytes in
  // version 1 and 4 in versions 2 and 3. Short reads are left to
  // parseHeader, which says what is missing.
  std::string bytes(kMagicSize + 4, '\0');
  size_t got;
  if (!read(&bytes[0], bytes.size(), got, error))
    return false;
  bytes.resize(got);
  if (bytes.size() == kMagicSize + 4 &&
      bytes.compare(0, kMagicSize, kMagic, kMagicSize) == 0 &&
      (bytes[6] == 2 || bytes[6] == 3)) {
    char more[2];
    if (!read(more, 2, got, error))
      return false;
    bytes.append(more, got);
  }
  uint64_t headerLen = 0;
  if (bytes.size() == kMagicSize + 4 && bytes[6] == 1)
    headerLen = static_cast<uint8_t>(bytes[8]) |
                (uint64_t(static_cast<uint8_t>(bytes[9])) << 8);
  else if (bytes.size() == kMagicSize + 6)
    for (int i = 0; i < 4; ++i)
      headerLen |= uint64_t(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
  if (headerLen > kMaxHeaderBytes)
    return fail(Failure::Format,
                "malformed .npy header: " + std::to_string(headerLen) +
                    " bytes long, more than " + std::to_string(kMaxHeaderBytes),
                error);
  if (headerLen > 0) {
    size_t start = bytes.size();
    bytes.resize(start + headerLen);
    if (!read(&bytes[start], headerLen, got, error))
      return false;
    bytes.resize(start + got);
  }
  if (!parseHeader(bytes, fileHeader, error))
    return fail(Failure::Format, error, error);
  return true;
}

bool npy::Reader::readData(void *data, std::string &error) {
  uint64_t expected = fileHeader.dataBytes;
  auto wrongSize = [&](const std::string &found, bool truncated) {
    return fail(Failure::Format,
                std::string(truncated ? "truncated .npy data"
                                      : "trailing bytes after .npy data") +
                    ": expected " + std::to_string(expected) +
                    " bytes, found " + found,
                error);
  };
  // A regular file says how much follows before anything is read.
  struct stat status;
  if (::fstat(fileno(file), &status) == 0 && S_ISREG(status.st_mode)) {
    uint64_t size = static_cast<uint64_t>(status.st_size);
    uint64_t available =
        size > fileHeader.dataOffset ? size - fileHeader.dataOffset : 0;
    if (available != expected)
      return wrongSize(std::to_string(available), available < expected);
  }
  size_t got;
  if (!read(data, expected, got, error))
    return false;
  if (got < expected)
    return wrongSize(std::to_string(got), /*truncated=*/true);
  char extra;
  if (!read(&extra, 1, got, error))
    return false;
  if (got != 0)
    return wrongSize("more", /*truncated=*/false);
  return true;
}

bool npy::readFile(const std::string &path, Array &array, std::string &error,
                   uint64_t maxDataBytes) {
  Reader reader;
  std::string reason;
  auto failWith = [&] {
    switch (reader.failure()) {
    case Reader::Failure::Open:
      error = "cannot open '" + path + "': " + reason;
      break;
    case Reader::Failure::Read:
      error = "cannot read '" + path + "': " + reason;
      break;
    default:
      error = "'" + path + "': " + reason;
      break;
    }
    return false;
  };
  if (!reader.open(path, reason))
    return failWith();
  const Header &header = reader.header();
  if (header.dataBytes > maxDataBytes) {
    error = "'" + path + "': the data is " + std::to_string(header.dataBytes) +
            " bytes, more than " + std::to_string(maxDataBytes);
    return false;
  }
  array.descr = header.descr;
  array.shape = header.shape;
  array.data.resize(header.dataBytes);
  if (!reader.readData(array.data.data(), reason))
    return failWith();
  return true;
}

bool npy::writeFile(const std::string &path, const Array &array,
                    std::string &error) {
  std::string bytes = serialize(array);
  // A unique temporary beside the file, renamed over it once written and
  // synced; character devices and FIFOs are written directly
  // (bnn/Support/OutputFile.h).
  std::string reason;
  if (!writeOutputFile(path, bytes.data(), bytes.size(), OutputFileOptions(),
                       reason)) {
    error = "cannot write '" + path + "': " + reason;
    return false;
  }
  return true;
}
