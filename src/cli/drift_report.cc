#include "cli/drift_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace custody::cli {
namespace {

// Charts show at most this many bars; categories beyond go into one "other" bar.
constexpr size_t kMaxBars = 30;

std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Fixed(double x, int digits = 4) {
  if (!std::isfinite(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, (std::fabs(x) < 1e-4 && x != 0) ? "%.*e" : "%.*f", digits, x);
  return buf;
}

// The bars to draw: bins in order, or the largest categories plus "other".
stats::Distribution Bars(const stats::Distribution& d) {
  if (d.labels.size() <= kMaxBars || !d.edges.empty()) return d;
  std::vector<size_t> order(d.labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + (kMaxBars - 1), order.end(), [&](size_t a, size_t b) {
    return std::max(d.reference[a], d.current[a]) > std::max(d.reference[b], d.current[b]);
  });
  stats::Distribution out;
  double ref_rest = 1, cur_rest = 1;
  for (size_t k = 0; k + 1 < kMaxBars; ++k) {
    size_t i = order[k];
    out.labels.push_back(d.labels[i]);
    out.reference.push_back(d.reference[i]);
    out.current.push_back(d.current[i]);
    ref_rest -= d.reference[i];
    cur_rest -= d.current[i];
  }
  out.labels.push_back("other (" + std::to_string(d.labels.size() - (kMaxBars - 1)) + " values)");
  out.reference.push_back(std::max(ref_rest, 0.0));
  out.current.push_back(std::max(cur_rest, 0.0));
  return out;
}

const char kPageStyle[] =
    "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
    "td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}"
    ".yes{color:#b00;font-weight:bold}.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em}"
    "section{margin-top:2em}\n";

void Chart(std::ostringstream& o, const stats::Distribution& dist) {
  stats::Distribution d = Bars(dist);
  const size_t n = d.labels.size();
  const double width = 720, height = 180, left = 40, bottom = 20;
  double top_share = 0;
  for (size_t i = 0; i < n; ++i) top_share = std::max({top_share, d.reference[i], d.current[i]});
  if (top_share <= 0) top_share = 1;
  const double slot = (width - left) / static_cast<double>(std::max<size_t>(n, 1));
  const double bar = std::max(slot * 0.4, 1.0);
  o << "<svg width=\"" << width << "\" height=\"" << height + bottom
    << "\" role=\"img\">\n";
  o << "<line x1=\"" << left << "\" y1=\"" << height << "\" x2=\"" << width << "\" y2=\"" << height
    << "\" stroke=\"#888\"/>\n";
  o << "<text x=\"0\" y=\"12\" font-size=\"10\">" << Fixed(top_share, 3) << "</text>\n";
  for (size_t i = 0; i < n; ++i) {
    double x = left + slot * static_cast<double>(i);
    double hr = height * d.reference[i] / top_share, hc = height * d.current[i] / top_share;
    std::string tip = Escape(d.labels[i]) + ": reference " + Fixed(d.reference[i]) + ", current " + Fixed(d.current[i]);
    o << "<g><title>" << tip << "</title>"
      << "<rect x=\"" << x + slot * 0.1 << "\" y=\"" << height - hr << "\" width=\"" << bar << "\" height=\"" << hr
      << "\" fill=\"#4c72b0\"/>"
      << "<rect x=\"" << x + slot * 0.1 + bar << "\" y=\"" << height - hc << "\" width=\"" << bar << "\" height=\""
      << hc << "\" fill=\"#dd8452\"/></g>\n";
  }
  if (n > 0) {
    o << "<text x=\"" << left << "\" y=\"" << height + 14 << "\" font-size=\"10\">" << Escape(d.labels.front())
      << "</text>\n";
    if (n > 1) {
      o << "<text x=\"" << width << "\" y=\"" << height + 14 << "\" font-size=\"10\" text-anchor=\"end\">"
        << Escape(d.labels.back()) << "</text>\n";
    }
  }
  o << "</svg>\n";
}

}  // namespace

std::string DriftReportHtml(const stats::DatasetDrift& drift, const std::string& reference,
                            const std::string& current) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Data drift: "
    << Escape(current) << "</title>\n<style>\n" << kPageStyle << "</style></head><body>\n";
  o << "<h1>Data drift</h1>\n<p>Reference <code>" << Escape(reference) << "</code>, current <code>"
    << Escape(current) << "</code>.</p>\n";
  o << "<p><strong>" << drift.drifted_columns << " of " << drift.columns.size() << " columns drifted</strong> (share "
    << Fixed(drift.share, 3) << ", threshold " << Fixed(drift.drift_share, 3) << "): "
    << (drift.dataset_drift ? "<span class=\"yes\">the data set drifted</span>" : "the data set did not drift")
    << ".</p>\n";
  o << "<table><tr><th>column</th><th>type</th><th>method</th><th>score</th><th>threshold</th><th>drifted</th>"
    << "<th>reference values</th><th>current values</th></tr>\n";
  for (const auto& c : drift.columns) {
    o << "<tr><td><a href=\"#col-" << &c - drift.columns.data() << "\">" << Escape(c.column) << "</a></td><td>"
      << stats::ColumnKindName(c.kind) << "</td><td>" << stats::DriftMethodName(c.method) << "</td><td>"
      << Fixed(c.score) << "</td><td>" << Fixed(c.threshold, 3) << "</td><td"
      << (c.drifted ? " class=\"yes\">yes" : ">no") << "</td><td>" << c.reference_count << "</td><td>"
      << c.current_count << "</td></tr>\n";
  }
  o << "</table>\n<p class=\"legend\"><span style=\"background:#4c72b0\"></span>reference"
    << "<span style=\"background:#dd8452\"></span>current (share of values per bin or category)</p>\n";
  for (const auto& c : drift.columns) {
    o << "<section id=\"col-" << &c - drift.columns.data() << "\"><h2>" << Escape(c.column) << "</h2>\n<p>"
      << stats::ColumnKindName(c.kind) << ", " << c.distinct << " distinct values; "
      << stats::DriftMethodName(c.method) << " " << Fixed(c.score) << " against " << Fixed(c.threshold, 3) << ": "
      << (c.drifted ? "<span class=\"yes\">drifted</span>" : "no drift") << ".</p>\n";
    Chart(o, c.distribution);
    o << "</section>\n";
  }
  o << "</body></html>\n";
  return o.str();
}

