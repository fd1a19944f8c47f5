* jdiode_noise.cir's circuit with ngspice's diode and a resistor for its RS (its reference)
v1 in 0 dc 5 ac 1
r1 in out 4.7k
rs1 out ai 20
d1 ai 0 dn
c1 out 0 1n
.model dn d is=1e-14 n=1.05 kf=1e-14 af=1.2
.noise v(out) v1 dec 10 1 100meg
.end
