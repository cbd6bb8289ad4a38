//===- bnn-abi-fuzzer.cpp - fuzz the entry checks of the runtime ABI ------===//
//
// Calls the entry points of a compiled artifact (abi-model.mlir, compiled
// and linked in by the build) with DLTensors built from the input bytes:
// null tensors and data, devices, ranks, dtypes, shapes (mostly the
// metadata's, with any batch size, sometimes not), strides and byte
// offsets. Every buffer is as large as the shape it is described with, so
// a correct entry point never reads or writes outside it. The contract of
// include/bnn-c/Runtime.h is checked on every call: a call that returns
// BNN_STATUS_OK was given tensors that match the metadata, and a call that
// returns an error wrote no output. A violation aborts.
//
//===----------------------------------------------------------------------===//

#include "bnn-c/Runtime.h"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

/// Reads the fuzz input byte by byte; zeros once it is used up.
struct Bytes {
  const uint8_t *data;
  size_t size;
  size_t at = 0;
  uint8_t next() { return at < size ? data[at++] : 0; }
};

size_t elementBytes(DLDataType t) { return (t.bits + 7) / 8 * t.lanes; }

/// One tensor of a call and the memory behind it.
struct FuzzTensor {
  DLTensor dl{};
  std::vector<int64_t> shape, strides;
  std::vector<uint8_t> memory;
  bool matches = true; // as the metadata says, batch aside
  int64_t batch = -1;  // dimension 0 where the metadata says -1
};

void build(FuzzTensor &t, const bnn_tensor_info &info, Bytes &in,
           int64_t batch) {
  uint8_t how = in.next();
  t.dl.device.device_type = (how & 7) == 7 ? kDLCUDA : kDLCPU;
  t.matches &= t.dl.device.device_type == kDLCPU;
  t.dl.ndim = (how & 0x18) == 0x18 ? in.next() % 6 : info.ndim;
  t.matches &= t.dl.ndim == info.ndim;
  t.dl.dtype = info.dtype;
  if ((how & 0x60) == 0x60) {
    t.dl.dtype.code = in.next() % 8;
    t.dl.dtype.bits = in.next();
    t.dl.dtype.lanes = 1 + in.next() % 2;
    t.matches &= std::memcmp(&t.dl.dtype, &info.dtype, sizeof(DLDataType)) == 0;
  }
  size_t count = 1;
  for (int32_t d = 0; d < t.dl.ndim; ++d) {
    int64_t size;
    if (d < info.ndim && info.shape[d] == -1)
      size = batch; // the call's batch
    else if (d < info.ndim && (in.next() & 15) != 0)
      size = info.shape[d];
    else
      size = in.next() % 9;
    if (d < info.ndim && info.shape[d] != -1)
      t.matches &= size == info.shape[d];
    t.shape.push_back(size);
    count *= static_cast<size_t>(size);
  }
  if (count > (1 << 20))
    count = 1 << 20; // never described that large below
  // Strides: none, row-major, or anything.
  uint8_t strideKind = in.next() % 4;
  if (strideKind != 0 && t.dl.ndim > 0) {
    t.strides.assign(t.dl.ndim, 0);
    int64_t expected = 1;
    for (int32_t d = t.dl.ndim - 1; d >= 0; --d) {
      t.strides[d] = strideKind == 3 ? in.next() % 50 : expected;
      if (strideKind == 3 && t.shape[d] != 1)
        t.matches &= t.strides[d] == expected;
      expected *= t.shape[d];
    }
  }
  uint64_t offset = (in.next() & 3) * elementBytes(t.dl.dtype);
  t.memory.assign(offset + count * elementBytes(t.dl.dtype) + 1, 0xAB);
  t.dl.data = (how & 0x80) && (in.next() & 7) == 0 ? nullptr
                                                   : t.memory.data();
  t.matches &= t.dl.data != nullptr;
  t.dl.byte_offset = offset;
  t.dl.shape = t.shape.data();
  t.dl.strides = t.strides.empty() ? nullptr : t.strides.data();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Bytes in{data, size};
  const bnn_module_info *module = bnn_module();
  const bnn_entry_info &entry =
      module->entries[in.next() % module->num_entries];
  int64_t batch = in.next() % 4;
  // Binary inputs hold 0/1 bytes; anything else is the caller's error the
  // ABI does not check (documented), so keep them valid here.
  std::vector<FuzzTensor> inputs(entry.num_inputs),
      outputs(entry.num_outputs);
  bool nullTensor = (in.next() & 31) == 0;
  for (int32_t i = 0; i < entry.num_inputs; ++i) {
    build(inputs[i], entry.inputs[i], in, batch);
    std::memset(inputs[i].memory.data(), in.next() & 1,
                inputs[i].memory.size());
  }
  for (int32_t i = 0; i < entry.num_outputs; ++i)
    build(outputs[i], entry.outputs[i], in, batch);
  std::vector<DLTensor *> inTable, outTable;
  for (FuzzTensor &t : inputs)
    inTable.push_back(&t.dl);
  for (FuzzTensor &t : outputs)
    outTable.push_back(&t.dl);
  if (nullTensor && !outTable.empty())
    outTable.back() = nullptr;
  inTable.push_back(nullptr);
  outTable.push_back(nullptr);

  std::vector<std::vector<uint8_t>> before;
  for (FuzzTensor &t : outputs)
    before.push_back(t.memory);
  int32_t status = entry.fn(inTable.data(), outTable.data());

  bool valid = !(nullTensor && entry.num_outputs > 0);
  for (FuzzTensor &t : inputs)
    valid &= t.matches;
  for (FuzzTensor &t : outputs)
    valid &= t.matches;
  if (status == BNN_STATUS_OK && !valid)
    std::abort(); // accepted a tensor that does not match the metadata
  if (status != BNN_STATUS_OK) {
    if (valid)
      std::abort(); // rejected tensors that match the metadata
    for (size_t i = 0; i < outputs.size(); ++i)
      if (outputs[i].memory != before[i])
        std::abort(); // wrote an output although the call failed
  }
  return 0;
}
