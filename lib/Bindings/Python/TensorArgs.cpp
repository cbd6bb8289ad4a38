//===- TensorArgs.cpp - Python tensors as DLTensors -----------------------===//

#include "TensorArgs.h"

#include <cstring>

namespace py = pybind11;
using namespace mlir::bnn;
using namespace mlir::bnn::python;
using runtime::Elem;
using runtime::ElemType;

namespace {

/// The shape of `info`; a dynamic batch (-1) becomes `batch` when known.
std::vector<int64_t> infoShape(const bnn_tensor_info &info,
                               int64_t batch = -1) {
  std::vector<int64_t> shape(info.shape, info.shape + info.ndim);
  if (!shape.empty() && shape[0] == -1 && batch >= 0)
    shape[0] = batch;
  return shape;
}

std::string tupleString(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + (shape[i] == -1 ? std::string("N")
                                           : std::to_string(shape[i]));
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// "argument #0 of 'main' (tensor<?x4xf32>)".
std::string described(const std::string &what, const bnn_tensor_info &info) {
  std::string type =
      runtime::typeString(infoShape(info), *runtime::classify(info.dtype));
  if (info.ndim >= 1 && info.shape[0] == -1)
    type.replace(type.find("-1"), 2, "?");
  return what + " (" + type + ")";
}

/// The element kinds of a numpy dtype or torch dtype name.
std::optional<Elem> elemOfNumpy(const py::dtype &dtype) {
  if (!dtype.attr("isnative").cast<bool>())
    return std::nullopt;
  char kind = dtype.kind();
  size_t size = dtype.itemsize();
  if (kind == 'f' && size == 4)
    return Elem::F32;
  if (kind == 'b' && size == 1)
    return Elem::Bool;
  if (kind == 'u' && size == 1)
    return Elem::U8;
  if (kind == 'i' && size == 1)
    return Elem::I8;
  if (kind == 'i' && size == 4)
    return Elem::I32;
  return std::nullopt;
}

std::optional<Elem> elemOfTorch(const std::string &name) {
  if (name == "torch.float32")
    return Elem::F32;
  if (name == "torch.bool")
    return Elem::Bool;
  if (name == "torch.uint8")
    return Elem::U8;
  if (name == "torch.int8")
    return Elem::I8;
  if (name == "torch.int32")
    return Elem::I32;
  return std::nullopt;
}

/// What a caller should pass for `type`.
std::string expectedDtypes(const ElemType &type, bool torch) {
  switch (type.elem) {
  case Elem::F32:
    return torch ? "torch.float32" : "float32";
  case Elem::Bool:
    return torch ? "torch.bool (or torch.uint8 holding 0/1; True means -1)"
                 : "bool (or uint8 holding 0/1; True means -1)";
  case Elem::U8:
    return torch ? "torch.uint8" : "uint8";
  case Elem::I8:
    return torch ? "torch.int8" : "int8";
  case Elem::I32:
    return torch ? "torch.int32" : "int32";
  }
  return "?";
}

/// Whether an object of element kind `given` may stand for `expected`
/// (uint8 0/1 bytes for binary tensors; checked by checkBinaryBytes).
bool acceptsElem(Elem expected, Elem given) {
  return expected == given || (expected == Elem::Bool && given == Elem::U8);
}

void checkShape(const std::vector<int64_t> &given, const bnn_tensor_info &info,
                const std::string &what, int64_t &batch) {
  bool batched = info.ndim >= 1 && info.shape[0] == -1;
  std::vector<int64_t> expected = infoShape(info, batch);
  if (batched && batch < 0 && !given.empty())
    expected[0] = given[0];
  if (given != expected)
    throw py::value_error(
        what + " has shape " + tupleString(given) + ", expected " +
        tupleString(expected) + " for " + described(what, info) +
        (batched && batch >= 0 && given.size() == expected.size()
             ? " (the batch size of the earlier arguments)"
             : ""));
  if (batched)
    batch = given[0];
}

/// Binary tensors given as bytes must hold 0 or 1.
void checkBinaryBytes(const uint8_t *data, int64_t count,
                      const std::string &what) {
  for (int64_t i = 0; i < count; ++i)
    if (data[i] > 1)
      throw py::value_error(what + " holds " + std::to_string(data[i]) +
                            " at flat index " + std::to_string(i) +
                            ": binary tensors hold 0 (+1) or 1 (-1)");
}

int64_t numElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Whether DLPack strides (in elements, may be null) are row-major compact.
bool isCompact(const DLTensor &t) {
  if (!t.strides)
    return true;
  int64_t expected = 1;
  for (int32_t d = t.ndim - 1; d >= 0; --d) {
    if (t.shape[d] != 1 && t.strides[d] != expected)
      return false;
    expected *= t.shape[d];
  }
  return true;
}

void fillDL(BoundTensor &b, void *data, uint64_t byteOffset,
            const bnn_tensor_info &info) {
  b.dl.data = data;
  b.dl.byte_offset = byteOffset;
  b.dl.device = {kDLCPU, 0};
  b.dl.ndim = info.ndim;
  b.dl.dtype = info.dtype;
  // DLPack wants a valid pointer even for rank 0.
  static int64_t scalarShape[1] = {1};
  b.dl.shape = b.shape.empty() ? scalarShape : b.shape.data();
  b.dl.strides = nullptr;
}

py::object numpyModule() { return py::module_::import("numpy"); }

/// Binds a numpy array; `output` forbids copies and requires writability.
BoundTensor bindNumpy(py::array array, const bnn_tensor_info &info,
                      const std::string &what, bool output, int64_t &batch) {
  ElemType type = *runtime::classify(info.dtype);
  std::optional<Elem> given = elemOfNumpy(array.dtype());
  if (!given || !acceptsElem(type.elem, *given))
    throw py::type_error(what + " has dtype " +
                         py::str(array.dtype()).cast<std::string>() +
                         ", expected " + expectedDtypes(type, false) +
                         " for " + described(what, info));
  BoundTensor b;
  b.shape.assign(array.shape(), array.shape() + array.ndim());
  checkShape(b.shape, info, what, batch);
  bool compact = (array.flags() & py::array::c_style) &&
                 (array.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_);
  if (output) {
    if (!compact)
      throw py::value_error(what + " must be C-contiguous and aligned to be "
                                   "written in place");
    if (!array.writeable())
      throw py::value_error(what + " is read-only");
  } else if (!compact) {
    // The one copy: a fresh, aligned, C-ordered array.
    array = numpyModule().attr("array")(array, py::arg("copy") = true,
                                        py::arg("order") = "C");
  }
  if (!output && type.elem == Elem::Bool && *given == Elem::U8)
    checkBinaryBytes(static_cast<const uint8_t *>(array.data()),
                     numElements(b.shape), what);
  fillDL(b, const_cast<void *>(array.data()), 0, info);
  b.owner = array;
  return b;
}

/// Binds an object through its __dlpack__ capsule (torch tensors after
/// their dtype, device and layout are checked, or other DLPack producers).
BoundTensor bindDLPack(py::object object, const bnn_tensor_info &info,
                       const std::string &what, bool output, bool torch,
                       int64_t &batch) {
  ElemType type = *runtime::classify(info.dtype);
  BoundTensor b;
  b.fromTorch = torch;
  Elem given = type.elem;
  if (torch) {
    std::string device =
        py::str(object.attr("device").attr("type")).cast<std::string>();
    if (device != "cpu")
      throw py::value_error(what + " is a torch tensor on '" + device +
                            "'; compiled models run on the CPU (use .cpu())");
    if (py::str(object.attr("layout")).cast<std::string>() != "torch.strided")
      throw py::value_error(what + " is a " +
                            py::str(object.attr("layout")).cast<std::string>() +
                            " tensor; pass a dense (strided) tensor");
    std::string dtype = py::str(object.attr("dtype")).cast<std::string>();
    std::optional<Elem> elem = elemOfTorch(dtype);
    if (!elem || !acceptsElem(type.elem, *elem))
      throw py::type_error(what + " has dtype " + dtype + ", expected " +
                           expectedDtypes(type, true) + " for " +
                           described(what, info));
    given = *elem;
    if (object.attr("requires_grad").cast<bool>()) {
      if (output)
        throw py::value_error(what + " requires grad; results are written "
                                     "without autograd (pass a tensor "
                                     "that does not require grad)");
      object = object.attr("detach")();
    }
    // torch 1.13 does not export bool through DLPack: view the bytes.
    if (given == Elem::Bool)
      object = object.attr("view")(py::module_::import("torch").attr("uint8"));
    if (!object.attr("is_contiguous")().cast<bool>()) {
      if (output)
        throw py::value_error(what + " must be contiguous to be written in "
                                     "place");
      object = object.attr("contiguous")(); // the one copy
    }
  }
  py::object capsule = object.attr("__dlpack__")();
  auto *managed = static_cast<DLManagedTensor *>(
      PyCapsule_GetPointer(capsule.ptr(), "dltensor"));
  if (!managed)
    throw py::error_already_set();
  const DLTensor &t = managed->dl_tensor;
  if (t.device.device_type != kDLCPU)
    throw py::value_error(what + " is not in CPU memory (DLPack device type " +
                          std::to_string(t.device.device_type) + ")");
  if (!torch) {
    std::optional<ElemType> elem = runtime::classify(t.dtype);
    bool ok = elem && (elem->elem == type.elem ||
                       (type.elem == Elem::Bool && elem->elem == Elem::U8));
    if (!ok)
      throw py::type_error(what + " has DLPack dtype " +
                           runtime::dtypeString(t.dtype) + ", expected " +
                           expectedDtypes(type, false) + " for " +
                           described(what, info));
    given = elem->elem;
  }
  b.shape.assign(t.shape, t.shape + t.ndim);
  checkShape(b.shape, info, what, batch);
  if (!isCompact(t))
    throw py::value_error(what + " is not compact row-major; pass a "
                                 "contiguous tensor");
  if (!output && type.elem == Elem::Bool && given == Elem::U8)
    checkBinaryBytes(static_cast<const uint8_t *>(t.data) + t.byte_offset,
                     numElements(b.shape), what);
  fillDL(b, t.data, t.byte_offset, info);
  b.owner = object;
  b.capsule = capsule;
  return b;
}

BoundTensor bind(py::handle handle, const bnn_tensor_info &info,
                 const std::string &what, bool output, int64_t &batch) {
  py::object object = py::reinterpret_borrow<py::object>(handle);
  if (isTorchTensor(object))
    return bindDLPack(object, info, what, output, /*torch=*/true, batch);
  if (py::isinstance<py::array>(object))
    return bindNumpy(py::reinterpret_borrow<py::array>(object), info, what,
                     output, batch);
  if (py::hasattr(object, "__dlpack__"))
    return bindDLPack(object, info, what, output, /*torch=*/false,
                      batch);
  if (output)
    throw py::type_error(what + " is a " +
                         py::str(py::type::of(object).attr("__name__"))
                             .cast<std::string>() +
                         "; pass a numpy array or a torch tensor to write "
                         "into");
  // Lists, scalars and other array-likes: numpy makes the one copy.
  py::array array;
  try {
    array = numpyModule().attr("asarray")(object);
  } catch (py::error_already_set &) {
    throw py::type_error(what + " is a " +
                         py::str(py::type::of(object).attr("__name__"))
                             .cast<std::string>() +
                         ", which is not an array");
  }
  return bindNumpy(array, info, what, output, batch);
}

} // namespace

BoundTensor python::bindInput(py::handle object, const bnn_tensor_info &info,
                              const std::string &what, int64_t &batch) {
  return bind(object, info, what, /*output=*/false, batch);
}

BoundTensor python::bindOutput(py::handle object, const bnn_tensor_info &info,
                               const std::string &what, int64_t &batch) {
  return bind(object, info, what, /*output=*/true, batch);
}

py::dtype python::numpyDtype(const ElemType &type) {
  switch (type.elem) {
  case Elem::F32:
    return py::dtype("float32");
  case Elem::Bool:
    return py::dtype("bool");
  case Elem::U8:
    return py::dtype("uint8");
  case Elem::I8:
    return py::dtype("int8");
  case Elem::I32:
    return py::dtype("int32");
  }
  return py::dtype("float32");
}

py::array python::allocateResult(const bnn_tensor_info &info,
                                 int64_t batch) {
  return py::array(numpyDtype(*runtime::classify(info.dtype)),
                   infoShape(info, batch));
}

bool python::isTorchTensor(py::handle object) {
  py::dict modules = py::module_::import("sys").attr("modules");
  if (!modules.contains("torch"))
    return false;
  py::object torch = modules["torch"];
  if (!py::hasattr(torch, "Tensor"))
    return false;
  return py::isinstance(object, torch.attr("Tensor"));
}
