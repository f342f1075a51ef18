#include "lists/formats/us_source.hpp"

#include <algorithm>

#include "clearance/common/strings.hpp"

namespace clearance::formats {

SourceTable::SourceTable(const SourceFile& file, const LoadOptions& options, const TableLayout& layout,
                         LoadReport& report)
    : file_(file),
      options_(options),
      layout_(layout),
      report_(report),
      errors_(options, report),
      reader_(file.contents, csv::Options{layout.separator, options.max_record_bytes}) {}

Error SourceTable::reader_error() const {
  return Error::BadInputAt(file_.path, reader_.error_line(), "", reader_.error());
}

Status SourceTable::open() {
  const std::string& path = file_.path;
  std::string_view body = file_.contents;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if (trim(body).empty()) return Error::BadInputAt(path, 0, "", "file is empty");
  auto st = reader_.next(rec_);
  if (st == csv::Reader::Status::kError) return reader_error();
  if (st == csv::Reader::Status::kEnd) return Error::BadInputAt(path, 0, "", "file is empty");
  if (auto bad = invalid_utf8_at(rec_.raw); bad != std::string_view::npos)
    return Error::BadInputAt(path, rec_.line, "header", invalid_utf8_message(rec_.raw, bad));
  for (size_t i = 0; i < rec_.fields.size(); ++i) {
    std::string_view h = trim(rec_.fields[i]);
    if (i == 0 && h.starts_with("\xEF\xBB\xBF")) h = trim(h.substr(3));
    header_.emplace_back(h);
    lower_.push_back(to_lower_ascii(h));
    if (!h.empty()) named_ = i + 1;
  }
  for (auto req : layout_.required)
    if (col(req) < 0)
      return Error::BadInputAt(
          path, rec_.line, "",
          "header has no '" + std::string(req) + "' column: not a " + std::string(layout_.what) + " file");
  name_col_ = col(layout_.name_column);
  int last = col(layout_.last_required);
  if (name_col_ < 0 || last < 0)
    return Error::Internal(path + ": " + std::string(layout_.what) +
                           " layout names a column it does not require");
  min_fields_ = static_cast<size_t>(std::max(last, name_col_)) + 1;
  return Status::Ok();
}

int SourceTable::col(std::string_view lower_name) const {
  for (size_t i = 0; i < lower_.size(); ++i)
    if (lower_[i] == lower_name) return static_cast<int>(i);
  return -1;
}

std::string_view SourceTable::get(int c) const {
  if (c < 0 || static_cast<size_t>(c) >= rec_.fields.size()) return {};
  return rec_.fields[static_cast<size_t>(c)];
}

std::string repair_c1_controls(std::string_view s, bool* changed) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b == 0xC2 && i + 1 < s.size()) {
      auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x9F) {
        out += latin1_to_utf8(s.substr(i + 1, 1));
        if (changed) *changed = true;
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string SourceTable::text(int c) {
  auto v = get(c);
  if (v.find('\xC2') == std::string_view::npos) return clean(v);
  bool changed = false;
  std::string repaired = repair_c1_controls(v, &changed);
  if (changed && !c1_noted_) {
    c1_noted_ = true;
    note(col_name(c),
         "C1 control characters (U+0080-U+009F) read as the Windows-1252 punctuation they stand for "
         "(first of this file)");
  }
  return clean(repaired);
}

std::string SourceTable::col_name(int c) const {
  if (c >= 0 && static_cast<size_t>(c) < header_.size() && !header_[static_cast<size_t>(c)].empty())
    return header_[static_cast<size_t>(c)];
  return "column " + std::to_string(c + 1);
}

void SourceTable::note(std::string_view field, std::string message) {
  errors_.note(file_.path, rec_.line, field, std::move(message));
}

Result<bool> SourceTable::next() {
  const std::string& path = file_.path;
  for (;;) {
    auto st = reader_.next(rec_);
    if (st == csv::Reader::Status::kError) return reader_error();
    if (st == csv::Reader::Status::kEnd) return false;
    ++report_.rows;
    const auto& f = rec_.fields;
    const size_t n = f.size();
    auto column_name = [&](size_t i) { return col_name(static_cast<int>(i)); };
    if (n > header_.size() || n < min_fields_) {
      std::string expected =
          n > header_.size() ? (header_.size() == named_ ? "" : "at most ") + std::to_string(header_.size())
                             : std::to_string(named_);
      if (auto e = errors_.skip(path, rec_.line, "",
                                "expected " + expected + " fields, found " + std::to_string(n)))
        return *e;
      continue;
    }
    size_t stray = n;
    for (size_t i = 0; i < n && stray == n; ++i)
      if (header_[i].empty() && !trim(f[i]).empty()) stray = i;
    if (stray != n) {
      if (auto e = errors_.skip(path, rec_.line, column_name(stray),
                                "a value under an empty header cell: the row does not fit the header"))
        return *e;
      continue;
    }
    if (invalid_utf8_at(rec_.raw) != std::string_view::npos) {
      size_t i = 0, at = std::string_view::npos;
      for (; i < n; ++i)
        if ((at = invalid_utf8_at(f[i])) != std::string_view::npos) break;
      std::string field;
      std::string message;
      size_t line = rec_.line;
      if (i == n) {  // not inside a field (cannot happen with ASCII separators; kept for safety)
        at = invalid_utf8_at(rec_.raw);
        message = invalid_utf8_message(rec_.raw, at);
      } else {
        field = column_name(i);
        message = invalid_utf8_message(f[i], at);
        for (size_t k = 0; k < at && k < f[i].size(); ++k)  // the line of the byte in a multi-line field
          if (f[i][k] == '\n') ++line;
      }
      if (auto e = errors_.skip(path, line, field, std::move(message))) return *e;
      continue;
    }
    if (std::all_of(f.begin(), f.end(), [](std::string_view v) { return trim(v).empty(); })) {
      errors_.ignore(path, rec_.line, "", "empty row");
      continue;
    }
    if (trim(get(name_col_)).empty()) {
      if (auto e = errors_.skip(path, rec_.line, header_[static_cast<size_t>(name_col_)], "missing name"))
        return *e;
      continue;
    }
    if (n < named_) {
      std::string missing;
      for (size_t i = n; i < named_; ++i) {
        if (header_[i].empty()) continue;
        if (!missing.empty()) missing += ", ";
        missing += header_[i];
      }
      note("", std::to_string(n) + " fields, expected " + std::to_string(named_) + ": " + missing +
                   " read as empty");
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Names with inline aliases

namespace {

struct Marker {
  std::string_view text;  // lower case
  NameKind kind;
};
constexpr Marker kMarkers[] = {
    {"a.k.a.", NameKind::kAka}, {"a/k/a", NameKind::kAka},
    {"aka:", NameKind::kAka},   {"also known as", NameKind::kAka},
    {"d/b/a", NameKind::kAka},  {"d.b.a.", NameKind::kAka},
    {"n.k.a.", NameKind::kAka}, {"f.k.a.", NameKind::kFka},
    {"f/k/a", NameKind::kFka},  {"formerly known as", NameKind::kFka},
};

bool boundary_after(std::string_view s, size_t pos) {
  return pos >= s.size() || s[pos] == ' ' || s[pos] == ',' || s[pos] == ':' || s[pos] == ')' ||
         s[pos] == '\t';
}
bool boundary_before(std::string_view s, size_t pos) {
  return pos == 0 || s[pos - 1] == ' ' || s[pos - 1] == ',' || s[pos - 1] == '(' || s[pos - 1] == ';';
}

// The marker starting exactly at `pos` of the lower-case text, or nullptr.
const Marker* marker_at(std::string_view lower, size_t pos) {
  for (auto& m : kMarkers)
    if (lower.substr(pos).starts_with(m.text) && boundary_before(lower, pos) &&
        (m.text.back() == ':' || boundary_after(lower, pos + m.text.size())))
      return &m;
  return nullptr;
}

std::string tidy_alias(std::string_view s) {
  std::string t = clean(s);
  auto strip = [](char c) { return c == ',' || c == ';' || c == ':' || c == ' ' || c == '"' || c == '\''; };
  size_t b = 0, e = t.size();
  while (b < e && strip(t[b])) ++b;
  while (e > b && strip(t[e - 1])) --e;
  return t.substr(b, e - b);
}

void push_aliases(InlineAliases& out, std::string_view text, NameKind kind) {
  for (auto& part : split_trimmed(text, ";")) {
    auto a = tidy_alias(part);
    if (!a.empty()) out.aliases.emplace_back(std::move(a), kind);
  }
}

}  // namespace

InlineAliases split_inline_aliases(std::string_view name) {
  InlineAliases out;
  std::string s = clean(name);
  // Parenthesised clauses: "X (a.k.a. Y; Z)", "PEARL (A.K.A. NEI-CHIEN CHU) LI".
  size_t from = 0;
  for (;;) {
    size_t open = s.find('(', from);
    if (open == std::string::npos) break;
    std::string lower = to_lower_ascii(s);
    size_t p = open + 1;
    while (p < s.size() && s[p] == ' ') ++p;
    const Marker* m = marker_at(lower, p);
    if (!m) {
      from = open + 1;
      continue;
    }
    size_t close = s.find(')', p);
    size_t content = p + m->text.size();
    size_t content_end = close == std::string::npos ? s.size() : close;
    push_aliases(out, std::string_view(s).substr(content, content_end - content), m->kind);
    s.erase(open, (close == std::string::npos ? s.size() : close + 1) - open);
    s = clean(s);
    from = open > 0 ? open - 1 : 0;
  }
  // Inline clauses: "X, a.k.a. Y, a.k.a. Z", "X A/K/A Y", "X D/B/A Y".
  std::string lower = to_lower_ascii(s);
  std::string head;
  bool have_head = false;
  NameKind kind = NameKind::kPrimary;
  size_t seg = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    const Marker* m = i < s.size() ? marker_at(lower, i) : nullptr;
    if (i < s.size() && !m) continue;
    std::string_view piece = std::string_view(s).substr(seg, i - seg);
    if (!have_head) {
      head = tidy_alias(piece);
      have_head = true;
    } else {
      auto a = tidy_alias(piece);
      if (!a.empty()) out.aliases.emplace_back(std::move(a), kind);
    }
    if (!m) break;
    kind = m->kind;
    seg = i + m->text.size();
    i = seg - 1;
  }
  out.name = head;
  if (out.name.empty()) {  // nothing but aliases: keep the name as written
    out.name = clean(name);
    out.aliases.clear();
  }
  return out;
}

void add_name_with_aliases(Party& p, std::string_view name, NameKind kind) {
  auto split = split_inline_aliases(name);
  add_name(p, split.name, kind);
  for (auto& [alias, k] : split.aliases) add_name(p, alias, k);
}

std::string join_address(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) {
    auto t = clean(part);
    while (!t.empty() && (t.back() == ',' || t.back() == ';')) t.pop_back();
    if (t.empty()) continue;
    if (!out.empty()) out += ", ";
    out += t;
  }
  return out;
}

std::string resolve_country_cell(SourceTable& t, const CountryTable& countries, int col,
                                 std::string* unresolved) {
  auto raw = t.text(col);
  if (raw.empty()) return {};
  if (auto code = countries.resolve(raw)) return *code;
  if (unresolved) *unresolved = raw;
  t.note(t.col_name(col), "'" + raw + "' is not a known country; kept as text");
  return {};
}

}  // namespace clearance::formats
