"""CIDER's numerical devices from Python (docs/cider.md): a one-dimensional p+n diode's
forward current follows the diode law's slope, and its reverse recovery shows stored charge."""
import math

import pytest

import simcore

MODEL = """
.model m_pn numd level=1
+ options defa=1p
+ x.mesh loc=0.0 n=1
+ x.mesh loc=1.3 n=101
+ domain num=1 material=1
+ material num=1 silicon
+ doping gauss p.type conc=1e20 x.l=0.0 x.h=0.0 char.l=0.100
+ doping unif  n.type conc=1e16 x.l=0.0 x.h=1.3
+ doping gauss n.type conc=5e19 x.l=1.3 x.h=1.3 char.l=0.100
+ models bgn srh auger conctau concmob fieldmob
"""


def test_numerical_diode_dc_slope_is_the_thermal_voltage():
    net = "numd dc\nv1 a 0 0.4\nd1 a 0 m_pn area=100\n" + MODEL + ".dc v1 0.40 0.50 0.05\n.end\n"
    r = simcore.simulate(net)
    i = [-v for v in r["dc"]["i(v1)"]]
    assert all(x > 0 for x in i)
    # low injection: one decade per ~60 mV (n close to 1)
    slope = (0.45 - 0.40) / math.log(i[1] / i[0])
    vt = 1.380649e-23 * 300.15 / 1.602176634e-19
    assert slope == pytest.approx(vt, rel=0.05)


def test_numerical_diode_reverse_recovery_through_a_resistor():
    net = ("numd recovery\nv1 a 0 pwl 0 1 0.2n 1 0.21n -2\nr1 a k 1k\nd1 k 0 m_pn area=100\n" + MODEL +
           ".tran 1p 0.6n\n.end\n")
    r = simcore.simulate(net)
    t = r["tran"].x
    i = r["tran"]["i(v1)"]
    # forward: ~ (1 - 0.8) / 1k into the diode (the source delivers it: i(v1) < 0)
    k0 = max(k for k, tt in enumerate(t) if tt <= 0.19e-9)
    assert -i[k0] == pytest.approx(2.2e-4, rel=0.3)
    # just after the step the stored charge carries a reverse current near (2 + 0.8) / 1k
    k1 = min(k for k, tt in enumerate(t) if tt >= 0.25e-9)
    assert i[k1] > 1.5e-3
