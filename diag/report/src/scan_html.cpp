// The scan matrix: one self-contained page (no server, no network), hosts x layers, each cell
// coloured with its evidence on hover, a counts chart at the top, sorting (click a header) and
// filtering (text and minimum severity) by a small inline script. Every server or file text goes
// through htmlText.
#include <algorithm>
#include <sstream>

#include "rdpdoctor/report/scan_report.hpp"
#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {
namespace {

// the single-host report's look (render_html.cpp), plus the matrix's cells and chart
constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em "
    ".5em;text-align:left;white-space:nowrap}th{cursor:pointer;background:#f4f4f4}"
    "#matrix{font-size:.85em}"
    ".works,.ok{background:#c8f0c8}.fails,.bad{background:#f6caca}.skipped,.na{background:#eee;"
    "color:#666}.warn{background:#fff3c4}code{background:#f4f4f4;padding:.1em .3em}"
    ".chart{display:flex;gap:2em;flex-wrap:wrap;margin:1em 0}.bars div{display:flex;align-items:"
    "center;gap:.5em;margin:.15em 0}.bar{display:inline-block;height:1em;background:#5a8dd6}"
    ".bars .label{min-width:12em}.controls{margin:1em 0;display:flex;gap:1em}"
    "footer{margin-top:2em;color:#555;font-size:.9em}";

constexpr const char* kScript = R"JS(
(function(){
var table=document.getElementById('matrix'),body=table.tBodies[0];
var rank={'':0,info:1,low:2,medium:3,high:4};
function filter(){
  var text=document.getElementById('filter').value.toLowerCase();
  var min=rank[document.getElementById('severity').value]||0;
  var shown=0;
  Array.prototype.forEach.call(body.rows,function(r){
    var ok=r.textContent.toLowerCase().indexOf(text)>=0&&(rank[r.dataset.severity]||0)>=min;
    r.style.display=ok?'':'none'; if(ok)shown++;
  });
  document.getElementById('shown').textContent=shown+' of '+body.rows.length+' hosts';
}
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
  th.addEventListener('click',function(){
    var dir=th.dataset.dir==='asc'?-1:1; th.dataset.dir=dir>0?'asc':'desc';
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=a.cells[i].dataset.sort||a.cells[i].textContent,y=b.cells[i].dataset.sort||b.cells[i].textContent;
      var nx=x.trim()===''?NaN:Number(x),ny=y.trim()===''?NaN:Number(y);
      if(!isNaN(nx)&&!isNaN(ny))return (nx-ny)*dir;
      return x.localeCompare(y)*dir;
    });
    rows.forEach(function(r){body.appendChild(r);});
  });
});
// a link can carry the view: matrix.html#filter=TEXT&severity=high&sort=COLUMN
location.hash.slice(1).split('&').forEach(function(kv){
  var i=kv.indexOf('='); if(i<0)return;
  var k=kv.slice(0,i),v=decodeURIComponent(kv.slice(i+1));
  if(k==='filter')document.getElementById('filter').value=v;
  if(k==='severity')document.getElementById('severity').value=v;
  if(k==='sort')Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
    if(th.textContent===v)th.click();});
});
document.getElementById('filter').addEventListener('input',filter);
document.getElementById('severity').addEventListener('change',filter);
filter();
})();
)JS";

int severityRank(const ScanRow& r) {
  const auto* t = r.top();
  return t ? static_cast<int>(t->severity) + 1 : 0;
}

void cell(std::ostringstream& o, const std::string& cls, const std::string& text,
          const std::string& title, const std::string& sort = {}) {
  o << "<td class=\"" << cls << "\" title=\"" << htmlText(title) << "\"";
  if (!sort.empty()) o << " data-sort=\"" << htmlText(sort) << "\"";
  o << ">" << htmlText(text) << "</td>";
}

std::string negotiationEvidence(const ScanRow& r) {
  std::string s;
  for (const auto& [req, what] : r.negotiation) s += "request " + req + ": " + what + "\n";
  return s;
}

std::string reachEvidence(const ScanRow& r) {
  if (r.reach == "no-tcp") return "no address took the TCP connection";
  const std::string at = "probed " + r.address + ": ";
  if (r.reach == "silent") return at + "TCP connected, the X.224 request was never answered";
  if (r.reach == "not-rdp") return at + "TCP connected, the answer was not RDP";
  return at + "answered as an RDP host";
}

