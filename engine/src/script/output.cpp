#include "script/output.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>

namespace simcore::script {
namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string padRight(std::string s, std::size_t width, std::size_t maxLen) {
  if (s.size() > maxLen) s.resize(maxLen);
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

bool isBlank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// ngspice's pnum of fourier: %.6g, negatives %.5g.
std::string pnum(double v) { return fmt(v < 0 ? "%.5g" : "%.6g", v); }

}  // namespace

bool isScriptVariable(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "appendwrite", "wr_singlescale", "wr_vecnames", "numdgt", "width", "height", "nobreak", "noprintscale",
      "fourgridsize", "nfreqs", "polydegree", "specwindow", "specwindoworder", "filetype"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

std::vector<std::pair<std::string, std::vector<std::string>>> parseSetArgs(std::string_view a) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  std::size_t i = 0;
  auto skip = [&] {
    while (i < a.size() && isBlank(a[i])) ++i;
  };
  auto word = [&] {
    skip();
    std::string w;
    if (i < a.size() && (a[i] == '"' || a[i] == '\'')) {
      char q = a[i++];
      while (i < a.size() && a[i] != q) w += a[i++];
      if (i < a.size()) ++i;
      return w;
    }
    while (i < a.size() && !isBlank(a[i]) && a[i] != '=' && a[i] != '(' && a[i] != ')') w += a[i++];
    return w;
  };
  while (true) {
    skip();
    if (i >= a.size()) break;
    std::string name = word();
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (name.empty()) {
      ++i;
      continue;
    }
    std::vector<std::string> values;
    skip();
    if (i < a.size() && a[i] == '=') {
      ++i;
      skip();
      if (i < a.size() && a[i] == '(') {
        ++i;
        while (true) {
          skip();
          if (i >= a.size()) break;
          if (a[i] == ')') {
            ++i;
            break;
          }
          std::string w = word();
          if (w.empty()) ++i;
          else values.push_back(w);
        }
      } else {
        values.push_back(word());
      }
    }
    out.emplace_back(std::move(name), std::move(values));
  }
  return out;
}

std::string badFileName(const std::string& name) {
  if (name.empty()) return "empty file name";
  if (name[0] == '/' || name[0] == '\\' || (name.size() > 1 && name[1] == ':'))
    return "file name '" + name + "' is absolute: a script writes below the current folder only";
  std::size_t b = 0;
  while (b <= name.size()) {
    std::size_t e = name.find_first_of("/\\", b);
    if (e == std::string::npos) e = name.size();
    std::string part = name.substr(b, e - b);
    if (part == "..") return "file name '" + name + "' leaves the current folder ('..')";
    if (part.empty() && e < name.size()) return "file name '" + name + "' has an empty part";
    b = e + 1;
  }
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20) return "file name '" + name + "' has a control character";
  return {};
}

std::string printLines(const std::vector<Vec>& vecs) {
  std::string out;
  for (const Vec& v : vecs) {
    // (a node whose name starts with a digit prints as v(name), as ngspice 39's `print all` of an op)
    const std::string name =
        v.type == 'v' && !v.name.empty() && std::isdigit(static_cast<unsigned char>(v.name[0])) ? "v(" + v.name + ")" : v.name;
    if (v.size() == 1) {
      out += name + " = " + printNumber(v.re[0]);
      if (v.complex) out += "," + printNumber(v.im[0]);
      out += "\n";
      continue;
    }
    out += name + " = (  ";
    int ll = 10;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string s = printNumber(v.re[i]);
      if (v.complex) s += "," + printNumber(v.im[i]);
      out += s;
      ll += int(s.size());
      ll = (ll + 7) / 8 * 8 + 1;
      if (ll > 60) {
        out += "\n\t";
        ll = 9;
      } else {
        out += "\t";
      }
    }
    out += ")\n";
  }
  return out;
}

