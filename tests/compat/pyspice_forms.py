#!/usr/bin/env python3
"""Decks of every source form, option and analysis card PySpice 1.5 writes, for the survey.

    /tmp/pyspice-venv/bin/python tests/compat/pyspice_forms.py DIR

PySpice's examples (pyspice_decks.py) use a few of its element classes; this builds two
circuits with the rest (SIN with delay and damping, PULSE, EXP, PWL, SFFM, AM, current
sources with `AC 1A`, B sources, E/F/G/H, `ic=` on a capacitor, a sub-circuit with a
parameter, D/Q/M models) and writes the deck `str(simulator)` gives for each analysis PySpice
offers (`.op`, `.dc` of a source and of `temp`, `.ac`, `.tran` with and without `uic`, `.tf`,
`.noise`), with `.options` in PySpice's `NAME = VALUE` form (`SAVECURRENTS = True`), `.ic`,
`.nodeset`, `.save all ...` and `.meas`. No ngspice library is loaded. Not part of the
test suite: run the decks with survey.py.
"""
import os
import sys

from PySpice.Spice.NgSpice import Shared

Shared.NgSpiceShared._load_library = lambda self, *a, **k: None  # no libngspice needed
Shared.NgSpiceShared._init_ngspice = lambda self, *a, **k: None

OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
os.makedirs(OUT, exist_ok=True)
from PySpice.Spice.Netlist import Circuit, SubCircuit
from PySpice.Unit import *
out = []
def emit(sim, name, method, *a, **kw):
    """Write the deck PySpice would hand ngspice for this analysis (empty lines dropped, as load_circuit)."""
    from PySpice.Spice.Simulation import CircuitSimulation
    sim.reset_analysis()
    getattr(CircuitSimulation, method)(sim, *a, **kw)
    text = "\n".join(l for l in str(sim).splitlines() if l) + "\n"
    open(os.path.join(OUT, name), "w", encoding="utf-8").write(text)

c = Circuit('sources')
c.SinusoidalVoltageSource('sin', 'a', c.gnd, amplitude=2@u_V, offset=1@u_V, frequency=1@u_kHz, delay=0.1@u_ms, damping_factor=100)
c.R(1, 'a', c.gnd, 1@u_kΩ)
c.PulseVoltageSource('p', 'b', c.gnd, initial_value=0@u_V, pulsed_value=5@u_V, pulse_width=0.2@u_ms, period=0.5@u_ms, delay_time=10@u_us, rise_time=1@u_us, fall_time=2@u_us)
c.R(2, 'b', 'bb', 1@u_kΩ); c.C(2, 'bb', c.gnd, 100@u_nF)
c.ExponentialVoltageSource('e', 'e', c.gnd, initial_value=0@u_V, pulsed_value=1@u_V, rise_delay_time=0.1@u_ms, rise_time_constant=0.05@u_ms, fall_delay_time=0.5@u_ms, fall_time_constant=0.1@u_ms)
c.R(3, 'e', c.gnd, 1@u_kΩ)
c.PieceWiseLinearVoltageSource('pwl', 'w', c.gnd, values=[(0, 0), (0.1e-3, 1), (0.3e-3, -1), (1e-3, 0)])
c.R(4, 'w', c.gnd, 1@u_kΩ)
c.SingleFrequencyFMVoltageSource('fm', 'f', c.gnd, offset=0@u_V, amplitude=1@u_V, carrier_frequency=10@u_kHz, modulation_index=2, signal_frequency=1@u_kHz)
c.R(5, 'f', c.gnd, 1@u_kΩ)
c.AmplitudeModulatedVoltageSource('am', 'm', c.gnd, offset=0.5@u_V, amplitude=1@u_V, carrier_frequency=10@u_kHz, modulating_frequency=1@u_kHz, signal_delay=0@u_s)
c.R(6, 'm', c.gnd, 1@u_kΩ)
c.SinusoidalCurrentSource('isin', c.gnd, 'i', amplitude=1@u_mA, offset=0@u_A, frequency=2@u_kHz)
c.R(7, 'i', c.gnd, 1@u_kΩ)
c.PulseCurrentSource('ip', c.gnd, 'j', initial_value=0@u_A, pulsed_value=1@u_mA, pulse_width=0.2@u_ms, period=0.5@u_ms)
c.R(8, 'j', c.gnd, 1@u_kΩ)
c.B('b1', 'k', c.gnd, voltage_expression='V(a)*V(b)/2')
c.R(9, 'k', c.gnd, 1@u_kΩ)
c.B('b2', c.gnd, 'l', current_expression='I(Vsin)*2')
c.R(10, 'l', c.gnd, 1@u_kΩ)
c.VCVS('ee', 'o1', c.gnd, 'a', c.gnd, voltage_gain=3)
c.R(11, 'o1', c.gnd, 1@u_kΩ)
c.CCCS('ff', 'o2', c.gnd, 'Vsin', current_gain=2)
c.R(12, 'o2', c.gnd, 1@u_kΩ)
c.VCCS('gg', 'o3', c.gnd, 'a', c.gnd, transconductance=1@u_mS)
c.R(13, 'o3', c.gnd, 1@u_kΩ)
c.CCVS('hh', 'o4', c.gnd, 'Vsin', transresistance=100@u_Ω)
c.R(14, 'o4', c.gnd, 1@u_kΩ)
c.L(1, 'o4', 'o5', 1@u_mH); c.R(15, 'o5', c.gnd, 10@u_Ω)
c.parameter('rv', '2k')
c.R(16, 'a', 'q', '{rv}'); c.C(16, 'q', c.gnd, 10@u_nF, initial_condition=0.5@u_V)
sim = c.simulator(temperature=50, nominal_temperature=25)
sim.options(reltol=1e-4, abstol=1e-12, method='gear')
sim.save_currents = True
sim.initial_condition(bb=0.2)
sim.node_set(k=0)
sim.save(['all', 'a', 'b'])
sim.measure('tran', 'vmax', 'MAX', 'v(a)')
emit(sim, 'forms-tran.cir', 'transient', step_time=1@u_us, end_time=1@u_ms)
sim2 = c.simulator(temperature=25, nominal_temperature=25)
emit(sim2, 'forms-tran-uic.cir', 'transient', step_time=1@u_us, end_time=1@u_ms, max_time=5@u_us, use_initial_condition=True)
emit(sim2, 'forms-ac.cir', 'ac', start_frequency=10@u_Hz, stop_frequency=1@u_MHz, number_of_points=10, variation='dec')
emit(sim2, 'forms-dc.cir', 'dc', Vp=slice(0, 5, 0.5))
emit(sim2, 'forms-dctemp.cir', 'dc', temp=slice(0, 100, 25))
emit(sim2, 'forms-op.cir', 'operating_point')
emit(sim2, 'forms-tf.cir', 'transfer_function', outvar='v(k)', insrc='Vp')

