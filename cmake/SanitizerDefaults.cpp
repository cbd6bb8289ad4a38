//===- SanitizerDefaults.cpp - ASan defaults of sanitizer builds ----------===//
//
// Linked into every executable of a -DBNN_ENABLE_SANITIZERS=ON build.
//
// LLVM's BumpPtrAllocator poisons the unused part of its slabs when it is
// compiled with ASan. Our code instantiates it from the headers (instrumented)
// while libMLIR.so allocates from the same slabs uninstrumented and never
// unpoisons them, so ASan would report use-after-poison in correct code. The
// manual poisoning is switched off; every other check stays on.
//
//===----------------------------------------------------------------------===//

extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}