std::string printColumns(const std::vector<Vec>& vecsIn, const Plot& plot, const PrintSettings& ps) {
  const int width = std::max(ps.width, 40), height = std::max(ps.height, 20);
  std::string out;
  // A scale counts as complex in the page width when its plot is complex (ac).
  auto wide = [&](const Vec& v, bool isScale) { return v.complex || (isScale && plot.type == AnalysisType::Ac); };
  std::size_t bv = 0;
  while (bv < vecsIn.size()) {
    std::vector<const Vec*> page;
    std::vector<bool> isScale;
    const bool withScale = !ps.noprintscale && plot.scale && vecsIn[bv].name != plot.scale->name;
    if (withScale) page.push_back(plot.scale.get()), isScale.push_back(true);
    int ll = 8;
    std::size_t lv = bv;
    // at least two columns per page
    std::size_t count = 0;
    for (std::size_t k = 0; k < page.size(); ++k) ll += wide(*page[k], true) ? 32 : 16, ++count;
    while (lv < vecsIn.size()) {
      ll += wide(vecsIn[lv], false) ? 32 : 16;
      if (ll > width && count >= 2) break;
      page.push_back(&vecsIn[lv]);
      isScale.push_back(plot.scale && vecsIn[lv].name == plot.scale->name);
      ++lv, ++count;
    }
    int j = std::max(0, (width - int(plot.title.size())) / 2);
    std::string indent(std::size_t(j), ' ');
    out += indent + plot.title + "\n" + indent + plot.name + "\n";
    out += std::string(std::size_t(width), '-') + "\n";
    std::string header = "Index   ";
    for (std::size_t k = 0; k < page.size(); ++k) {
      // ngspice 39 names the vector of a node whose name starts with a digit V(name) (`print allv`: V(1) V(2q) out)
      const std::string& n = page[k]->name;
      const std::string shown =
          page[k]->type == 'v' && !n.empty() && std::isdigit(static_cast<unsigned char>(n[0])) ? "V(" + n + ")" : n;
      header += page[k]->complex ? padRight(shown, 32, 31) : padRight(shown, 16, 15);
    }
    std::size_t npoints = 0;
    for (const Vec* v : page) npoints = std::max(npoints, v->size());
    int lineno = 3;
    std::size_t row = 0;
    bool printHeader = true;
    while (true) {
      if (printHeader) {
        out += header + "\n" + std::string(std::size_t(width), '-') + "\n";
        lineno += 2;
      }
      while (row < npoints && lineno < height) {
        out += std::to_string(row) + "\t";
        for (const Vec* v : page) {
          if (v->size() <= row) out += v->complex ? "\t\t\t\t" : "\t\t";
          else if (v->complex) out += printNumber(v->re[row]) + ",\t" + printNumber(v->im[row]) + "\t";
          else out += printNumber(v->re[row]) + "\t";
        }
        out += "\n";
        ++row, ++lineno;
      }
      if (row == npoints) break;
      lineno = 0;
      printHeader = !ps.nobreak;
      if (printHeader) out += "\f\n";
    }
    bv = lv;
    if (bv < vecsIn.size()) out += "\f\n";
  }
  return out;
}

std::string wrdataText(const std::vector<Vec>& vecs, bool singleScale, bool vecNames, int digits) {
  std::string out;
  // ngspice's numdgt digits after the point (8 unless set), columns digits + 8 wide
  const int preci = digits > 0 ? std::min(digits, 30) : 8;
  const std::size_t wide = std::size_t(preci) + 8;
  auto num = [&](double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "% .*e ", preci, v);
    out += buf;
  };
  if (vecNames) {
    for (std::size_t k = 0; k < vecs.size(); ++k) {
      const Vec& v = vecs[k];
      if (!singleScale || k == 0) out += " " + padRight(v.scale ? v.scale->name : "index", wide - 1, 1000);
      out += " " + padRight(v.name, wide - 1, 1000);
      if (v.complex) out += " " + padRight(v.name, wide - 1, 1000);
    }
    out += "\n";
  }
  // as ngspice 39: a single value is repeated along its scale; each vector has the rows of
  // its scale, every line the rows of the longest (wr_singlescale: of the first vector),
  // a vector past its end is blank there (a column's width of spaces)
  auto rows = [](const Vec& v) { return v.size() == 1 && v.scale ? v.scale->size() : v.size(); };
  std::size_t n = 0;
  for (std::size_t k = 0; k < vecs.size(); ++k)
    if (!singleScale || k == 0) n = std::max(n, rows(vecs[k]));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < vecs.size(); ++k) {
      const Vec& v = vecs[k];
      const bool withScale = !singleScale || k == 0;
      if (i >= rows(v)) {
        out += std::string((withScale ? wide : 0) + (v.complex ? 2 * wide : wide), ' ');
        continue;
      }
      const std::size_t j = v.size() == 1 ? 0 : i;
      if (withScale) num(v.scale && i < v.scale->size() ? v.scale->re[i] : double(i));
      num(v.re[j]);
      if (v.complex) num(v.im[j]);
    }
    out += "\n";
  }
  return out;
}

