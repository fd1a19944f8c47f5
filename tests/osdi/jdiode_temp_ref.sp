* jdiode_temp.cir's circuit with ngspice's diode (its reference)
v1 a 0 dc 0.6
r1 a b 10
d1 b 0 dn
.model dn d is=1e-14 n=1.2 eg=0 xti=0
.dc temp -40 125 5
.end
