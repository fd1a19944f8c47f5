* jdiode.cir's circuit with ngspice's own elements (its reference)
v1 a 0 dc 0 ac 1 pulse(-1 1.5 1n 1n 1n 20n 50n)
r1 a b 100
rs1 b bi 2
d1 bi 0 dn1
c1 bi 0 1p
r2 a c 100
d2 c 0 dn2 area=6
c2 c 0 6p
r3 a d 100
d3 d 0 dn3 area=2
c3 d 0 2p
.model dn1 d is=1e-14 n=1.05
.model dn2 d is=2e-14
.model dn3 d is=1e-14
.save v(a) v(b) v(c) v(d) i(v1)
.dc v1 -1 2 0.05
.ac dec 5 1k 10g
.tran 0.1n 100n
.end