std::string rawText(const Plot& plot, const std::vector<Vec>& vecsIn, bool ascii) {
  std::vector<const Vec*> vecs;
  if (plot.scale) vecs.push_back(plot.scale.get());
  for (const Vec& v : vecsIn)
    if (!plot.scale || v.name != plot.scale->name) vecs.push_back(&v);
  if (vecs.empty()) return "!the plot has no vectors to write";
  const std::size_t n = vecs[0]->size();
  bool complex = false;
  for (const Vec* v : vecs) {
    if (v->size() != n && v->size() != 1)
      return "!'" + v->name + "' has " + std::to_string(v->size()) + " points, the plot " + std::to_string(n);
    complex = complex || v->complex;
  }
  std::string out = "Title: " + plot.title + "\nDate: \nPlotname: " + plot.name + "\nFlags: " +
                    (complex ? "complex" : "real") + "\nNo. Variables: " + std::to_string(vecs.size()) +
                    "\nNo. Points: " + std::to_string(n) + "\nVariables:\n";
  for (std::size_t k = 0; k < vecs.size(); ++k) {
    const Vec& v = *vecs[k];
    std::string name = v.name, type = "voltage";
    if (plot.scale && &v == plot.scale.get()) {
      type = plot.type == AnalysisType::Tran || plot.type == AnalysisType::Pss ? "time"
             : plot.type == AnalysisType::Ac || plot.type == AnalysisType::Fra || plot.type == AnalysisType::PssSpectrum ||
                              plot.type == AnalysisType::Sens || plot.type == AnalysisType::Sp ? "frequency"
                                                                                : "voltage";
    } else if (auto h = name.find("#branch"); h != std::string::npos) {
      name = "i(" + name.substr(0, h) + ")";
      type = "current";
    } else if (name.find('(') == std::string::npos && name.find('#') == std::string::npos) {
      name = "v(" + name + ")";
    }
    out += "\t" + std::to_string(k) + "\t" + name + "\t" + type + "\n";
  }
  auto value = [](const Vec& v, std::size_t i) { return v.size() == 1 ? v.at(0) : v.at(i); };
  if (ascii) {
    out += "Values:\n";
    for (std::size_t i = 0; i < n; ++i) {
      out += " " + std::to_string(i);
      for (const Vec* v : vecs) {
        auto z = value(*v, i);
        out += "\t" + fmt("%.15e", z.real());
        if (complex) out += "," + fmt("%.15e", z.imag());
        out += "\n";
      }
      out += "\n";
    }
  } else {
    out += "Binary:\n";
    for (std::size_t i = 0; i < n; ++i)
      for (const Vec* v : vecs) {
        auto z = value(*v, i);
        double d[2] = {z.real(), z.imag()};
        out.append(reinterpret_cast<const char*>(d), (complex ? 2 : 1) * sizeof(double));
      }
  }
  return out;
}

double interpolateLinear(const std::vector<double>& xs, const std::vector<double>& ys, double x) {
  if (xs.empty()) return 0;
  if (x <= xs.front()) return ys.front();
  if (x >= xs.back()) return ys[xs.size() - 1];
  std::size_t k = std::size_t(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin());
  double x0 = xs[k - 1], x1 = xs[k];
  if (x1 == x0) return ys[k];
  return ys[k - 1] + (x - x0) / (x1 - x0) * (ys[k] - ys[k - 1]);
}

