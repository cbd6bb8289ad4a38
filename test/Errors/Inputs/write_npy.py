"""Writes a NumPy .npy file (format 1.0) using only the standard library.

usage: write_npy.py OUT DESCR SHAPE VALUES [--keep-bytes N] [--extra-bytes N]

DESCR is the dtype string ('<f4', '|u1', '|i1', '<i4', '<i8', '|b1', or any
other text to write verbatim), SHAPE a comma-separated list of dimensions
('' for a scalar), VALUES a comma-separated list of numbers. --keep-bytes N
cuts the file after N bytes; --extra-bytes N appends N zero bytes.
"""
import struct
import sys

FORMATS = {"<f4": "<f", "|u1": "<B", "|i1": "<b", "|b1": "<B", "<i4": "<i",
           "<i8": "<q", "<f8": "<d"}


def main(argv):
    out, descr, shape_arg, values_arg = argv[1:5]
    keep = None
    extra = 0
    rest = argv[5:]
    while rest:
        if rest[0] == "--keep-bytes":
            keep = int(rest[1])
        elif rest[0] == "--extra-bytes":
            extra = int(rest[1])
        else:
            raise SystemExit("unknown option " + rest[0])
        rest = rest[2:]
    shape = [int(d) for d in shape_arg.split(",") if d]
    shape_text = "(" + "".join("%d, " % d for d in shape).rstrip(" ") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (
        descr, shape_text)
    # Pad so that magic (6) + version (2) + length (2) + header + '\n' is a
    # multiple of 64.
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    data = b""
    fmt = FORMATS.get(descr, "<f")
    for v in values_arg.split(","):
        if not v:
            continue
        data += struct.pack(fmt, float(v) if fmt in ("<f", "<d") else int(v))
    blob = (b"\x93NUMPY" + bytes([1, 0]) + struct.pack("<H", len(header)) +
            header.encode("latin-1") + data + b"\0" * extra)
    if keep is not None:
        blob = blob[:keep]
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv)
