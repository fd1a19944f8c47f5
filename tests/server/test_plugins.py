"""Device plugins on the server (docs/plugins.md): `.plugin NAME` loads NAME
from the directory `simcore serve --plugin-dir` names and from nowhere else."""
import math
import os
import shutil
import tempfile

import grpc
import pytest

from conftest import SIMCORE, Server, pb
from test_server import run_remote

PLUGINS = os.path.join(os.path.dirname(os.path.dirname(SIMCORE)), "plugins")

NETLIST = """memristor on the server
.plugin {name}
v1 p 0 1
n1 p 0 mem w0=0
.model mem hpmemristor(roff=10k)
.op
.end
"""


@pytest.fixture(scope="module")
def plugin_server():
    if not os.path.exists(os.path.join(PLUGINS, "memristor.so")):
        pytest.skip("example plugins not built (%s)" % PLUGINS)
    d = tempfile.mkdtemp(prefix="simcore-serve-plugins-")
    allowed = os.path.join(d, "plugins")
    os.makedirs(allowed)
    os.makedirs(os.path.join(d, "data"))
    shutil.copy(os.path.join(PLUGINS, "memristor.so"), allowed)
    shutil.copy(os.path.join(PLUGINS, "memristor.so"), os.path.join(d, "outside.so"))
    s = Server(os.path.join(d, "data"), ["--workers", "1", "--plugin-dir", allowed]).start()
    yield s
    s.stop()
    shutil.rmtree(d, ignore_errors=True)


def test_plugin_from_the_configured_directory_runs(plugin_server):
    c = plugin_server.stub()
    try:
        job, chunks, _ = run_remote(c, NETLIST.format(name="memristor.so"), "memristor")
        hdr = chunks[0].header
        k = [s.name for s in hdr.signals].index("i(v1)")
        assert abs(chunks[0].values[k].re[0] + 1e-4) < 1e-12
    finally:
        c.close()


@pytest.mark.parametrize("name", ["../outside.so", "/etc/passwd", "nothing.so"])
def test_plugin_outside_the_directory_is_refused(plugin_server, name):
    c = plugin_server.stub()
    try:
        with pytest.raises(grpc.RpcError) as e:
            c.CreateSession(pb.CreateSessionRequest(netlist=NETLIST.format(name=name)))
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        want = "no such plugin in the server's plugin directory" if name == "nothing.so" else \
            "is outside the server's plugin directory"
        assert want in e.value.details(), e.value.details()
        assert ":2:" in e.value.details()  # at the .plugin card
    finally:
        c.close()


def test_server_without_plugin_dir_refuses_every_plugin(server, client):
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(netlist=NETLIST.format(name="memristor.so")))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "this server loads no device plugins" in e.value.details()


OSDI = os.path.join(os.path.dirname(os.path.dirname(SIMCORE)), "osdi", "osdi", "jdiode.osdi")

OSDI_NETLIST = """OSDI diode on the server
v1 a 0 0.6
n1 a 0 dj
.model dj jdiode is=1e-14
.op
.control
pre_osdi {name}
.endc
.end
"""


def test_osdi_library_from_the_plugin_directory_runs():
    # compiled Verilog-A (docs/osdi.md): `pre_osdi NAME` resolves in --plugin-dir as .plugin does
    if not os.path.exists(OSDI):
        pytest.skip("no compiled jdiode.osdi at %s (ctest -R netlist_osdi makes it)" % OSDI)
    d = tempfile.mkdtemp(prefix="simcore-serve-osdi-")
    try:
        allowed = os.path.join(d, "plugins")
        os.makedirs(allowed)
        os.makedirs(os.path.join(d, "data"))
        shutil.copy(OSDI, allowed)
        shutil.copy(OSDI, d)  # beside the directory: refused
        s = Server(os.path.join(d, "data"), ["--workers", "1", "--plugin-dir", allowed]).start()
        c = s.stub()
        try:
            job, chunks, _ = run_remote(c, OSDI_NETLIST.format(name="jdiode.osdi"), "osdi")
            hdr = chunks[0].header
            k = [sig.name for sig in hdr.signals].index("i(v1)")
            vt = 1.38064852e-23 * 300.15 / 1.6021766208e-19
            want = 1e-14 * (math.exp(0.6 / vt) - 1) + 1e-12 * 0.6
            assert abs(-chunks[0].values[k].re[0] - want) < 1e-9 * want
            with pytest.raises(grpc.RpcError) as e:
                c.CreateSession(pb.CreateSessionRequest(netlist=OSDI_NETLIST.format(name="../jdiode.osdi")))
            assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "OSDI library '../jdiode.osdi'" in e.value.details(), e.value.details()
            assert "is outside the server's plugin directory" in e.value.details(), e.value.details()
        finally:
            c.close()
            s.stop()
    finally:
        shutil.rmtree(d, ignore_errors=True)
