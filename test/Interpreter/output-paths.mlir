// Where bnn-interp --output writes (docs/Interpreter.md#output-files), as
// bnn-run does: a unique temporary beside the file, created exclusively and
// renamed over it; a FIFO or character device is written directly and never
// replaced; every write error (a full device or disk, stdout) is an error
// naming the file and the reason, which keeps an existing file and leaves
// no temporary.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: bnn-interp %s --quiet --output %t/y.npy
//
// A planted symbolic link where a fixed temporary name would be is left
// alone, and so is the file it points to.
// RUN: echo victim > %t/victim
// RUN: ln -s victim %t/planted.npy.tmp
// RUN: bnn-interp %s --quiet --output %t/planted.npy
// RUN: cmp %t/y.npy %t/planted.npy
// RUN: test -L %t/planted.npy.tmp
// RUN: FileCheck %s --check-prefix=VICTIM < %t/victim
//
// A symbolic link to a regular file is written through and stays a link; a
// link to stdout (here a pipe) writes to it; a FIFO is written to.
// RUN: echo previous > %t/real.npy
// RUN: ln -s real.npy %t/link.npy
// RUN: bnn-interp %s --quiet --output %t/link.npy
// RUN: test -L %t/link.npy
// RUN: cmp %t/y.npy %t/real.npy
// RUN: ln -s /proc/self/fd/1 %t/stdout
// RUN: bnn-interp %s --quiet --output %t/stdout | cat > %t/from-stdout.npy
// RUN: test -L %t/stdout
// RUN: cmp %t/y.npy %t/from-stdout.npy
// RUN: mkfifo %t/fifo
// RUN: timeout 60 cat %t/fifo > %t/from-fifo.npy & reader=$!; bnn-interp %s --quiet --output %t/fifo && wait $reader
// RUN: test -p %t/fifo
// RUN: cmp %t/y.npy %t/from-fifo.npy
//
// A full device (this test's own node of /dev/full, root only), a directory
// and a missing directory are errors with the reason.
// RUN: %if mknod %{ mknod %t/full c 1 7 %}
// RUN: %if mknod %{ not bnn-interp %s --quiet --output %t/full 2>&1 | FileCheck %s --check-prefix=FULL %}
// RUN: %if mknod %{ test -c %t/full %}
// RUN: rm -f %t/full
// RUN: mkdir %t/dir.npy
// RUN: not bnn-interp %s --quiet --output %t/dir.npy 2>&1 | FileCheck %s --check-prefix=DIR
// RUN: not bnn-interp %s --quiet --output %t/no-dir/y.npy 2>&1 | FileCheck %s --check-prefix=NO-DIR
// RUN: rmdir %t/dir.npy
//
// Results printed to a stdout that cannot be written are an error.
// RUN: not bnn-interp %s 2>&1 > /dev/full | FileCheck %s --check-prefix=STDOUT-FULL
//
// A full disk (a 16 KiB tmpfs in a private mount namespace, root only).
// RUN: mkdir %t/small
// RUN: %if mount-namespace %{ unshare -m sh -c 'mount -t tmpfs -o size=16k tmpfs %t/small && echo previous > %t/small/y.npy && { dd if=/dev/zero of=%t/small/fill bs=1k 2>/dev/null; bnn-interp %s --quiet --output %t/small/y.npy; echo "status $?"; cat %t/small/y.npy; ls -A %t/small; }' 2>&1 | FileCheck %s --check-prefix=DISK-FULL %}
// RUN: rmdir %t/small
//
// No temporaries anywhere.
// RUN: ls -A %t | FileCheck %s --check-prefix=LEFT
//
// VICTIM: victim
// FULL: bnn-interp: error: result #0: cannot write '{{.*}}full': No space left on device
// DIR: bnn-interp: error: result #0: cannot write '{{.*}}dir.npy': Is a directory
// NO-DIR: bnn-interp: error: result #0: cannot write '{{.*}}no-dir/y.npy': No such file or directory
// STDOUT-FULL: bnn-interp: error: cannot write to stdout: No space left on device
// DISK-FULL: bnn-interp: error: result #0: cannot write '{{.*}}small/y.npy': No space left on device
// DISK-FULL-NEXT: status 1
// DISK-FULL-NEXT: previous
// DISK-FULL-NEXT: fill
// DISK-FULL-NEXT: y.npy
// DISK-FULL-NOT: {{.}}
// LEFT-NOT: tmp
// LEFT: fifo
// LEFT-NEXT: from-fifo.npy
// LEFT-NEXT: from-stdout.npy
// LEFT-NEXT: link.npy
// LEFT-NEXT: planted.npy
// LEFT-NEXT: planted.npy.tmp
// LEFT-NEXT: real.npy
// LEFT-NEXT: stdout
// LEFT-NEXT: victim
// LEFT-NEXT: y.npy
// LEFT-NOT: {{.}}

// 1 + 2 = 3 in every element of a 2x2 tensor.
func.func @main() -> tensor<2x2xf32> {
  %a = arith.constant dense<1.0> : tensor<2x2xf32>
  %b = arith.constant dense<2.0> : tensor<2x2xf32>
  %c = arith.addf %a, %b : tensor<2x2xf32>
  return %c : tensor<2x2xf32>
}
