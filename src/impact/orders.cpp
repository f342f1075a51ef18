#include "clearance/impact/orders.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "clearance/common/csv.hpp"
#include "clearance/common/date.hpp"
#include "clearance/common/strings.hpp"

namespace clearance {

namespace {

// Column names as written in files → the names used here.
const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> m = {
      {"to", "destination"},
      {"destination_country", "destination"},
      {"dest", "destination"},
      {"party", "customer"},
      {"buyer", "customer"},
      {"customer_name", "customer"},
      {"party_country", "customer_country"},
      {"qty", "quantity"},
      {"unit_price", "unit_value"},
      {"order_date", "date"},
      {"order_id", "id"},
      {"end_uses", "end_use"},
  };
  return m;
}

constexpr const char* kRequired[] = {"destination", "item", "quantity", "unit_value", "currency"};
constexpr const char* kKnown[] = {"id",          "date",   "exporter", "customer",   "customer_country",
                                  "destination", "item",   "quantity", "unit_value", "currency",
                                  "from",        "origin", "buyer_hq", "end_use"};

std::string normalize_column(std::string_view h) {
  std::string s = to_lower_ascii(trim(h));
  if (s.size() >= 3 && s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.erase(0, 3);
  for (auto& c : s)
    if (c == ' ' || c == '-') c = '_';
  auto it = aliases().find(s);
  return it == aliases().end() ? s : it->second;
}

// A finite, non-negative decimal number ("12", "0.5", "1e3"); no sign, no thousands separators.
bool parse_amount(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = b + s.size();
  auto [p, ec] = std::from_chars(b, e, out, std::chars_format::general);
  return ec == std::errc() && p == e && std::isfinite(out) && out >= 0;
}

std::string quoted(std::string_view s) {
  constexpr size_t kMax = 60;
  std::string v(s.substr(0, kMax));
  // Keep messages single-line and valid UTF-8 whatever the input held.
  for (auto& c : v)
    if (c == '\n' || c == '\r') c = ' ';
  v = sanitize_utf8(v);
  return "'" + v + (s.size() > kMax ? "…'" : "'");
}

}  // namespace

std::string normalize_currency(std::string_view s) {
  s = trim(s);
  if (s.size() != 3) return {};
  std::string out;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return {};
    out += static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
  }
  return out;
}

struct OrderReader::Impl {
  std::unique_ptr<csv::StreamReader> stream;
  std::string filename;
  std::string error;
  std::vector<std::string> columns;
  std::map<std::string, size_t> col;
  size_t rows = 0;
  size_t line_shift = 0;
  csv::Record rec;

  csv::Reader::Status next_record() {
    auto st = stream->next(rec);
    if (st == csv::Reader::Status::kError) error = stream->error();
    return st;
  }
};

OrderReader::OrderReader() : impl_(std::make_unique<Impl>()) {}
OrderReader::~OrderReader() = default;

Result<std::unique_ptr<OrderReader>> OrderReader::open(std::istream& in, std::string filename,
                                                       OrderReaderOptions options) {
  std::unique_ptr<OrderReader> r(new OrderReader());
  Impl& m = *r->impl_;
  m.filename = filename;
  m.line_shift = options.line_shift;
  csv::StreamOptions so;
  so.chunk_bytes = options.chunk_bytes;
  so.max_record_bytes = options.max_record_bytes;
  m.stream = std::make_unique<csv::StreamReader>(in, std::move(filename), so);
  auto st = m.next_record();
  if (st == csv::Reader::Status::kError) return Error::BadInput(m.error);
  if (st == csv::Reader::Status::kEnd) return Error::BadInput(m.filename + ": empty (expected a header row)");
  for (size_t i = 0; i < m.rec.fields.size(); ++i) {
    std::string name = normalize_column(m.rec.fields[i]);
    if (name.empty()) {
      m.columns.push_back(name);
      continue;
    }
    if (!m.col.emplace(name, i).second)
      return Error::BadInput(m.filename + ":" + std::to_string(m.rec.line) + ": header: column '" + name +
                             "' given twice");
    m.columns.push_back(name);
  }
  std::string expected;
  for (const char* k : kKnown) expected += (expected.empty() ? "" : ",") + std::string(k);
  for (const char* need : kRequired)
    if (!m.col.count(need))
      return Error::BadInput(m.filename + ":" + std::to_string(m.rec.line) + ": header: no '" + need +
                             "' column (columns: " + expected + ")");
  return r;
}

const std::string& OrderReader::error() const { return impl_->error; }
const std::string& OrderReader::filename() const { return impl_->filename; }
const std::vector<std::string>& OrderReader::columns() const { return impl_->columns; }
size_t OrderReader::rows() const { return impl_->rows; }

