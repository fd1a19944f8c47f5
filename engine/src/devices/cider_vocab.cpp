// The CIDER card table (cider_vocab.hpp): ngspice 39's cards
// (ciderlib/input/cards.c) and their parameters (the IFparm tables of
// ciderlib/input/*.c) in ngspice's order. Each parameter is one entry with a
// canonical name and the other names ngspice has for the same parameter ID.
#include "devices/cider_vocab.hpp"

namespace simcore::dev::cider {
namespace {

using K = ValueKind;
using Names = const char* const[];

// ---- contact
constexpr CardParam kContact[] = {
    {"neutral", K::Flag, {}, {}},
    {"aluminum", K::Flag, {}, {}},
    {"p.polysilicon", K::Flag, {}, {}},
    {"n.polysilicon", K::Flag, {}, {}},
    {"workfunction", K::Real, {}, {}},
    {"number", K::Integer, {}, {}},
};

// ---- doping
constexpr Names kGaussian = {"gdiff", "gimp"};
constexpr Names kErfc = {"errfc"};
constexpr Names kAcceptor = {"acceptor"};
constexpr Names kDonor = {"donor"};
constexpr Names kPeakConc = {"peak.conc"};
constexpr Names kRange = {"range"};
constexpr CardParam kDoping[] = {
    {"domains", K::IntList, {}, {}},
    {"uniform", K::Flag, {}, {}},
    {"linear", K::Flag, {}, {}},
    {"gaussian", K::Flag, kGaussian, {}},
    {"erfc", K::Flag, kErfc, {}},
    {"exponential", K::Flag, {}, {}},
    {"suprem3", K::Flag, {}, {}},
    {"ascii", K::Flag, {}, {}},
    {"infile", K::Text, {}, {}},
    {"lat.rotate", K::Flag, {}, {}},
    {"lat.unif", K::Flag, {}, {}},
    {"lat.linf", K::Flag, {}, {}},
    {"lat.gauss", K::Flag, {}, {}},
    {"lat.erfc", K::Flag, {}, {}},
    {"lat.exp", K::Flag, {}, {}},
    {"boron", K::Flag, {}, {}},
    {"phosphorus", K::Flag, {}, {}},
    {"arsenic", K::Flag, {}, {}},
    {"antimony", K::Flag, {}, {}},
    {"p.type", K::Flag, kAcceptor, {}},
    {"n.type", K::Flag, kDonor, {}},
    {"x.axis", K::Flag, {}, {}},
    {"y.axis", K::Flag, {}, {}},
    {"x.low", K::Real, {}, {}},
    {"x.high", K::Real, {}, {}},
    {"y.low", K::Real, {}, {}},
    {"y.high", K::Real, {}, {}},
    {"conc", K::Real, kPeakConc, {}},
    {"location", K::Real, kRange, {}},
    {"char.length", K::Real, {}, {}},
    {"ratio.lat", K::Real, {}, {}},
};

// ---- electrode
constexpr CardParam kElectrode[] = {
    {"x.low", K::Real, {}, {}},      {"x.high", K::Real, {}, {}},     {"y.low", K::Real, {}, {}},
    {"y.high", K::Real, {}, {}},     {"ix.low", K::Integer, {}, {}},  {"ix.high", K::Integer, {}, {}},
    {"iy.low", K::Integer, {}, {}},  {"iy.high", K::Integer, {}, {}}, {"number", K::Integer, {}, {}},
};

// ---- boundary, interface
constexpr Names kNss = {"qss", "qf"};
constexpr Names kSn = {"srvn", "vsrfn"};
constexpr Names kSp = {"srvp", "vsrfp"};
constexpr CardParam kBoundary[] = {
    {"domain", K::Integer, {}, {}},   {"neighbor", K::Integer, {}, {}}, {"x.low", K::Real, {}, {}},
    {"x.high", K::Real, {}, {}},      {"y.low", K::Real, {}, {}},       {"y.high", K::Real, {}, {}},
    {"ix.low", K::Integer, {}, {}},   {"ix.high", K::Integer, {}, {}},  {"iy.low", K::Integer, {}, {}},
    {"iy.high", K::Integer, {}, {}},  {"nss", K::Real, kNss, {}},       {"sn", K::Real, kSn, {}},
    {"sp", K::Real, kSp, {}},         {"layer.width", K::Real, {}, {}},
};

// ---- x.mesh, y.mesh
constexpr Names kNode = {"node"};
constexpr Names kH1 = {"h1"};
constexpr Names kH2 = {"h2"};
constexpr Names kH3 = {"h3"};
constexpr CardParam kMesh[] = {
    {"location", K::Real, {}, {}},
    {"width", K::Real, {}, {}},
    {"number", K::Integer, kNode, {}},
    {"ratio", K::Real, {}, {}},
    {"h.start", K::Real, kH1, {}},
    {"h.end", K::Real, kH2, {}},
    {"h.max", K::Real, kH3, {}},
};

// ---- method
constexpr Names kDabstol = {"dabstol"};
constexpr Names kAcWords = {"direct", "sor"};  // AcMethod
constexpr CardParam kMethod[] = {
    {"devtol", K::Real, kDabstol, {}},
    {"dreltol", K::Real, {}, {}},
    {"onecarrier", K::Flag, {}, {}},
    {"ac.analysis", K::Keyword, {}, kAcWords},
    {"frequency", K::Real, {}, {}},
    {"nomobderiv", K::Flag, {}, {}},
    {"itlim", K::Integer, {}, {}},
    {"voltpred", K::Flag, {}, {}},
};

// ---- mobility
// MobilityModel codes; the field models have no "uf" (an empty word matches nothing)
constexpr Names kConcModels = {"ct", "ar", "uf", "sg", "ga"};
constexpr Names kFieldModels = {"ct", "ar", "", "sg", "ga"};
constexpr CardParam kMobility[] = {
    {"material", K::Integer, {}, {}},
    {"electron", K::Flag, {}, {}},
    {"hole", K::Flag, {}, {}},
    {"majority", K::Flag, {}, {}},
    {"minority", K::Flag, {}, {}},
    {"mumax", K::Real, {}, {}},
    {"mumin", K::Real, {}, {}},
    {"ntref", K::Real, {}, {}},
    {"ntexp", K::Real, {}, {}},
    {"vsat", K::Real, {}, {}},
    {"vwarm", K::Real, {}, {}},
    {"mus", K::Real, {}, {}},
    {"ec.a", K::Real, {}, {}},
    {"ec.b", K::Real, {}, {}},
    {"concmodel", K::Keyword, {}, kConcModels},
    {"fieldmodel", K::Keyword, {}, kFieldModels},
    {"init", K::Flag, {}, {}},
};

// ---- models
constexpr Names kBgnw = {"bgnw"};
constexpr Names kTmpmob = {"tmpmob"};
constexpr Names kConmob = {"conmob"};
constexpr Names kFldmob = {"fldmob"};
constexpr Names kTrfmob = {"trfmob"};
constexpr Names kSrfmob = {"srfmob"};
constexpr Names kConsrh = {"consrh"};
constexpr CardParam kModels[] = {
    {"bgn", K::Flag, kBgnw, {}},
    {"tempmob", K::Flag, kTmpmob, {}},
    {"concmob", K::Flag, kConmob, {}},
    {"fieldmob", K::Flag, kFldmob, {}},
    {"transmob", K::Flag, kTrfmob, {}},
    {"surfmob", K::Flag, kSrfmob, {}},
    {"matchmob", K::Flag, {}, {}},
    {"srh", K::Flag, {}, {}},
    {"conctau", K::Flag, kConsrh, {}},
    {"auger", K::Flag, {}, {}},
    {"avalanche", K::Flag, {}, {}},
};

// ---- material, physics
constexpr Names kSio2 = {"sio2"};
constexpr Names kSi3n4 = {"si3n4"};
constexpr Names kNc = {"nc0", "nc300"};
constexpr Names kNv = {"nv0", "nv300"};
constexpr Names kEg = {"eg0", "eg300"};
constexpr Names kEgalpha = {"egalpha"};
constexpr Names kEgbeta = {"egbeta"};
constexpr Names kNbgn = {"nbgn"};
constexpr Names kNbgnn = {"nbgnn"};
constexpr Names kNbgnp = {"nbgnp"};
constexpr Names kEpsilon = {"epsilon"};
constexpr Names kTn = {"tn0", "taun0"};
constexpr Names kTp = {"tp0", "taup0"};
constexpr Names kSrhNref = {"srh.nref"};
constexpr Names kSrhPref = {"srh.pref"};
constexpr Names kCn = {"cnaug", "augn"};
constexpr Names kCp = {"cpaug", "augp"};
constexpr CardParam kMaterial[] = {
    {"number", K::Integer, {}, {}},
    {"insulator", K::Flag, {}, {}},
    {"oxide", K::Flag, kSio2, {}},
    {"nitride", K::Flag, kSi3n4, {}},
    {"semiconductor", K::Flag, {}, {}},
    {"silicon", K::Flag, {}, {}},
    {"polysilicon", K::Flag, {}, {}},
    {"gaas", K::Flag, {}, {}},
    {"nc", K::Real, kNc, {}},
    {"nv", K::Real, kNv, {}},
    {"eg", K::Real, kEg, {}},
    {"deg.dt", K::Real, kEgalpha, {}},
    {"eg.tref", K::Real, kEgbeta, {}},
    {"deg.dc", K::Real, {}, {}},
    {"eg.cref", K::Real, kNbgn, {}},
    {"deg.dn", K::Real, {}, {}},
    {"eg.nref", K::Real, kNbgnn, {}},
    {"deg.dp", K::Real, {}, {}},
    {"eg.pref", K::Real, kNbgnp, {}},
    {"affinity", K::Real, {}, {}},
    {"permittivity", K::Real, kEpsilon, {}},
    {"tn", K::Real, kTn, {}},
    {"tp", K::Real, kTp, {}},
    {"nsrhn", K::Real, kSrhNref, {}},
    {"nsrhp", K::Real, kSrhPref, {}},
    {"cn", K::Real, kCn, {}},
    {"cp", K::Real, kCp, {}},
    {"arichn", K::Real, {}, {}},
    {"arichp", K::Real, {}, {}},
};

// ---- domain, region
constexpr CardParam kDomain[] = {
    {"x.low", K::Real, {}, {}},      {"x.high", K::Real, {}, {}},     {"y.low", K::Real, {}, {}},
    {"y.high", K::Real, {}, {}},     {"ix.low", K::Integer, {}, {}},  {"ix.high", K::Integer, {}, {}},
    {"iy.low", K::Integer, {}, {}},  {"iy.high", K::Integer, {}, {}}, {"number", K::Integer, {}, {}},
    {"material", K::Integer, {}, {}},
};

// ---- options
constexpr Names kBjt = {"bjt"};
constexpr CardParam kOptions[] = {
    {"resistor", K::Flag, {}, {}},
    {"capacitor", K::Flag, {}, {}},
    {"diode", K::Flag, {}, {}},
    {"bipolar", K::Flag, kBjt, {}},
    {"soibjt", K::Flag, {}, {}},
    {"moscap", K::Flag, {}, {}},
    {"mosfet", K::Flag, {}, {}},
    {"soimos", K::Flag, {}, {}},
    {"jfet", K::Flag, {}, {}},
    {"mesfet", K::Flag, {}, {}},
    {"defa", K::Real, {}, {}},
    {"defw", K::Real, {}, {}},
    {"defl", K::Real, {}, {}},
    {"base.area", K::Real, {}, {}},
    {"base.length", K::Real, {}, {}},
    {"base.depth", K::Real, {}, {}},
    {"tnom", K::Real, {}, {}},
    {"ic.file", K::Text, {}, {}},
    {"unique", K::Flag, {}, {}},
};

// ---- output
constexpr Names kDcDebug = {"dc.debug"};
constexpr Names kPzDebug = {"pz.debug"};
constexpr Names kResources = {"resources"};
constexpr Names kElectrons = {"electrons"};
constexpr Names kHoles = {"holes"};
constexpr Names kQfn = {"qfn"};
constexpr Names kQfp = {"qfp"};
constexpr Names kBandCon = {"band.con"};
constexpr Names kBandVal = {"band.val"};
constexpr Names kJConduc = {"j.conduc"};
constexpr Names kJDisp = {"j.disp"};
constexpr Names kJElectr = {"j.electr"};
constexpr Names kJHole = {"j.hole"};
constexpr Names kJTotal = {"j.total"};
constexpr Names kRecomb = {"recomb"};
constexpr Names kMobElec = {"mob.elec"};
constexpr Names kMobHole = {"mob.hole"};
constexpr CardParam kOutput[] = {
    {"all.debug", K::Flag, {}, {}},
    {"op.debug", K::Flag, kDcDebug, {}},
    {"tran.debug", K::Flag, {}, {}},
    {"ac.debug", K::Flag, kPzDebug, {}},
    {"geometry", K::Flag, {}, {}},
    {"mesh", K::Flag, {}, {}},
    {"material", K::Flag, {}, {}},
    {"globals", K::Flag, {}, {}},
    {"statistics", K::Flag, kResources, {}},
    {"rootfile", K::Text, {}, {}},
    {"rawfile", K::Flag, {}, {}},
    {"hdf", K::Flag, {}, {}},
    {"doping", K::Flag, {}, {}},
    {"psi", K::Flag, {}, {}},
    {"equ.psi", K::Flag, {}, {}},
    {"vac.psi", K::Flag, {}, {}},
    {"n.conc", K::Flag, kElectrons, {}},
    {"p.conc", K::Flag, kHoles, {}},
    {"phin", K::Flag, kQfn, {}},
    {"phip", K::Flag, kQfp, {}},
    {"phic", K::Flag, kBandCon, {}},
    {"phiv", K::Flag, kBandVal, {}},
    {"e.field", K::Flag, {}, {}},
    {"jc", K::Flag, kJConduc, {}},
    {"jd", K::Flag, kJDisp, {}},
    {"jn", K::Flag, kJElectr, {}},
    {"jp", K::Flag, kJHole, {}},
    {"jt", K::Flag, kJTotal, {}},
    {"unet", K::Flag, kRecomb, {}},
    {"mun", K::Flag, kMobElec, {}},
    {"mup", K::Flag, kMobHole, {}},
};

constexpr Names kInterface = {"interface"};
constexpr Names kPhysics = {"physics"};
constexpr Names kRegion = {"region"};

// ngspice's card table, each alias card folded into its canonical one
constexpr CardSpec kCards[] = {
    {"contact", {}, kContact, false, false},
    {"doping", {}, kDoping, false, true},
    {"electrode", {}, kElectrode, false, false},
    {"boundary", kInterface, kBoundary, false, false},
    {"x.mesh", {}, kMesh, false, true},
    {"y.mesh", {}, kMesh, false, false},
    {"method", {}, kMethod, true, true},
    {"mobility", {}, kMobility, false, true},
    {"models", {}, kModels, true, true},
    {"material", kPhysics, kMaterial, false, true},
    {"domain", kRegion, kDomain, false, true},
    {"options", {}, kOptions, true, true},
    {"output", {}, kOutput, true, false},
};

}  // namespace

std::span<const CardSpec> cards() { return kCards; }

}  // namespace simcore::dev::cider
