// Reader of PLECS semiconductor loss/thermal description files (the XML that
// PLECS's thermal editor writes and vendors publish; SIMBA reads the same).
// Pure: text in, data out; the caller reads the file.
//
// Supported (docs/loss_files.md):
//   root   <SemiconductorLibrary xmlns="http://www.plexim.com/xml/semiconductors/">
//          holding one <Package>, or a bare <Package> (no namespace, or that one)
//   <Package class= vendor= partnumber=> with <Variables>, one <SemiconductorData type=>,
//          an optional <ThermalModel> and <Comment> (ignored)
//   <TurnOnLoss>/<TurnOffLoss>: <ComputationMethod>Table only</ComputationMethod>,
//          <CurrentAxis>, <VoltageAxis>, <TemperatureAxis>, <Energy scale=> of
//          <Temperature> blocks of <Voltage> rows of one value per current
//   <ConductionLoss>: <CurrentAxis>, <TemperatureAxis>, <VoltageDrop scale=> of
//          <Temperature> rows of one value per current
//   <ThermalModel>: one <Branch type="Foster|Cauer"> of <RTauElement R= Tau=> or
//          <RCElement R= C=> (tau = R*C)
// Refused with a located message: any ComputationMethod but a table (a formula
// other than the identity "E" is not evaluated), axes that are not strictly
// ascending, row counts that do not match the axes, non-numeric or negative
// values, several packages or SemiconductorData elements.
//
// Sign conventions (the PLECS manual's): a switch's losses are given for
// v >= 0, i >= 0; a Diode's switching losses at negative (blocking) voltage;
// a "... with Diode" file carries the antiparallel diode in the negative-current
// half of the same tables. The reader keeps the quadrant that applies and folds
// it to magnitudes, so every returned axis is ascending and non-negative; the
// diode half of a "with Diode" file becomes SemiconductorData::diode[0].
#pragma once

#include <string_view>

#include "simcore/losses.hpp"
#include "simcore/result.hpp"

namespace simcore::losses {

inline constexpr std::string_view kPlecsNamespace = "http://www.plexim.com/xml/semiconductors/";

// Errors: ErrorCode::Parse for malformed XML, ErrorCode::Semantic for content
// that is not a loss description; loc = fileName:line:col of the offending
// element, message = its element path and what was expected.
Result<ir::SemiconductorData> parsePlecsXml(std::string_view text, std::string_view fileName);

}  // namespace simcore::losses
