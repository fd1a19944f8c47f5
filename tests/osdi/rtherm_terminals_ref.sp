* rtherm_terminals.cir's circuit with the module's equations as B sources (its reference)
v1 in 0 dc 10 pulse(0 10 1m 1u 1u 10 20)
r1 in a 100
b1 a 0 i=v(a)/(1k*(1+4m*v(ta)))
bp1 0 ta i=v(a)*v(a)/(1k*(1+4m*v(ta)))
rth1 ta 0 50
r2 in b 100
b2 b 0 i=v(b)/(1k*(1+4m*v(tb)))
bp2 0 tb i=v(b)*v(b)/(1k*(1+4m*v(tb)))
rth2 tb 0 50
ct tb 0 10u
.save v(in) v(a) v(b) v(tb) i(v1)
.dc v1 0 20 1
.tran 10u 5m
.end
