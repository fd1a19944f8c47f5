* bsim4_port.cir's inverter with ngspice's built-in BSIM4 (its reference; the cards of tests/compat/bsim4_inverter.cir)
.model nch nmos level=54 version=4.8 binunit=1 mobmod=0 capmod=2 igcmod=1 igbmod=1 geomod=1
+ diomod=1 rdsmod=0 rbodymod=0 rgatemod=0 permod=1 tnom=27 xpart=0
+ toxe=1.25e-9 toxp=1e-9 toxm=1.25e-9 dtox=0.25e-9 epsrox=3.9 wint=5e-9 lint=3.75e-9
+ toxref=1.25e-9 xl=-20e-9 vth0=0.466 k1=0.4 k2=0 k3=0 k3b=0 w0=2.5e-6 dvt0=1 dvt1=2 dvt2=0
+ dsub=0.1 minv=0.05 voffl=0 dvtp0=1e-10 dvtp1=0.1 lpe0=0 lpeb=0 xj=1.4e-8 ngate=2e20 ndep=3.4e18
+ nsd=2e20 phin=0 cdsc=0 cdscb=0 cdscd=0 cit=0 voff=-0.13 nfactor=1.7 eta0=0.0011 etab=0 vfb=-0.55
+ u0=0.049 ua=6e-10 ub=1.2e-18 uc=0 vsat=170000 a0=1 ags=0 a1=0 a2=1 b0=0 b1=0 keta=0.04
+ pclm=0.02 pdiblc1=0.001 pdiblc2=0.001 pdiblcb=-0.005 drout=0.5 pvag=1e-20 delta=0.01
+ pscbe1=8.14e8 pscbe2=1e-7 fprout=0.2 pdits=0.08 pditsd=0.23 pditsl=2.3e6 rsh=5 rdsw=155
+ rdswmin=0 prwg=0 prwb=0 wr=1 alpha0=0.074 alpha1=0.005 beta0=30 agidl=0.0002 bgidl=2.1e9
+ cgidl=0.0002 egidl=0.8 aigbacc=0.012 bigbacc=0.0028 cigbacc=0.002 nigbacc=1 aigbinv=0.014
+ bigbinv=0.004 cigbinv=0.004 eigbinv=1.1 nigbinv=3 aigc=0.012 bigc=0.0028 cigc=0.002 aigsd=0.012
+ bigsd=0.0028 cigsd=0.002 nigc=1 poxedge=1 pigcd=1 ntox=1 cgso=1.1e-10 cgdo=1.1e-10 cgbo=2.56e-11
+ cgdl=2.653e-10 cgsl=2.653e-10 ckappas=0.03 ckappad=0.03 acde=1 moin=15 noff=0.9 voffcv=0.02
+ kt1=-0.11 kt1l=0 kt2=0.022 ute=-1.5 ua1=4.31e-9 ub1=7.61e-18 uc1=-5.6e-11 prt=0 at=33000
+ fnoimod=1 tnoimod=0 jss=1e-4 jsws=1e-11 jswgs=1e-10 njs=1 ijthsfwd=0.01 ijthsrev=0.001 bvs=10
+ xjbvs=1 pbs=1 cjs=5e-4 mjs=0.5 pbsws=1 cjsws=5e-10 mjsws=0.33 pbswgs=1 cjswgs=3e-10 mjswgs=0.33
+ tpb=0.005 tcj=0.001 tpbsw=0.005 tcjsw=0.001 tpbswg=0.005 tcjswg=0.001 xtis=3 xtid=3
.model pch pmos level=54 version=4.8 binunit=1 mobmod=0 capmod=2 igcmod=1 igbmod=1 geomod=1
+ diomod=1 rdsmod=0 rbodymod=0 rgatemod=0 permod=1 tnom=27 xpart=0
+ toxe=1.3e-9 toxp=1.05e-9 toxm=1.3e-9 dtox=0.25e-9 epsrox=3.9 wint=5e-9 lint=3.75e-9
+ toxref=1.3e-9 xl=-20e-9 vth0=-0.41 k1=0.4 k2=-0.01 k3=0 k3b=0 w0=2.5e-6 dvt0=1 dvt1=2 dvt2=-0.032
+ dsub=0.1 minv=0.05 voffl=0 dvtp0=1e-11 dvtp1=0.05 lpe0=0 lpeb=0 xj=1.4e-8 ngate=2e20 ndep=2.44e18
+ nsd=2e20 phin=0 cdsc=0 cdscb=0 cdscd=0 cit=0 voff=-0.126 nfactor=1.8 eta0=0.0011 etab=0 vfb=0.55
+ u0=0.0095 ua=2e-9 ub=5e-19 uc=0 vsat=70000 a0=1 ags=1e-20 a1=0 a2=1 b0=0 b1=0 keta=-0.047
+ pclm=0.12 pdiblc1=0.001 pdiblc2=0.001 pdiblcb=3.4e-8 drout=0.56 pvag=1e-20 delta=0.01
+ pscbe1=8.14e8 pscbe2=9.58e-7 fprout=0.2 pdits=0.08 pditsd=0.23 pditsl=2.3e6 rsh=5 rdsw=155
+ rdswmin=0 prwg=3.22e-8 prwb=6.8e-11 wr=1 alpha0=0.074 alpha1=0.005 beta0=30 agidl=0.0002
+ bgidl=2.1e9 cgidl=0.0002 egidl=0.8 aigbacc=0.012 bigbacc=0.0028 cigbacc=0.002 nigbacc=1
+ aigbinv=0.014 bigbinv=0.004 cigbinv=0.004 eigbinv=1.1 nigbinv=3 aigc=0.69 bigc=0.0012 cigc=0.0008
+ aigsd=0.0087 bigsd=0.0012 cigsd=0.0008 nigc=1 poxedge=1 pigcd=1 ntox=1 cgso=1.1e-10 cgdo=1.1e-10
+ cgbo=2.56e-11 cgdl=2.653e-10 cgsl=2.653e-10 ckappas=0.03 ckappad=0.03 acde=1 moin=15 noff=0.9
+ voffcv=0.02 kt1=-0.11 kt1l=0 kt2=0.022 ute=-1.5 ua1=4.31e-9 ub1=7.61e-18 uc1=-5.6e-11 prt=0
+ at=33000 fnoimod=1 tnoimod=0 jss=1e-4 jsws=1e-11 jswgs=1e-10 njs=1 ijthsfwd=0.01 ijthsrev=0.001
+ bvs=10 xjbvs=1 pbs=1 cjs=5e-4 mjs=0.5 pbsws=1 cjsws=5e-10 mjsws=0.33 pbswgs=1 cjswgs=3e-10
+ mjswgs=0.33 tpb=0.005 tcj=0.001 tpbsw=0.005 tcjsw=0.001 tpbswg=0.005 tcjswg=0.001 xtis=3 xtid=3
VDD vdd 0 1.0
VIN in 0 PULSE(0 1.0 50p 20p 20p 200p 500p)
M1 out in 0 0 nch L=45n W=0.5u AD=5e-14 AS=5e-14 PD=1.2u PS=1.2u
M2 out in vdd vdd pch L=45n W=1u AD=1e-13 AS=1e-13 PD=2.2u PS=2.2u
CL out 0 2f
.save v(in) v(out) v(vdd) i(vdd)
.dc VIN 0 1.0 0.01
.tran 1p 1n
.end
