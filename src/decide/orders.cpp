#include "clearance/decide/orders.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "clearance/common/csv.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/common/strings.hpp"

namespace clearance {

namespace {

// The columns of an order book, and the names the `impact` layout (data/orders/sample-orders.csv)
// gives some of them: both layouts read alike.
constexpr const char* kOrderColumns[] = {"id",       "item",          "to",         "from",     "origin",
                                         "party",    "party_country", "exporter",   "end_use",  "buyer_hq",
                                         "quantity", "value",         "unit_value", "currency", "as_of",
                                         "date",     "region",        "eccn"};

std::string order_column(std::string_view raw) {
  std::string h = to_lower_ascii(trim(raw));
  if (h.size() >= 3 && h.compare(0, 3, "\xEF\xBB\xBF") == 0) h.erase(0, 3);  // a UTF-8 BOM
  for (auto& c : h)
    if (c == ' ' || c == '-') c = '_';
  if (h == "destination" || h == "destination_country") return "to";
  if (h == "customer" || h == "buyer") return "party";
  if (h == "customer_country") return "party_country";
  if (h == "unit_price") return "unit_value";
  return h;
}

std::vector<std::string> multi(std::string_view s) {
  std::vector<std::string> out;
  for (auto p : split(s, ';'))
    if (!trim(p).empty()) out.emplace_back(trim(p));
  return out;
}

}  // namespace

Result<std::vector<OrderRow>> parse_orders_csv(std::string_view text, std::string_view filename,
                                               std::optional<Date> default_as_of) {
  csv::Reader reader(text);
  csv::Record rec;
  auto st = reader.next(rec);
  if (st == csv::Reader::Status::kError)
    return Error::BadInput(std::string(filename) + ": " + reader.error());
  if (st == csv::Reader::Status::kEnd)
    return Error::BadInput(std::string(filename) + ": empty (expected a header row)");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    std::string h = order_column(rec.fields[i]);
    if (h.empty() && i + 1 == rec.fields.size()) continue;  // a trailing comma
    if (!col.emplace(h, i).second)
      return Error::BadInput(std::string(filename) + ":" + std::to_string(rec.line) + ": header: column '" +
                             h + "' given twice");
  }
  std::string known;
  for (const char* k : kOrderColumns) known += (known.empty() ? "" : ",") + std::string(k);
  for (const char* need : {"item", "to"})
    if (!col.count(need))
      return Error::BadInput(std::string(filename) + ":" + std::to_string(rec.line) + ": header: no '" +
                             need + "' column (columns: " + known + ")");
  // A column this reader does not know would be silently ignored: refuse it instead.
  for (const auto& [name, i] : col)
    if (std::find_if(std::begin(kOrderColumns), std::end(kOrderColumns),
                     [&column = name](const char* k) { return column == k; }) == std::end(kOrderColumns))
      return Error::BadInput(std::string(filename) + ":" + std::to_string(rec.line) +
                             ": header: unknown column '" + name + "' (columns: " + known +
                             "; also customer, customer_country, destination, "
                             "date, unit_value as `impact` order books name them)");
  const bool unit_values = col.count("unit_value") > 0;
  if (unit_values && col.count("value"))
    return Error::BadInput(std::string(filename) + ":" + std::to_string(rec.line) +
                           ": header: give either value or unit_value, not both");
  std::vector<OrderRow> rows;
  while (true) {
    st = reader.next(rec);
    if (st == csv::Reader::Status::kEnd) break;
    if (st == csv::Reader::Status::kError)
      return Error::BadInput(std::string(filename) + ":" + std::to_string(reader.error_line()) + ": " +
                             reader.error());
    auto get = [&](const char* name) -> std::string_view {
      auto it = col.find(name);
      return it == col.end() || it->second >= rec.fields.size() ? std::string_view()
                                                                : trim(rec.fields[it->second]);
    };
    OrderRow row;
    row.line = rec.line;
    row.id = std::string(get("id"));
    if (row.id.empty()) row.id = std::to_string(rows.size() + 1);
    auto bad = [&](const char* field, const std::string& msg) {
      row.error = std::string(filename) + ":" + std::to_string(rec.line) + ": " + field + ": " + msg;
    };
    Transaction t;
    t.id = row.id;
    for (auto& i : multi(get("item")))
      t.items.push_back(ItemLine{std::move(i), nullptr, std::nullopt, std::nullopt, {}});
    t.destination = std::string(get("to"));
    t.from = std::string(get("from"));
    t.origin = std::string(get("origin"));
    t.exporter = std::string(get("exporter"));
    t.buyer_hq = std::string(get("buyer_hq"));
    t.end_uses = multi(get("end_use"));
    t.region = std::string(get("region"));
    for (auto& line : t.items) line.eccn = std::string(get("eccn"));
    std::string party_country(get("party_country"));
    for (auto& p : multi(get("party")))
      t.parties.push_back({std::move(p), party_country, "party", false, {}});
    auto number = [&](const char* field, std::optional<double>& out) {
      std::string_view v = get(field);
      if (v.empty()) return true;
      std::string s(v);
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size() || !std::isfinite(d) || d < 0) {
        bad(field, "not a finite non-negative number: '" + s + "'");
        return false;
      }
      out = d;
      return true;
    };
    std::optional<double> quantity, value;
    // unit_value (the impact layout) gives the line's value as quantity × unit value.
    auto per_line_value = [&](const std::optional<double>& q, std::optional<double>& v) {
      if (!unit_values || !v) return true;
      if (!q) {
        bad("quantity", "empty (needed with unit_value)");
        return false;
      }
      v = *q * *v;
      if (!std::isfinite(*v)) {
        bad("unit_value", "quantity × unit_value overflows");
        return false;
      }
      return true;
    };
    const char* as_of_field = col.count("as_of") ? "as_of" : "date";  // without as_of: the order's date
    std::string_view as_of = get(as_of_field);
    if (t.items.empty()) {
      bad("item", "empty");
    } else if (t.destination.empty()) {
      bad("to", "empty");
    } else if (number("quantity", quantity) && number(unit_values ? "unit_value" : "value", value) &&
               per_line_value(quantity, value)) {
      if (!as_of.empty()) {
        if (auto dt = Date::parse(as_of))
          t.as_of = *dt;
        else
          bad(as_of_field, "bad date '" + std::string(as_of) + "' (expected YYYY-MM-DD)");
      } else if (default_as_of) {
        t.as_of = *default_as_of;
      } else {
        bad(as_of_field, "empty and no default date given");
      }
    }
    if (row.error.empty()) {
      // quantity and value describe the order line; with several items they apply to each.
      for (auto& it : t.items) {
        it.quantity = quantity;
        it.value = value;
      }
      row.tx = std::move(t);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void determine_orders(const Engine& engine, const std::vector<OrderRow>& rows, const PartyChecker* checker,
                      unsigned threads,
                      const std::function<void(size_t, const Result<Determination>&)>& sink) {
  constexpr size_t kChunk = 4096;  // bounds memory: results are handed over chunk by chunk
  std::vector<std::optional<Result<Determination>>> results;
  for (size_t start = 0; start < rows.size(); start += kChunk) {
    size_t n = std::min(kChunk, rows.size() - start);
    // The previous chunk's answers are replaced in place: each worker frees the answer in its slot
    // just before writing the next one (in parallel, and its memory is reused at once), instead
    // of the calling thread freeing a whole chunk alone between chunks.
    results.resize(n);
    parallel_for(n, threads, [&](size_t i) {
      const OrderRow& row = rows[start + i];
      if (row.tx)
        results[i].emplace(engine.determine(*row.tx, checker));
      else
        results[i].emplace(Error::BadInput(row.error));
    });
    for (size_t i = 0; i < n; ++i) sink(start + i, *results[i]);
  }
}

std::string order_summary_header() {
  return "id,overall,us_verdict,us_review_policy,cn_verdict,cn_review_policy,rules,error";
}

std::string order_summary_csv(const std::string& id, const Result<Determination>& r) {
  std::string line = csv::field(id) + ",";
  if (!r.ok()) return line + ",,,,,," + csv::field(r.error().message);
  const Determination& d = *r;
  line += std::string(to_string(d.overall));
  std::string rules;
  for (const char* j : {"US-EAR", "CN"}) {
    const JurisdictionResult* jr = nullptr;
    for (const auto& x : d.jurisdictions)
      if (x.jurisdiction == j) jr = &x;
    line += ",";
    if (jr) line += std::string(to_string(jr->verdict));
    line += ",";
    if (jr) line += std::string(to_string(jr->review_policy));
    if (jr)
      for (const auto& f : jr->rules) {
        Outcome o = f.rule->outcome;
        bool decisive = (o == Outcome::kLicenseRequired && f.overcome_by.empty()) ||
                        o == Outcome::kProhibited || o == Outcome::kLicenseException;
        if (decisive && rules.find(f.rule->id) == std::string::npos)
          rules += (rules.empty() ? "" : ";") + f.rule->id;
      }
  }
  return line + "," + csv::field(rules) + ",";
}

}  // namespace clearance
