* spice_ports_noise.cir's circuit with ngspice's built-in devices (its reference)
vcc vcc 0 dc 5
vin in 0 dc 0.7 ac 1 sin(0.7 20m 100k)
rb in b 1k
q1 c b e 0 qn
rc vcc c 2k
re e 0 100
ce e 0 1u
cc c g 1u
rg g 0 100k
rg2 vcc g 150k
m2 d g 0 0 nm w=10u l=2u
rd vcc d 5k
d3 d out dd
rl out 0 10k
cl out 0 10p
.model qn npn bf=120 is=1e-15 vaf=60 ikf=20m rb=50 rc=5 re=1 cje=2p cjc=1p tf=0.3n tr=10n br=3
.model nm nmos level=1 vto=0.8 kp=60u lambda=0.02 gamma=0.4 phi=0.65 cgso=0.2n cgdo=0.2n cbd=5f cbs=5f tox=20n
.model dd d is=2e-14 n=1.1 rs=5 cjo=3p m=0.4 vj=0.7 tt=2n bv=20 ibv=10u
.noise v(out) vin dec 5 100 100meg
.end
