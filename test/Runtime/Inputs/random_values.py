"""Prints the values of --random-inputs SEED, computed independently of the
C++ code: MT19937-64 written out from its definition (C++ [rand.eng.mers],
std::mt19937_64), and the documented element mapping (docs/bnn-run.md).

usage: random_values.py SEED TYPE:SHAPE...

TYPE is f32, i1, uiK, i8 or i32; SHAPE is like 2x3 ('' for a scalar).
Argument i uses seed SEED + i (mod 2^64). The output has the format of
bnn-interp and bnn-run for a function that returns its arguments:
`result #i: tensor<...>` and the values in nested brackets.
"""
import struct
import sys

MASK = (1 << 64) - 1


class MT19937_64:
    N, M = 312, 156

    def __init__(self, seed):
        self.mt = [seed & MASK]
        for i in range(1, self.N):
            prev = self.mt[-1]
            self.mt.append((6364136223846793005 * (prev ^ (prev >> 62)) + i)
                           & MASK)
        self.index = self.N

    def __call__(self):
        if self.index == self.N:
            for i in range(self.N):
                x = ((self.mt[i] & 0xFFFFFFFF80000000) |
                     (self.mt[(i + 1) % self.N] & 0x7FFFFFFF))
                xa = x >> 1
                if x & 1:
                    xa ^= 0xB5026F5AA96619E9
                self.mt[i] = self.mt[(i + self.M) % self.N] ^ xa
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000 & MASK
        y ^= (y << 37) & 0xFFF7EEE000000000 & MASK
        y ^= y >> 43
        return y


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def values(kind, count, seed):
    rng = MT19937_64(seed)
    if kind == "f32":
        # (r >> 40) has 24 bits: exact in f32, as is the scaled difference.
        return [f32((rng() >> 40) * 2.0 ** -23 - 1.0) for _ in range(count)]
    if kind == "i1":
        lo, hi = 0, 1
    elif kind.startswith("ui"):
        lo, hi = 0, (1 << int(kind[2:])) - 1
    elif kind.startswith("i"):
        bits = int(kind[1:])
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    else:
        raise SystemExit("unknown type " + kind)
    if hi - lo + 1 == 1 << 64:
        # i64: the full range, min + r would wrap; the draw itself is used.
        return [r - (1 << 64) if r >> 63 else r
                for r in (rng() for _ in range(count))]
    return [lo + rng() % (hi - lo + 1) for _ in range(count)]


def text(kind, v):
    if kind == "f32":
        return "%.6g" % v
    if kind == "i1":
        return "-1" if v else "1"  # binary bit 1 means -1
    return str(v)


def nested(kind, shape, flat, dim=0, indent=0):
    if dim == len(shape):
        return text(kind, flat.pop(0))
    parts = [nested(kind, shape, flat, dim + 1, indent + 1)
             for _ in range(shape[dim])]
    sep = ", " if dim + 1 == len(shape) else ",\n" + " " * (indent + 1)
    return "[" + sep.join(parts) + "]"


def main(argv):
    seed = int(argv[1])
    for i, spec in enumerate(argv[2:]):
        kind, shape_text = spec.split(":")
        shape = [int(d) for d in shape_text.split("x") if d]
        count = 1
        for d in shape:
            count *= d
        flat = values(kind, count, (seed + i) & MASK)
        print("result #%d: tensor<%s>" %
              (i, "".join("%dx" % d for d in shape) + kind))
        print(nested(kind, shape, flat))


if __name__ == "__main__":
    main(sys.argv)
