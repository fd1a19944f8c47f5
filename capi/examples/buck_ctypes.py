"""The buck converter through libsimcore's C API from Python's ctypes (no nanobind, no
simcore package): mean v(out) over 1.8..2 ms must be the netlist's stated 4.97 V within 1 %.
    python3 buck_ctypes.py /path/to/libsimcore.so ../../examples/buck_converter.cir"""
import ctypes as C
import sys


class Error(C.Structure):
    _fields_ = [("code", C.c_int), ("line", C.c_int), ("column", C.c_int), ("file", C.c_char * 256),
                ("message", C.c_char * 1024), ("formatted", C.c_char * 1400)]


class Header(C.Structure):
    _fields_ = [("type", C.c_int), ("index", C.c_int), ("name", C.c_char_p), ("x_name", C.c_char_p),
                ("is_complex", C.c_int), ("signal_count", C.c_size_t),
                ("signal_names", C.POINTER(C.c_char_p)), ("signal_is_current", C.POINTER(C.c_int))]


class Chunk(C.Structure):
    _fields_ = [("index", C.c_int), ("rows", C.c_size_t), ("x", C.POINTER(C.c_double)),
                ("re", C.POINTER(C.POINTER(C.c_double))), ("im", C.POINTER(C.POINTER(C.c_double)))]


BEGIN = C.CFUNCTYPE(None, C.c_void_p, C.POINTER(Header))
CHUNK = C.CFUNCTYPE(None, C.c_void_p, C.POINTER(Chunk))
END = C.CFUNCTYPE(None, C.c_void_p, C.c_int, C.c_size_t)


class Sink(C.Structure):
    _fields_ = [("begin", BEGIN), ("chunk", CHUNK), ("end", END), ("user", C.c_void_p)]


def main(lib_path: str, netlist_path: str) -> int:
    lib = C.CDLL(lib_path)
    lib.simcore_abi_version.restype = C.c_uint32
    lib.simcore_version.restype = C.c_char_p
    lib.simcore_create.restype = C.c_void_p
    lib.simcore_create.argtypes = [C.c_char_p, C.c_size_t, C.c_char_p, C.c_void_p, C.POINTER(Error)]
    lib.simcore_advance.argtypes = [C.c_void_p, C.POINTER(Sink), C.c_size_t, C.POINTER(C.c_int), C.POINTER(Error)]
    lib.simcore_destroy.argtypes = [C.c_void_p]
    if lib.simcore_abi_version() != 1:
        print("unexpected ABI version", lib.simcore_abi_version())
        return 1
    text = open(netlist_path, "rb").read()
    err = Error()
    sim = lib.simcore_create(text, len(text), netlist_path.encode(), None, C.byref(err))
    if not sim:
        print(err.formatted.decode())
        return 1
    state = {"col": -1, "t": 0.0, "v": 0.0, "area": 0.0, "t_end": 0.0}

    @BEGIN
    def begin(_user, h):
        names = [h.contents.signal_names[k].decode() for k in range(h.contents.signal_count)]
        state["col"] = names.index("v(out)") if "v(out)" in names else -1

    @CHUNK
    def chunk(_user, c):
        c = c.contents
        if state["col"] < 0 or not c.x:
            return
        ys = c.re[state["col"]]
        for i in range(c.rows):
            t, v = c.x[i], ys[i]
            if t > 1.8e-3 and state["t"] >= 1.8e-3:
                state["area"] += 0.5 * (v + state["v"]) * (t - state["t"])
            state["t"], state["v"], state["t_end"] = t, v, t

    sink = Sink(begin, chunk, END(), None)
    done = C.c_int(0)
    while not done.value:
        if lib.simcore_advance(sim, C.byref(sink), 4096, C.byref(done), C.byref(err)) != 0:
            print(err.formatted.decode())
            lib.simcore_destroy(sim)
            return 1
    lib.simcore_destroy(sim)
    mean = state["area"] / (state["t_end"] - 1.8e-3)
    print("libsimcore %s via ctypes: mean v(out) = %.4f V" % (lib.simcore_version().decode(), mean))
    return 0 if abs(mean - 4.97) <= 0.01 * 4.97 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