std::string OutlierReportHtml(const std::string& data, const std::vector<double>& scores,
                              const std::vector<bool>& flagged_rows, double threshold, const std::vector<size_t>& top) {
  constexpr size_t kBins = 40;
  double lo = threshold, hi = threshold;
  for (double s : scores) {
    if (!std::isfinite(s)) continue;
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  }
  if (hi <= lo) hi = lo + 1e-9;
  // Shares of all rows per score bin, rows at or below the threshold apart
  // from the flagged ones (the two bars of each bin).
  stats::Distribution d;
  d.reference.assign(kBins, 0);
  d.current.assign(kBins, 0);
  size_t flagged = 0;
  for (size_t r = 0; r < scores.size(); ++r) {
    double s = scores[r];
    if (!std::isfinite(s)) continue;
    size_t b = std::min(kBins - 1, static_cast<size_t>((s - lo) / (hi - lo) * kBins));
    (flagged_rows[r] ? d.current : d.reference)[b] += 1.0 / static_cast<double>(scores.size());
    flagged += flagged_rows[r] ? 1 : 0;
  }
  for (size_t b = 0; b < kBins; ++b) {
    double a = lo + (hi - lo) * static_cast<double>(b) / kBins, z = lo + (hi - lo) * static_cast<double>(b + 1) / kBins;
    d.labels.push_back("[" + Fixed(a, 3) + ", " + Fixed(z, 3) + ")");
    d.edges.push_back(a);
  }
  d.edges.push_back(hi);  // binned: every bin is drawn
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Outlier screen: " << Escape(data)
    << "</title>\n<style>\n" << kPageStyle << "</style></head><body>\n";
  o << "<h1>Outlier screen</h1>\n<p>Data <code>" << Escape(data) << "</code>: " << scores.size()
    << " rows scored by an isolation forest (higher is more anomalous).</p>\n";
  o << "<p><strong>" << flagged << " rows flagged</strong> with a score above " << Fixed(threshold, 4) << ".</p>\n";
  o << "<p class=\"legend\"><span style=\"background:#4c72b0\"></span>rows at or below the threshold"
    << "<span style=\"background:#dd8452\"></span>flagged rows (share of all rows per score bin)</p>\n";
  Chart(o, d);
  o << "<section><h2>Most anomalous rows</h2>\n<table><tr><th>row</th><th>score</th><th>flagged</th></tr>\n";
  for (size_t r : top) {
    if (r >= scores.size()) continue;
    o << "<tr><td>" << r + 1 << "</td><td>" << Fixed(scores[r]) << "</td><td"
      << (flagged_rows[r] ? " class=\"yes\">yes" : ">no") << "</td></tr>\n";
  }
  o << "</table></section>\n</body></html>\n";
  return o.str();
}

}  // namespace custody::cli