OrderReader::Status OrderReader::next(Order& o, RowError& err) {
  Impl& m = *impl_;
  auto st = m.next_record();
  if (st == csv::Reader::Status::kEnd) return Status::kEnd;
  if (st == csv::Reader::Status::kError) return Status::kError;
  ++m.rows;
  const csv::Record& rec = m.rec;
  const size_t line = rec.line + m.line_shift;
  auto get = [&](const char* name) -> std::string_view {
    auto it = m.col.find(name);
    return it == m.col.end() || it->second >= rec.fields.size() ? std::string_view()
                                                                : trim(rec.fields[it->second]);
  };
  o = Order{};
  o.line = line;
  o.id = std::string(get("id"));
  auto bad = [&](const char* field, const std::string& msg) {
    err = RowError{};
    err.line = line;
    err.id = o.id;
    err.field = field;
    err.message = m.filename + ":" + std::to_string(line) + ": " + field + ": " + msg;
    return Status::kBadRow;
  };
  if (rec.fields.size() != m.columns.size())
    return bad("row", "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                          std::to_string(m.columns.size()) + " (a value with a comma must be quoted)");
  for (size_t i = 0; i < rec.fields.size(); ++i)
    if (size_t at = find_invalid_utf8(rec.fields[i]); at != std::string_view::npos) {
      const std::string& name = m.columns[i];
      o.id = sanitize_utf8(o.id);
      return bad(name.empty() ? "row" : name.c_str(), "invalid UTF-8 at byte " + std::to_string(at + 1));
    }
  if (o.id.empty()) o.id = "line " + std::to_string(line);
  o.date = std::string(get("date"));
  o.exporter = std::string(get("exporter"));
  o.customer = std::string(get("customer"));
  o.customer_country = std::string(get("customer_country"));
  o.destination = std::string(get("destination"));
  o.item = std::string(get("item"));
  o.from = std::string(get("from"));
  o.origin = std::string(get("origin"));
  o.buyer_hq = std::string(get("buyer_hq"));
  for (auto p : split(get("end_use"), ';'))
    if (!trim(p).empty()) o.end_uses.emplace_back(trim(p));

  if (o.item.empty()) return bad("item", "empty");
  if (o.destination.empty()) return bad("destination", "empty");
  if (!o.date.empty() && !Date::parse(o.date))
    return bad("date", "bad date " + quoted(o.date) + " (expected YYYY-MM-DD)");
  std::string_view q = get("quantity");
  if (q.empty()) return bad("quantity", "empty");
  if (!parse_amount(q, o.quantity)) return bad("quantity", "not a non-negative number: " + quoted(q));
  std::string_view u = get("unit_value");
  if (u.empty()) return bad("unit_value", "empty");
  if (!parse_amount(u, o.unit_value)) return bad("unit_value", "not a non-negative number: " + quoted(u));
  std::string_view c = get("currency");
  if (c.empty()) return bad("currency", "empty");
  o.currency = normalize_currency(c);
  if (o.currency.empty())
    return bad("currency", "expected a three-letter ISO 4217 code such as USD, got " + quoted(c));
  // Each number may be finite while their product is not; one such order would turn every total
  // it is added to into inf.
  if (!std::isfinite(o.value())) return bad("unit_value", "quantity × unit_value overflows");
  return Status::kOrder;
}

Result<RateTable> RateTable::parse(std::string_view text, std::string_view filename, std::string_view base) {
  std::string file(filename);
  RateTable t;
  t.base = normalize_currency(base);
  if (t.base.empty())
    return Error::BadInput("base currency: expected a three-letter ISO 4217 code, got " + quoted(base));
  csv::Reader reader(text);
  csv::Record rec;
  auto st = reader.next(rec);
  if (st == csv::Reader::Status::kError)
    return Error::BadInput(file + ":" + std::to_string(reader.error_line()) + ": " + reader.error());
  if (st == csv::Reader::Status::kEnd)
    return Error::BadInput(file + ": empty (expected a header row 'currency,rate')");
  long ci = -1, ri = -1;
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    std::string h = normalize_column(rec.fields[i]);
    if (h == "currency") ci = static_cast<long>(i);
    if (h == "rate") ri = static_cast<long>(i);
  }
  if (ci < 0 || ri < 0)
    return Error::BadInput(file + ":" + std::to_string(rec.line) +
                           ": header: expected columns 'currency,rate'");
  std::map<std::string, size_t> seen;
  for (;;) {
    st = reader.next(rec);
    if (st == csv::Reader::Status::kEnd) break;
    if (st == csv::Reader::Status::kError)
      return Error::BadInput(file + ":" + std::to_string(reader.error_line()) + ": " + reader.error());
    auto field = [&](long i) {
      return static_cast<size_t>(i) < rec.fields.size() ? trim(rec.fields[static_cast<size_t>(i)])
                                                        : std::string_view();
    };
    std::string where = file + ":" + std::to_string(rec.line) + ": ";
    std::string cur = normalize_currency(field(ci));
    if (cur.empty())
      return Error::BadInput(where + "currency: expected a three-letter ISO 4217 code, got " +
                             quoted(field(ci)));
    double rate = 0;
    if (!parse_amount(field(ri), rate) || rate <= 0)
      return Error::BadInput(where + "rate: not a positive number: " + quoted(field(ri)));
    if (auto [it, fresh] = seen.emplace(cur, rec.line); !fresh)
      return Error::BadInput(where + "currency: " + cur + " given twice (first on line " +
                             std::to_string(it->second) + ")");
    if (cur == t.base && std::fabs(rate - 1.0) > 1e-12)
      return Error::BadInput(where + "rate: the base currency " + cur + " must have rate 1");
    t.rates[cur] = rate;
  }
  t.rates[t.base] = 1.0;
  return t;
}

}  // namespace clearance