void row(std::ostringstream& o, const ScanRow& r, bool merged, bool compared, bool diagnosed) {
  const auto* top = r.top();
  o << "<tr data-severity=\"" << (top ? std::string(toString(top->severity)) : "") << "\">";
  cell(o, r.reachable ? "ok" : (r.address.empty() ? "bad" : "warn"),
       r.host + ":" + std::to_string(r.port), reachEvidence(r));
  cell(o, "", r.name + (r.tags.empty() ? "" : " [" + r.tags + "]"), r.tags);
  cell(o, r.tcp == "ok" ? "ok" : "bad", r.tcp, "TCP of the first address");
  std::string selected = r.negotiation.empty() ? "" : r.negotiation.front().second;
  const bool negOk =
      selected == "SSL" || selected == "HYBRID" || selected == "HYBRID_EX" || selected == "RDP";
  cell(o, r.negotiation.empty() ? "na" : (negOk ? (selected == "RDP" ? "warn" : "ok") : "bad"),
       selected.empty() ? "-" : selected, negotiationEvidence(r));
  cell(o, !r.reachable ? "na" : (r.nlaRequired ? "ok" : "warn"),
       !r.reachable ? "-" : (r.nlaRequired ? "required" : "not required"),
       r.nlaRequired ? "a request without HYBRID answered HYBRID_REQUIRED_BY_SERVER"
                     : "requests without HYBRID were answered without HYBRID_REQUIRED_BY_SERVER");
  for (const char* v : {"1.0", "1.1", "1.2", "1.3"}) {
    const auto it = r.tls.find(v);
    const std::string s = it == r.tls.end() ? "" : it->second;
    const bool legacy = std::string(v) == "1.0" || std::string(v) == "1.1";
    // refusing TLS 1.0/1.1 is what a host should do
    cell(o,
         s == "ok"        ? (legacy ? "warn" : "ok")
         : s == "refused" ? (legacy ? "ok" : "bad")
                          : (s.empty() || s == "not-offered" ? "na" : "bad"),
         s.empty() ? "-" : s, std::string("TLS ") + v);
  }
  if (r.certificateDaysLeft) {
    const auto d = *r.certificateDaysLeft;
    cell(o, d < 0 ? "bad" : (d < 30 ? "warn" : "ok"), std::to_string(d) + " days", r.certificate,
         std::to_string(d));
  } else {
    cell(o, "na", "-", "no certificate seen", "-99999");
  }
  cell(o, r.rdpMethods.empty() ? "na" : "warn",
       r.rdpMethods.empty() ? "-"
                            : r.rdpMethods + (r.rdpLevel.empty() ? "" : " (" + r.rdpLevel + ")"),
       "standard RDP security methods accepted");
  std::string all;
  for (const auto& f : r.findings)
    all += std::string(toString(f.severity)) + " " + f.id + ": " + f.evidence + "\n";
  const std::string sev = top ? std::string(toString(top->severity)) : "";
  cell(o, sev == "high" ? "bad" : (sev == "medium" || sev == "low" ? "warn" : "ok"),
       top ? sev + " " + top->id : "none", all, std::to_string(severityRank(r)));
  cell(o, r.answer == "works" ? "ok" : "bad", r.answer, r.verdict);
  if (diagnosed) {
    if (!r.diagnosed)
      cell(o, "na", "-",
           "not diagnosed: the probe showed no problem, or the host is not reachable");
    else
      cell(o, r.winner.empty() ? "bad" : "ok", r.winnerText(), r.diagnosis);
  }
  if (merged) cell(o, "", r.seenFrom, "the scan this row came from");
  if (compared) cell(o, r.changes.empty() ? "" : "warn", r.changes, "since the earlier scan");
  o << "</tr>";
}

void bars(std::ostringstream& o, const char* title, const nlohmann::json& counts, bool nested) {
  std::size_t max = 1;
  for (const auto& [k, v] : counts.items())
    max = std::max<std::size_t>(max, nested ? v.value("hosts", 0U) : v.get<std::size_t>());
  o << "<div class=\"bars\"><h3>" << title << "</h3>";
  for (const auto& [k, v] : counts.items()) {
    const std::size_t n = nested ? v.value("hosts", 0U) : v.get<std::size_t>();
    o << "<div><span class=\"label\">" << htmlText(k)
      << "</span><span class=\"bar\" style=\"width:" << (n * 200 / max)
      << "px\"></span><span class=\"count\">" << n << "</span></div>";
  }
  o << "</div>";
}

}  // namespace

std::string renderScanHtml(const std::vector<ScanRow>& rows, const nlohmann::json& summary) {
  std::ostringstream o;
  o << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>rdpdoctor scan of "
    << rows.size() << " hosts</title><style>" << kStyle << "</style></head><body>";
  const auto reach = summary.value("reach", nlohmann::json::object());
  o << "<h1>rdpdoctor scan: " << rows.size() << " hosts, " << summary.value("reachable", 0U)
    << " reachable";
  if (const auto silent = reach.value("silent", 0U); silent != 0) o << ", " << silent << " silent";
  o << "</h1><section class=\"chart\" id=\"chart\">";
  bars(o, "reach", reach, false);
  bars(o, "verdicts", summary.value("verdicts", nlohmann::json::object()), false);
  bars(o, "hosts by worst finding",
       summary.value("hosts_by_worst_severity", nlohmann::json::object()), false);
  bars(o, "findings", summary.value("findings", nlohmann::json::object()), true);
  if (summary.contains("changes"))
    bars(o, "changes since the earlier scan", summary["changes"], false);
  o << "</section><div class=\"controls\"><input id=\"filter\" placeholder=\"filter hosts\">"
       "<select id=\"severity\"><option value=\"\">any severity</option><option>low</option>"
       "<option>medium</option><option>high</option></select><span id=\"shown\"></span></div>";
  o << "<table id=\"matrix\"><thead><tr><th>host</th><th>name</th><th>TCP</th><th>negotiation</th>"
       "<th>NLA</th><th>TLS 1.0</th><th>TLS 1.1</th><th>TLS 1.2</th><th>TLS 1.3</th>"
       "<th>certificate</th><th>RDP security</th><th>top finding</th><th>verdict</th>";
  const bool merged =
      std::any_of(rows.begin(), rows.end(), [](const ScanRow& r) { return !r.seenFrom.empty(); });
  const bool compared = summary.contains("changes");
  const bool diagnosed =
      std::any_of(rows.begin(), rows.end(), [](const ScanRow& r) { return r.diagnosed; });
  if (diagnosed) o << "<th>winner</th>";
  if (merged) o << "<th>seen from</th>";
  if (compared) o << "<th>changes</th>";
  o << "</tr></thead><tbody>";
  for (const auto& r : rows) row(o, r, merged, compared, diagnosed);
  o << "</tbody></table><footer>made by rdpdoctor scan in " << summary.value("elapsed_ms", 0)
    << " ms</footer><script>" << kScript << "</script></body></html>\n";
  return o.str();
}

}  // namespace rdpdoctor
