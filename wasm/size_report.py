#!/usr/bin/env python3
"""Where the bytes of a wasm module go: code size per function (name section
of a module linked with --profiling-funcs), attributed to the source file
that defines the function (llvm-nm over the build's object files), summed by
source area. Data segments are reported as one line.

  SIMCORE_WASM_LINK_EXTRA=--profiling-funcs BUILD_DIR=build/wasm-cmake-prof OUT_DIR=build/wasm-prof ./wasm/build.sh
  python3 wasm/size_report.py build/wasm-prof/simcore.wasm build/wasm-cmake-prof [--top N] [--by file]
"""
import argparse, collections, gzip, os, re, subprocess, sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7F) << s; s += 7
        if x < 0x80:
            return r, i


def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]; i += 1
        n, i = leb(b, i)
        yield sid, b[i:i + n]
        i += n


def parse(path):
    b = open(path, 'rb').read()
    nimports = 0; bodies = []; names = {}; data = 0; other = collections.Counter()
    for sid, s in sections(b):
        if sid == 2:  # imports: count functions
            n, i = leb(s, 0)
            for _ in range(n):
                l, i = leb(s, i); i += l
                l, i = leb(s, i); i += l
                kind = s[i]; i += 1
                if kind == 0:
                    _, i = leb(s, i); nimports += 1
                elif kind == 1:
                    i += 1; fl, i = leb(s, i); _, i = leb(s, i)
                    if fl & 1: _, i = leb(s, i)
                elif kind == 2:
                    fl, i = leb(s, i); _, i = leb(s, i)
                    if fl & 1: _, i = leb(s, i)
                elif kind == 3:
                    i += 2
                elif kind == 4:
                    i += 1; _, i = leb(s, i)
        elif sid == 10:
            n, i = leb(s, 0)
            for _ in range(n):
                l, j = leb(s, i); bodies.append((s[i:j + l])); i = j + l
        elif sid == 11:
            data += len(s)
        elif sid == 0:
            l, i = leb(s, 0); nm = s[i:i + l].decode(); i += l
            if nm == 'name':
                while i < len(s):
                    sub = s[i]; i += 1; sz, i = leb(s, i); end = i + sz
                    if sub == 1:
                        n, k = leb(s, i)
                        for _ in range(n):
                            idx, k = leb(s, k); l, k = leb(s, k)
                            names[idx] = s[k:k + l].decode('utf-8', 'replace'); k += l
                    i = end
            else:
                other['custom:' + nm] += len(s)
        else:
            other[sid] += len(s)
    funcs = [(names.get(nimports + k, f'f{nimports + k}'), body) for k, body in enumerate(bodies)]
    return funcs, data, other, len(b)


def symbol_files(build):
    """mangled or demangled name -> object file path (strong definitions first)."""
    strong = {}; weak = {}
    objs = []
    for root, _, files in os.walk(build):
        objs += [os.path.join(root, f) for f in files if f.endswith('.o')]
    for o in objs:
        out = subprocess.run(['llvm-nm', '--defined-only', '-C', o], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split(' ', 2)
            if len(parts) < 3: continue
            t, name = parts[1], parts[2]
            if t in 'Tt':
                strong.setdefault(name, o)
            elif t in 'Ww':
                weak.setdefault(name, o)
    return strong, weak


AREAS = [
    (r'engine/src/devices/bsim4', 'devices: BSIM4'),
    (r'engine/src/devices/bsim3', 'devices: BSIM3'),
    (r'engine/src/devices/block_', 'devices: XSPICE code models (A cards)'),
    (r'engine/src/devices/(ltra|cpl|urc|tline)', 'devices: lines (T O P U Y)'),
    (r'engine/src/devices/(mosfet|mos2|mos3|mos_frame)', 'devices: MOSFET levels 1-3'),
    (r'engine/src/devices/vdmos', 'devices: VDMOS'),
    (r'engine/src/devices/(bjt|diode|jfet|semiconductor)', 'devices: diode, BJT, JFET, semi common'),
    (r'engine/src/devices/(behavioural|expr_eval)', 'devices: behavioural sources'),
    (r'engine/src/devices/(plugin)', 'devices: plugins'),
    (r'engine/src/devices/', 'devices: R L C K sources switches rest'),
    (r'engine/src/script', '.control script interpreter'),
    (r'engine/src/netlist', 'netlist front end'),
    (r'engine/src/measure', '.meas'),
    (r'engine/src/analysis', 'analyses'),
    (r'engine/src/losses', 'losses, thermal'),
    (r'engine/src/solver', 'solver (Newton, LU wrapper, FFT)'),
    (r'engine/', 'engine other'),
    (r'suitesparse|klu|amd|btf|colamd|SuiteSparse', 'KLU/AMD/COLAMD/BTF'),
    (r'pugixml', 'pugixml'),
    (r'(^|/)io/', 'io (result writers, files)'),
    (r'wasm/', 'wasm bindings'),
    (r'plugins/', 'plugins'),
    (r'capi|fmu', 'capi'),
]


def area_of(path):
    for pat, a in AREAS:
        if re.search(pat, path):
            return a
    return 'other: ' + path


def classify(name, strong, weak):
    base = re.sub(r'\.\d+$', '', name)
    o = strong.get(base) or strong.get(name)
    if o: return o
    if base.startswith('std::') or '__cxx' in base or base.startswith('__') or base.startswith('operator new') \
            or base.startswith('operator delete'):
        return 'libc++/libc (templates, runtime)'
    o = weak.get(base) or weak.get(name)
    if o: return o
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('wasm'); ap.add_argument('build')
    ap.add_argument('--top', type=int, default=0)
    ap.add_argument('--by', choices=['area', 'file'], default='area')
    a = ap.parse_args()
    funcs, data, other, total = parse(a.wasm)
    strong, weak = symbol_files(a.build)
    by = collections.Counter(); gz = collections.defaultdict(bytearray); cnt = collections.Counter()
    unk = collections.Counter()
    for name, body in funcs:
        o = classify(name, strong, weak)
        if o is None:
            key = 'libc++/libc (templates, runtime)' if re.match(r'(std::|__|_Z|[a-z_0-9]+$)', name) else 'unattributed'
            if key == 'unattributed': unk[name] += len(body)
        elif o.startswith('libc++'):
            key = o
        else:
            rel = os.path.relpath(o, a.build)
            rel = re.sub(r'CMakeFiles/[^/]+\.dir/', '', rel).replace('__/', '../')
            key = rel if a.by == 'file' else area_of(rel)
            if key.startswith('other: ') and a.by == 'area':
                key = 'libc++/libc (templates, runtime)' if 'libc' in rel else key
        by[key] += len(body); gz[key] += body; cnt[key] += 1
    code = sum(by.values())
    print(f'module {total} bytes, gzip -9 {len(gzip.compress(open(a.wasm,"rb").read(), 9))}; code {code}, data {data}')
    print(f'| area | functions | code bytes | share | gzip -9 alone |')
    print('|---|---:|---:|---:|---:|')
    for k, v in by.most_common(a.top or None):
        print(f'| {k} | {cnt[k]} | {v:,} | {100*v/code:.1f} % | {len(gzip.compress(bytes(gz[k]), 9)):,} |')
    print(f'| data segments | | {data:,} | | |')
    for k, v in other.items():
        print(f'| section {k} | | {v:,} | | |')
    if unk:
        print('\nlargest unattributed:', file=sys.stderr)
        for k, v in unk.most_common(25):
            print(f'  {v:7d} {k}', file=sys.stderr)


if __name__ == '__main__':
    main()