d = Circuit('models and subcircuits')
d.model('dm', 'D', IS=1e-14, RS=1, CJO=1@u_pF)
d.model('qm', 'npn', BF=100, IS=1e-15, VAF=50)
d.model('nm', 'nmos', LEVEL=1, VTO=0.7, KP=100e-6)
class Amp(SubCircuit):
    NODES = ('inp', 'outp')
    def __init__(self, name, gain=10):
        SubCircuit.__init__(self, name, *self.NODES, gain=gain)
        self.VCVS('1', 'outp', self.gnd, 'inp', self.gnd, voltage_gain='{gain}')
d.subcircuit(Amp('amp', gain=5))
d.V('cc', 'vcc', d.gnd, 5@u_V)
d.V('in', 'in', d.gnd, 'DC 0.7 AC 1')
d.R('b', 'in', 'base', 10@u_kΩ)
d.BJT(1, 'col', 'base', d.gnd, model='qm')
d.R('c', 'vcc', 'col', 1@u_kΩ)
d.D(1, 'col', 'dk', model='dm'); d.R('dk', 'dk', d.gnd, 10@u_kΩ)
d.MOSFET(1, 'md', 'base', d.gnd, d.gnd, model='nm', l=2@u_um, w=10@u_um)
d.R('md', 'vcc', 'md', 5@u_kΩ)
d.X('a1', 'amp', 'base', 'aout', gain=3)
d.R('ao', 'aout', d.gnd, 1@u_kΩ)
sim3 = d.simulator(temperature=25, nominal_temperature=25)
emit(sim3, 'models-op.cir', 'operating_point')
emit(sim3, 'models-dc.cir', 'dc', Vin=slice(0.5, 0.9, 0.01))
emit(sim3, 'models-ac.cir', 'ac', start_frequency=1@u_Hz, stop_frequency=100@u_MHz, number_of_points=5, variation='dec')
emit(sim3, 'models-noise.cir', 'noise', output_node='col', ref_node=d.gnd, src='Vin', variation='dec', points=5, start_frequency=10, stop_frequency=1e6, points_per_summary=None)