bool fourierText(const Vec& v, double f0, const FourierSettings& fs, std::string& text, std::string& why) {
  if (v.complex) {
    why = "'" + v.name + "' is not real";
    return false;
  }
  if (!v.scale || v.scale->size() != v.size() || v.size() < 2) {
    why = "'" + v.name + "' has no time scale";
    return false;
  }
  if (fs.degree > 1) {
    why = "polydegree " + std::to_string(fs.degree) + " is not supported (0 or 1)";
    return false;
  }
  const std::vector<double>& t = v.scale->re;
  std::vector<double> data;
  if (fs.degree == 1) {
    double lo = t.front(), hi = t.back(), period = 1.0 / f0;
    if (hi - lo < period) {
      why = "wavelength longer than time span";
      return false;
    }
    lo = hi - period;
    const double d = (hi - lo) / fs.gridSize;
    data.resize(std::size_t(fs.gridSize));
    for (int i = 0; i < fs.gridSize; ++i) data[std::size_t(i)] = interpolateLinear(t, v.re, lo + i * d);
  } else {
    data = v.re;
  }
  const int nh = fs.harmonics;
  const double nd = double(data.size());
  std::vector<double> freq(std::size_t(nh), 0), mag(std::size_t(nh), 0), phase(std::size_t(nh), 0),
      nmag(std::size_t(nh), 0), nphase(std::size_t(nh), 0), sn(std::size_t(nh), 0), cs(std::size_t(nh), 0);
  for (std::size_t i = 0; i < data.size(); ++i)
    for (int j = 0; j < nh; ++j) {
      double w = 2.0 * std::numbers::pi * j * double(i) / nd;
      sn[std::size_t(j)] += data[i] * std::sin(w);
      cs[std::size_t(j)] += data[i] * std::cos(w);
    }
  mag[0] = cs[0] / nd;
  double thd = 0;
  for (int j = 1; j < nh; ++j) {
    auto u = std::size_t(j);
    double a = sn[u] * 2.0 / nd, b = cs[u] * 2.0 / nd;
    freq[u] = j * f0;
    mag[u] = std::hypot(a, b);
    phase[u] = std::atan2(b, a) * 180.0 / std::numbers::pi;
    nmag[u] = mag[1] != 0 ? mag[u] / mag[1] : 0;
    nphase[u] = phase[u] - phase[1];
    if (j > 1) thd += nmag[u] * nmag[u];
  }
  thd = 100 * std::sqrt(thd);
  char line[512];
  text = "Fourier analysis for " + v.name + ":\n";
  std::snprintf(line, sizeof line, "  No. Harmonics: %d, THD: %g %%, Gridsize: %d, Interpolation Degree: %d\n\n", nh,
                thd, int(data.size()), fs.degree);
  text += line;
  const int fw = 11;
  std::snprintf(line, sizeof line, "Harmonic %-*s %-*s %-*s %-*s %-*s\n", fw, "Frequency", fw, "Magnitude", fw,
                "Phase", fw, "Norm. Mag", fw, "Norm. Phase");
  text += line;
  std::snprintf(line, sizeof line, "-------- %-*s %-*s %-*s %-*s %-*s\n", fw, "---------", fw, "---------", fw,
                "-----", fw, "---------", fw, "-----------");
  text += line;
  for (int j = 0; j < nh; ++j) {
    auto u = std::size_t(j);
    std::snprintf(line, sizeof line, " %-4d    %-*s %-*s %-*s %-*s %-*s\n", j, fw, pnum(freq[u]).c_str(), fw,
                  pnum(mag[u]).c_str(), fw, pnum(phase[u]).c_str(), fw, pnum(nmag[u]).c_str(), fw,
                  pnum(nphase[u]).c_str());
    text += line;
  }
  text += "\n";
  return true;
}

}  // namespace simcore::script
