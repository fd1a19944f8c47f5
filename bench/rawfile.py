"""Reader for SPICE raw files (ngspice / Berkeley format), binary or ASCII, real or complex.

    plots = read_raw(path)   # list of Plot, in file order (ngspice puts one plot per analysis)

A Plot has `name` (the Plotname line, e.g. "Transient Analysis"), `flags`, `variables`
(list of (name, type) in file order) and `columns`: one list per variable, floats for real
plots, complex numbers for complex plots (the scale of an AC plot is complex too; use .real).
Binary data are little-endian float64, point-major: point 0 all variables, point 1 ...
A plot cut short (simulator killed while writing) keeps only its complete points.

to_reference_layout(plot, analysis, sweep_name) turns a plot into the (header, columns) layout
of the circuit suite's reference CSVs (see /work/shared/circuits/README.md).
Python 3 standard library only.
"""
import cmath
import math
import sys
from array import array


class Plot:
    def __init__(self):
        self.title = ""
        self.name = ""
        self.flags = ""
        self.variables = []  # [(name, type)]
        self.columns = []    # [[value per point]] per variable
        self.empty = set()   # variables ngspice wrote with dims=0 (empty vectors, e.g. an unknown @dev[param]): columns of zeros

    @property
    def complex(self):
        return "complex" in self.flags.lower()

    @property
    def points(self):
        return len(self.columns[0]) if self.columns else 0


def _readline(buf, pos):
    end = buf.find(b"\n", pos)
    if end < 0:
        end = len(buf)
    return buf[pos:end].decode("latin-1"), end + 1


def read_raw(path):
    with open(path, "rb") as f:
        buf = f.read()
    plots = []
    pos = 0
    n = len(buf)
    while pos < n:
        # skip blank lines between plots
        line, nxt = _readline(buf, pos)
        if not line.strip():
            pos = nxt
            continue
        p = Plot()
        nvars = npoints = None
        data_kind = None
        while pos < n:
            line, pos = _readline(buf, pos)
            key, _, val = line.partition(":")
            k = key.strip().lower()
            val = val.strip()
            if k == "title":
                p.title = val
            elif k == "plotname":
                p.name = val
            elif k == "flags":
                p.flags = val
            elif k == "no. variables":
                nvars = int(val)
            elif k == "no. points":
                npoints = int(val)
            elif k == "variables":
                if nvars is None:
                    raise ValueError("%s: 'Variables:' before 'No. Variables:'" % path)
                # ngspice may put the first variable on the same line; usually it is on the next
                rest = val
                for i in range(nvars):
                    if i == 0 and rest:
                        vline = rest
                    else:
                        vline, pos = _readline(buf, pos)
                    parts = vline.split()
                    if len(parts) < 3:
                        raise ValueError("%s: bad variable line %r" % (path, vline))
                    p.variables.append((parts[1], parts[2]))
                    if "dims=0" in parts[3:]:
                        p.empty.add(parts[1])
            elif k in ("binary", "values"):
                data_kind = k
                break
            # Title/Date/Command/Option/Dimensions and unknown keys are ignored
        if data_kind is None:
            break
        if nvars is None or npoints is None:
            raise ValueError("%s: plot %r without No. Variables / No. Points" % (path, p.name))
        if data_kind == "binary":
            width = nvars * (2 if p.complex else 1)
            avail = (n - pos) // (8 * width) if width else 0
            cnt = min(npoints, avail)
            arr = array("d")
            arr.frombytes(buf[pos:pos + cnt * width * 8])
            if sys.byteorder != "little":
                arr.byteswap()
            pos += cnt * width * 8
            if p.complex:
                p.columns = [[complex(arr[(j * nvars + i) * 2], arr[(j * nvars + i) * 2 + 1]) for j in range(cnt)]
                             for i in range(nvars)]
            else:
                p.columns = [list(arr[i::nvars]) for i in range(nvars)]
        else:
            cols = [[] for _ in range(nvars)]
            for _ in range(npoints):
                toks = []
                while len(toks) < nvars + 1 and pos < n:
                    line, pos = _readline(buf, pos)
                    toks.extend(line.split())
                if len(toks) < nvars + 1:
                    break
                for i, t in enumerate(toks[1:nvars + 1]):
                    if p.complex:
                        re_, _, im = t.partition(",")
                        cols[i].append(complex(float(re_), float(im or 0.0)))
                    else:
                        cols[i].append(float(t))
            p.columns = cols
        plots.append(p)
    return plots


def analysis_of(plot):
    """'op', 'dc', 'ac', 'tran', 'noise', 'noise_total', 'tf', 'pz', 'sens', 'sp', 'pss' (one period of a periodic
    steady state), 'pss_spectrum' (an oscillator .pss's harmonics) or None from a Plotname."""
    name = plot.name.lower()
    if name.endswith("operating point"):  # (ngspice's keepopinfo: "AC Operating Point" before an .ac)
        return "op"
    if name.startswith("frequency domain periodic steady state"):
        return "pss_spectrum"
    if name.startswith(("time domain periodic steady state", "periodic steady state")):
        return "pss"
    if name.startswith("pole-zero"):
        return "pz"
    if name.startswith("sensitivity"):
        return "sens"
    if name.startswith("sp analysis"):
        return "sp"
    if name.startswith("noise spectral density"):
        return "noise"
    if name.startswith("integrated noise"):
        return "noise_total"
    if name.startswith("transfer function"):
        return "tf"
    if name.startswith("transient"):
        return "tran"
    if name.startswith("ac"):
        return "ac"
    if name.startswith("dc"):
        return "dc"
    if name.startswith("operating point"):
        return "op"
    return None


def signal_name(name, vtype):
    """ngspice variable name -> suite name: 'out' / 'V(out)' -> 'v(out)', 'vin#branch' -> 'i(vin)'."""
    s = "".join(name.split()).lower()
    if s.endswith("#branch"):
        return "i(%s)" % s[:-len("#branch")]
    if s.startswith(("v(", "i(")) and s.endswith(")"):
        return s
    t = vtype.lower()
    if t == "voltage":
        return "v(%s)" % s
    if t == "current":
        return "i(%s)" % s
    return s


def to_reference_layout(plot, analysis, sweep_name=None):
    """(header, columns) like the suite's reference CSVs.

    tran: time, then every signal; dc: the swept source's name (sweep_name) then the signals;
    op: the signals of the single point, no sweep column; ac: frequency, then vdb(x) and vp(x)
    (degrees, in (-180, 180]) for every node voltage, db(i(x)) / ph(i(x)) for currents."""
    names = [signal_name(n, t) for n, t in plot.variables]
    types = [t.lower() for _, t in plot.variables]
    cols = plot.columns
    if analysis == "op":
        return names, [list(c) for c in cols]
    if analysis == "ac":
        header = ["frequency"]
        out = [[v.real for v in cols[0]]]
        for nm, t, c in zip(names[1:], types[1:], cols[1:]):
            mag = [20.0 * math.log10(max(abs(v), 1e-300)) for v in c]
            ph = [math.degrees(cmath.phase(v)) for v in c]
            ph = [180.0 if x == -180.0 else x for x in ph]
            if nm.startswith("v("):
                header += ["vdb" + nm[1:], "vp" + nm[1:]]
            else:
                header += ["db(%s)" % nm, "ph(%s)" % nm]
            out += [mag, ph]
        return header, out
    header = list(names)
    if analysis == "tran":
        header[0] = "time"
    elif analysis == "dc" and sweep_name:
        header[0] = sweep_name.lower()
    return header, [list(c) for c in cols]
