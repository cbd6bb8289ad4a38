//===- TensorArgs.cpp - Python tensors as DLTensors -----------------------===//

#include "TensorArgs.h"

#include <cstring>

namespace py = pybind11;
using namespace mlir::bnn;
using namespace mlir::bnn::python;
using runtime::ABIElement;
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

/// The element kind of a numpy dtype.
std::optional<Elem> elemOfNumpy(const py::dtype &dtype) {
  if (dtype.byteorder() == '>') // all supported hosts are little-endian
    return std::nullopt;
  // The .npy type string is byte order, kind and item size.
  for (const ABIElement &row : runtime::kABIElements)
    if (dtype.kind() == row.descr[1] && size_t(dtype.itemsize()) == row.size)
      return row.elem;
  return std::nullopt;
}

/// What a caller should pass for `type`.
std::string expectedDtypes(const ElemType &type, bool torch) {
  std::string prefix = torch ? "torch." : "";
  std::string name = prefix + runtime::abiElement(type.elem).numpy;
  if (type.elem == Elem::Bool)
    name += " (or " + prefix + "uint8 holding 0/1; True means -1)";
  return name;
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

/// Binds an object through its __dlpack__ capsule (array libraries other
/// than numpy and torch).
BoundTensor bindDLPack(py::object object, const bnn_tensor_info &info,
                       const std::string &what, bool output, int64_t &batch) {
  ElemType type = *runtime::classify(info.dtype);
  BoundTensor b;
  Elem given = type.elem;
  py::object capsule = object.attr("__dlpack__")();
  auto *managed = static_cast<DLManagedTensor *>(
      PyCapsule_GetPointer(capsule.ptr(), "dltensor"));
  if (!managed)
    throw py::error_already_set();
  const DLTensor &t = managed->dl_tensor;
  if (t.device.device_type != kDLCPU)
    throw py::value_error(what + " is not in CPU memory (DLPack device type " +
                          std::to_string(t.device.device_type) + ")");
  {
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

/// The element kind of a torch dtype object (torch's dtypes are
/// singletons, compared by identity).
std::optional<Elem> elemOfTorchDtype(py::handle dtype) {
  static std::vector<std::pair<PyObject *, Elem>> table;
  if (table.empty()) {
    py::object torch = py::module_::import("torch");
    for (auto [name, elem] : {std::pair<const char *, Elem>{"float32",
                                                            Elem::F32},
                              {"bool", Elem::Bool},
                              {"uint8", Elem::U8},
                              {"int8", Elem::I8},
                              {"int32", Elem::I32}})
      table.push_back({py::object(torch.attr(name)).release().ptr(), elem});
  }
  for (auto [object, elem] : table)
    if (dtype.ptr() == object)
      return elem;
  return std::nullopt;
}

/// Binds a torch tensor in place: its dtype, device and layout are checked
/// with torch's names and its memory is read through data_ptr() (cheaper
/// than a DLPack capsule or a numpy view); a non-contiguous input is
/// copied once with contiguous().
BoundTensor bindTorch(py::object tensor, const bnn_tensor_info &info,
                      const std::string &what, bool output, int64_t &batch) {
  // Interned names: a call looks up about seven attributes per tensor.
  static PyObject *isCpu = PyUnicode_InternFromString("is_cpu");
  static PyObject *layoutName = PyUnicode_InternFromString("layout");
  static PyObject *dtypeName = PyUnicode_InternFromString("dtype");
  static PyObject *requiresGrad = PyUnicode_InternFromString("requires_grad");
  static PyObject *isContiguous = PyUnicode_InternFromString("is_contiguous");
  static PyObject *shapeName = PyUnicode_InternFromString("shape");
  static PyObject *dataPtr = PyUnicode_InternFromString("data_ptr");
  auto get = [&](PyObject *name) { return tensor.attr(py::handle(name)); };
  ElemType type = *runtime::classify(info.dtype);
  if (!py::object(get(isCpu)).cast<bool>()) {
    std::string device =
        py::str(tensor.attr("device").attr("type")).cast<std::string>();
    throw py::value_error(what + " is a torch tensor on '" + device +
                          "'; compiled models run on the CPU (use .cpu())");
  }
  static PyObject *strided =
      py::object(py::module_::import("torch").attr("strided")).release().ptr();
  py::object layout = get(layoutName);
  if (layout.ptr() != strided)
    throw py::value_error(what + " is a " + py::str(layout).cast<std::string>() +
                          " tensor; pass a dense (strided) tensor");
  py::object dtype = get(dtypeName);
  std::optional<Elem> elem = elemOfTorchDtype(dtype);
  if (!elem || !acceptsElem(type.elem, *elem))
    throw py::type_error(what + " has dtype " +
                         py::str(dtype).cast<std::string>() + ", expected " +
                         expectedDtypes(type, true) + " for " +
                         described(what, info));
  if (py::object(get(requiresGrad)).cast<bool>()) {
    if (output)
      throw py::value_error(what + " requires grad; results are written "
                                   "without autograd (pass a tensor that "
                                   "does not require grad)");
    tensor = tensor.attr("detach")();
  }
  if (!get(isContiguous)().cast<bool>()) {
    if (output)
      throw py::value_error(what + " must be contiguous to be written in "
                                   "place");
    tensor = tensor.attr("contiguous")(); // the one copy
  }
  BoundTensor b;
  b.fromTorch = true;
  for (py::handle size : py::tuple(get(shapeName)))
    b.shape.push_back(PyLong_AsLongLong(size.ptr()));
  checkShape(b.shape, info, what, batch);
  py::object address = get(dataPtr)();
  auto *data = reinterpret_cast<void *>(
      static_cast<uintptr_t>(PyLong_AsUnsignedLongLong(address.ptr())));
  // An empty tensor may have no memory; entry points reject null data.
  static uint8_t emptyData[1];
  if (!data)
    data = emptyData;
  if (!output && type.elem == Elem::Bool && *elem == Elem::U8)
    checkBinaryBytes(static_cast<const uint8_t *>(data), numElements(b.shape),
                     what);
  fillDL(b, data, 0, info);
  b.owner = tensor;
  return b;
}

BoundTensor bind(py::handle handle, const bnn_tensor_info &info,
                 const std::string &what, bool output, int64_t &batch) {
  py::object object = py::reinterpret_borrow<py::object>(handle);
  if (isTorchTensor(object))
    return bindTorch(object, info, what, output, batch);
  if (py::isinstance<py::array>(object))
    return bindNumpy(py::reinterpret_borrow<py::array>(object), info, what,
                     output, batch);
  if (py::hasattr(object, "__dlpack__"))
    return bindDLPack(object, info, what, output, batch);
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
  // torch.Tensor, looked up once torch is imported (never imported here).
  static PyObject *tensorType = nullptr;
  if (!tensorType) {
    PyObject *modules = PyImport_GetModuleDict();
    PyObject *torch = PyDict_GetItemString(modules, "torch");
    if (!torch)
      return false;
    PyObject *type = PyObject_GetAttrString(torch, "Tensor");
    if (!type) {
      PyErr_Clear();
      return false;
    }
    tensorType = type; // kept for the life of the process
  }
  return PyObject_IsInstance(object.ptr(), tensorType) == 1;
}
