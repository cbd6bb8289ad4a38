//===- Npy.cpp - NumPy .npy files -----------------------------------------===//

#include "bnn/Support/Npy.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace mlir::bnn;

namespace {
const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// Finds `'key':` in the header dictionary and returns the position just
/// after the colon, or npos.
size_t findKey(const std::string &header, const std::string &key) {
  size_t pos = header.find("'" + key + "'");
  if (pos == std::string::npos)
    return pos;
  pos = header.find(':', pos);
  return pos == std::string::npos ? pos : pos + 1;
}

void skipSpaces(const std::string &s, size_t &pos) {
  while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos])))
    ++pos;
}
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

bool npy::parse(const std::string &bytes, Array &array, std::string &error) {
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

  size_t pos = findKey(header, "descr");
  if (pos == std::string::npos) {
    error = "malformed .npy header: no 'descr'";
    return false;
  }
  skipSpaces(header, pos);
  size_t end = pos < header.size() ? header.find(header[pos], pos + 1)
                                   : std::string::npos;
  if (pos >= header.size() || (header[pos] != '\'' && header[pos] != '"') ||
      end == std::string::npos) {
    error = "malformed .npy header: bad 'descr'";
    return false;
  }
  array.descr = header.substr(pos + 1, end - pos - 1);
  // Single-byte types are written with either byte-order mark.
  if (array.descr == "<b1" || array.descr == "=b1")
    array.descr = "|b1";
  if (array.descr == "<u1" || array.descr == "=u1")
    array.descr = "|u1";
  if (array.descr == "<i1" || array.descr == "=i1")
    array.descr = "|i1";
  if (elementSize(array.descr) == 0) {
    error = "unsupported .npy dtype '" + array.descr +
            "' (supported: <f4, |b1, |u1, |i1, <i4, <i8)";
    return false;
  }

  pos = findKey(header, "fortran_order");
  if (pos == std::string::npos) {
    error = "malformed .npy header: no 'fortran_order'";
    return false;
  }
  skipSpaces(header, pos);
  if (header.compare(pos, 5, "False") != 0) {
    error = "Fortran-order .npy arrays are not supported";
    return false;
  }

  pos = findKey(header, "shape");
  if (pos == std::string::npos) {
    error = "malformed .npy header: no 'shape'";
    return false;
  }
  skipSpaces(header, pos);
  size_t close = header.find(')', pos);
  if (pos >= header.size() || header[pos] != '(' ||
      close == std::string::npos) {
    error = "malformed .npy header: bad 'shape'";
    return false;
  }
  array.shape.clear();
  std::string dims = header.substr(pos + 1, close - pos - 1);
  std::stringstream ss(dims);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t b = 0;
    skipSpaces(item, b);
    if (b == item.size())
      continue; // trailing comma of a 1-tuple
    char *endPtr = nullptr;
    long long d = std::strtoll(item.c_str() + b, &endPtr, 10);
    while (endPtr && std::isspace(static_cast<unsigned char>(*endPtr)))
      ++endPtr;
    if (!endPtr || *endPtr != '\0' || d < 0 || d > (int64_t(1) << 40)) {
      error = "malformed .npy header: bad dimension '" + item + "'";
      return false;
    }
    array.shape.push_back(d);
  }

  size_t dataStart = headerStart + headerLen;
  // Checked multiplication: the element count must fit what the file holds.
  uint64_t count = 1;
  for (int64_t d : array.shape) {
    if (d != 0 && count > (uint64_t(1) << 40) / uint64_t(d)) {
      error = "malformed .npy header: shape too large";
      return false;
    }
    count *= uint64_t(d);
  }
  uint64_t expected = count * elementSize(array.descr);
  uint64_t available = bytes.size() - dataStart;
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
  array.data.assign(bytes.begin() + dataStart, bytes.end());
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

bool npy::readFile(const std::string &path, Array &array, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!parse(buffer.str(), array, error)) {
    error = "'" + path + "': " + error;
    return false;
  }
  return true;
}

bool npy::writeFile(const std::string &path, const Array &array,
                    std::string &error) {
  std::string bytes = serialize(array);
  // Write to a temporary first so that a failed write leaves no partial file.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(bytes.data(), bytes.size())) {
      std::remove(tmp.c_str());
      error = "cannot write '" + path + "'";
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}
