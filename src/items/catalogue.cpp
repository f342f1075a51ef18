#include "clearance/items/catalogue.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/common/yaml.hpp"
#include "clearance/text/fold.hpp"

namespace clearance {

using namespace detail;

std::string item_key(std::string_view name) {
  std::string f = text::nfkc_casefold(trim(name));
  std::string out;
  bool space = false;
  for (char ch : f) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<unsigned char>(c - 'A' + 'a');
      keep = true;
    }
    if (keep) {
      if (space && !out.empty()) out += ' ';
      out += static_cast<char>(c);
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

namespace {

std::string compact(std::string_view key) {
  std::string out;
  for (char c : key)
    if (c != ' ') out += c;
  return out;
}

std::string digits_only(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9')
      out += c;
    else if (c != '.' && c != ' ' && c != '-')
      return {};
  }
  return out;
}

bool looks_like_code(std::string_view s) {
  if (s.size() < 5) return false;
  if (!(s[0] >= '0' && s[0] <= '9') || !(s[1] >= 'A' && s[1] <= 'Z')) return false;
  for (int i = 2; i < 5; ++i)
    if (!(s[i] >= '0' && s[i] <= '9')) return false;
  if (s.size() == 5) return true;
  if (s[5] != '.') return false;
  for (size_t i = 6; i < s.size(); ++i)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.')) return false;
  return s.back() != '.';
}

// Normalises "3a090.A" to "3A090.a".
std::string canonical_code(std::string_view s) {
  std::string out(trim(s));
  for (size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i < 5)
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    else
      c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

bool valid_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) return false;
  return true;
}

struct ItemDefaults {
  YAML::Node node;
};

// Reads the fields of one item (catalogue entry or spec file). `d` supplies defaults.
Item parse_item(std::string_view file, const YAML::Node& n, const YAML::Node& d, const std::string& f,
                const RuleSet& rules, bool spec) {
  check_keys(file, n, f,
             {"id",
              "name",
              "model",
              "vendor",
              "kind",
              "year",
              "synonyms",
              "names_zh",
              "description",
              "dense_tops",
              "die_area_mm2",
              "die_area_note",
              "memory_bandwidth_gbps",
              "interconnect_gbps",
              "datacenter",
              "hbm_bandwidth_gbps",
              "hbm_area_mm2",
              "contains",
              "contains_count",
              "eccn",
              "base_eccn",
              "base_eccn_confidence",
              "base_eccn_source",
              "subject_to_ear",
              "origin",
              "cn_category",
              "cn_control_code",
              "cn_catalogue_no",
              "cn_dual_use",
              "hs_codes",
              "citation",
              "source",
              "confidence",
              "notes",
              "reported"});
  auto get = [&](const char* key) -> YAML::Node {
    if (n[key].IsDefined() && !n[key].IsNull()) return n[key];
    if (d.IsDefined() && d.IsMap() && d[key].IsDefined() && !d[key].IsNull()) return d[key];
    return YAML::Node(YAML::NodeType::Undefined);
  };
  auto str = [&](const char* key) {
    auto v = get(key);
    return v.IsDefined() ? as_string(file, v, f + "." + key) : std::string();
  };
  auto opt_num = [&](const char* key) -> std::optional<double> {
    auto v = get(key);
    if (!v.IsDefined()) return std::nullopt;
    double x = as_number(file, v, f + "." + key);
    if (x < 0) fail(file, v, f + "." + key, "must not be negative");
    return x;
  };
  auto list = [&](const char* key) {
    auto v = get(key);
    return v.IsDefined() ? as_string_list(file, v, f + "." + key) : std::vector<std::string>{};
  };
  Item it;
  it.name = str("name");
  if (it.name.empty()) it.name = str("model");
  if (it.name.empty()) fail(file, n, f + ".name", "missing (required)");
  it.id = str("id");
  if (it.id.empty()) {
    if (!spec) fail(file, n, f + ".id", "missing (required)");
    it.id = "spec:" + item_key(it.name);
  } else if (!valid_id(it.id)) {
    fail(file, n["id"], f + ".id", "'" + it.id + "': ids use lower-case letters, digits, '-', '.', '_'");
  }
  it.vendor = str("vendor");
  it.kind = str("kind");
  if (it.kind.empty()) it.kind = spec ? "chip" : "";
  if (it.kind.empty()) fail(file, n, f + ".kind", "missing (required; or set defaults.kind)");
  if (!rules.item_kinds().count(it.kind)) {
    std::vector<std::string> kinds;
    for (const auto& [k, _] : rules.item_kinds()) kinds.push_back(k);
    fail(file, get("kind"), f + ".kind",
         "unknown item kind '" + it.kind + "'" + did_you_mean(it.kind, kinds));
  }
  if (auto y = get("year"); y.IsDefined()) it.year = static_cast<int>(as_number(file, y, f + ".year"));
  it.synonyms = list("synonyms");
  it.names_zh = list("names_zh");
  it.description = str("description");
  if (auto dt = get("dense_tops"); dt.IsDefined()) {
    const std::string df = f + ".dense_tops";
    auto add = [&](const std::string& p, double v, const YAML::Node& at) {
      std::string key = to_lower_ascii(trim(p));
      if (!rules.tpp().bit_lengths.count(key) && !rules.tpp().excluded.count(key)) {
        std::vector<std::string> known;
        for (const auto& [k, _] : rules.tpp().bit_lengths) known.push_back(k);
        for (const auto& [k, _] : rules.tpp().excluded) known.push_back(k);
        fail(file, at, df + "." + key,
             "unknown precision '" + key + "'" + did_you_mean(key, known) +
                 " (precisions are defined by the classification pack's tpp.bit_lengths)");
      }
      if (v < 0) fail(file, at, df + "." + key, "must not be negative");
      for (const auto& [q, _] : it.chip.dense_tops)
        if (q == key) fail(file, at, df + "." + key, "precision listed twice");
      it.chip.dense_tops.emplace_back(key, v);
    };
    if (dt.IsMap()) {
      for (auto kv = dt.begin(); kv != dt.end(); ++kv)
        add(as_string(file, kv->first, df), as_number(file, kv->second, df + "." + kv->first.Scalar()),
            kv->first);
    } else if (dt.IsScalar()) {  // "fp16=312;bf16=312", as in chips.tsv
      for (auto part : split(dt.Scalar(), ';')) {
        part = trim(part);
        if (part.empty()) continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos)
          fail(file, dt, df, "expected precision=TOPS pairs separated by ';'");
        YAML::Node v(std::string(trim(part.substr(eq + 1))));
        add(std::string(part.substr(0, eq)), as_number(file, v, df + "." + std::string(part.substr(0, eq))),
            dt);
      }
    } else {
      fail(file, dt, df, "expected {precision: TOPS, …} or \"fp16=312;bf16=312\"");
    }
  }
  it.chip.die_area_mm2 = opt_num("die_area_mm2");
  if (it.chip.die_area_mm2 && *it.chip.die_area_mm2 == 0)
    fail(file, get("die_area_mm2"), f + ".die_area_mm2", "must be positive");
  it.chip.die_area_note = str("die_area_note");
  it.chip.memory_bandwidth_gbps = opt_num("memory_bandwidth_gbps");
  it.chip.interconnect_gbps = opt_num("interconnect_gbps");
  if (auto v = get("datacenter"); v.IsDefined()) it.chip.datacenter = as_bool(file, v, f + ".datacenter");
  it.hbm_bandwidth_gbps = opt_num("hbm_bandwidth_gbps");
  it.hbm_area_mm2 = opt_num("hbm_area_mm2");
  it.contains = str("contains");
  if (auto v = get("contains_count"); v.IsDefined())
    it.contains_count = static_cast<int>(as_number(file, v, f + ".contains_count"));
  it.eccn = str("eccn");
  it.base_eccn = str("base_eccn");
  it.base_eccn_source = str("base_eccn_source");
  if (auto v = get("base_eccn_confidence"); v.IsDefined())
    it.base_eccn_confidence = as_confidence(file, v, f + ".base_eccn_confidence");
  else if (!it.base_eccn.empty() && !spec)
    fail(file, n, f + ".base_eccn_confidence", "missing (required with base_eccn: V, S or U)");
  if (!it.base_eccn.empty() && it.base_eccn_source.empty() && !spec)
    fail(file, n, f + ".base_eccn_source", "missing (required with base_eccn: where it was reported)");
  for (auto* e : {&it.eccn, &it.base_eccn})
    if (!e->empty() && *e != "EAR99" && !looks_like_code(*e))
      fail(file, n, f + (e == &it.eccn ? ".eccn" : ".base_eccn"),
           "'" + *e + "' is not an ECCN like 3A090.a or EAR99");
  if (auto v = get("subject_to_ear"); v.IsDefined())
    it.subject_to_ear = as_bool(file, v, f + ".subject_to_ear");
  it.origin = str("origin");
  if (!it.origin.empty() && !is_country_code(it.origin))
    fail(file, get("origin"), f + ".origin", "not an ISO alpha-2 code");
  it.cn_category = str("cn_category");
  it.cn_control_code = str("cn_control_code");
  if (!it.cn_control_code.empty() && !looks_like_code(it.cn_control_code))
    fail(file, get("cn_control_code"), f + ".cn_control_code",
         "'" + it.cn_control_code + "' is not a control code like 1C905.b");
  it.cn_catalogue_no = to_upper_ascii(str("cn_catalogue_no"));
  if (auto v = get("cn_dual_use"); v.IsDefined()) it.cn_dual_use = as_bool(file, v, f + ".cn_dual_use");
  it.hs_codes = list("hs_codes");
  for (auto& h : it.hs_codes)
    if (h.empty() || h.find_first_not_of("0123456789") != std::string::npos || h.size() < 4 || h.size() > 10)
      fail(file, get("hs_codes"), f + ".hs_codes", "'" + h + "' is not an HS code (4 to 10 digits)");
  it.citation = str("citation");
  it.source = str("source");
  it.notes = str("notes");
  if (auto v = get("confidence"); v.IsDefined())
    it.confidence = as_confidence(file, v, f + ".confidence");
  else if (!spec)
    fail(file, n, f + ".confidence", "missing (required: V, S or U)");
  if (it.kind == "chip" && it.chip.dense_tops.empty() && spec)
    fail(file, n, f + ".dense_tops", "a chip spec needs dense_tops (precision: TOPS)");
  if (it.kind == "system" && it.contains.empty())
    fail(file, n, f + ".contains", "a system names the chip it contains");
  return it;
}

}  // namespace

class CatalogueBuilder {
 public:
  static Result<std::shared_ptr<const Catalogue>> build(const std::vector<ItemSource>& sources,
                                                        const RuleSet& rules);
};

Result<std::shared_ptr<const Catalogue>> CatalogueBuilder::build(const std::vector<ItemSource>& sources,
                                                                 const RuleSet& rules) {
  auto cat = std::make_shared<Catalogue>();
  try {
    struct Where {
      std::string file;
      int line;
      std::string field;
    };
    std::vector<Where> where;
    std::vector<Item> items;
    for (const auto& src : sources) {
      YAML::Node doc = parse_yaml(src.text, src.path);
      std::string_view file = src.path;
      if (!doc.IsMap()) fail(file, doc, "", "an item file must be a mapping with kind: items");
      check_keys(file, doc, "", {"kind", "description", "defaults", "items"});
      std::string kind = get_string(file, doc, "kind", "kind", true);
      if (kind != "items") fail(file, doc["kind"], "kind", "expected 'items'");
      YAML::Node defaults = doc["defaults"];
      if (defaults.IsDefined() && !defaults.IsNull())
        check_keys(
            file, defaults, "defaults",
            {"kind", "vendor", "origin", "subject_to_ear", "cn_category", "cn_dual_use", "citation", "source",
             "confidence", "datacenter", "eccn", "base_eccn", "base_eccn_confidence", "base_eccn_source"});
      if (!doc["items"].IsDefined()) fail(file, doc, "items", "missing (required)");
      require_sequence(file, doc["items"], "items");
      for (size_t i = 0; i < doc["items"].size(); ++i) {
        const auto& n = doc["items"][i];
        std::string f = "items[" + std::to_string(i) + "]";
        items.push_back(parse_item(file, n, defaults, f, rules, false));
        where.push_back({src.path, line_of(n), f + " (" + items.back().id + ")"});
      }
    }
    // Ids, containment, then the name index.
    for (size_t i = 0; i < items.size(); ++i) {
      if (cat->by_id_.count(items[i].id))
        fail_at(where[i].file, where[i].line, where[i].field + ".id", "duplicate id '" + items[i].id + "'");
      cat->by_id_[items[i].id] = static_cast<int>(i);
    }
    for (size_t i = 0; i < items.size(); ++i) {
      Item& it = items[i];
      if (it.contains.empty()) continue;
      auto c = cat->by_id_.find(it.contains);
      if (c == cat->by_id_.end())
        fail_at(where[i].file, where[i].line, where[i].field + ".contains",
                "no item with id '" + it.contains + "'");
      const Item& chip = items[static_cast<size_t>(c->second)];
      if (chip.kind != "chip")
        fail_at(where[i].file, where[i].line, where[i].field + ".contains",
                "'" + it.contains + "' is not a chip");
      // A system is judged on the ICs it contains: take the chip's parameters unless it states its own.
      if (it.chip.dense_tops.empty()) it.chip.dense_tops = chip.chip.dense_tops;
      if (!it.chip.die_area_mm2) it.chip.die_area_mm2 = chip.chip.die_area_mm2;
      if (!it.chip.memory_bandwidth_gbps) it.chip.memory_bandwidth_gbps = chip.chip.memory_bandwidth_gbps;
      if (!it.chip.interconnect_gbps) it.chip.interconnect_gbps = chip.chip.interconnect_gbps;
      if (!it.chip.datacenter) it.chip.datacenter = chip.chip.datacenter;
    }
    std::map<std::string, size_t> key_owner;  // spaced key -> item, for conflict messages
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      auto add = [&](const std::string& text, const std::string& how) {
        std::string k = item_key(text);
        if (k.empty()) return;
        auto [pos, fresh] = cat->by_key_.emplace(k, std::make_pair(static_cast<int>(i), how));
        if (!fresh && pos->second.first != static_cast<int>(i))
          fail_at(where[i].file, where[i].line, where[i].field,
                  "the " + how + " '" + text + "' already names item '" +
                      items[static_cast<size_t>(pos->second.first)].id + "'");
        std::string c = compact(k);
        auto [cp, cfresh] = cat->by_compact_.emplace(c, static_cast<int>(i));
        if (!cfresh && cp->second != static_cast<int>(i)) cp->second = -1;
        if (how == "id") return;  // ids resolve but are not suggested
        cat->display_names_.push_back(text);
        cat->display_keys_.push_back(k);
        cat->display_item_.push_back(static_cast<int>(i));
      };
      add(it.id, "id");
      add(it.name, "name");
      if (!it.vendor.empty()) add(it.vendor + " " + it.name, "name");
      for (const auto& s : it.synonyms) {
        add(s, "synonym");
        if (!it.vendor.empty() && (it.kind == "chip" || it.kind == "system" || it.kind == "hbm"))
          add(it.vendor + " " + s, "synonym");
      }
      for (const auto& s : it.names_zh) add(s, "Chinese name");
      for (const auto& h : it.hs_codes) {
        auto& v = cat->by_hs_[h];
        if (std::find(v.begin(), v.end(), static_cast<int>(i)) == v.end()) v.push_back(static_cast<int>(i));
      }
      if (!it.cn_control_code.empty()) cat->by_code_[it.cn_control_code].push_back(static_cast<int>(i));
      if (!it.cn_catalogue_no.empty()) cat->by_code_[it.cn_catalogue_no].push_back(static_cast<int>(i));
    }
    for (auto& it : items) cat->items_.push_back(std::make_shared<const Item>(std::move(it)));
  } catch (const PackError& e) {
    return Error::BadInput(e.what());
  } catch (const YAML::Exception& e) {
    return Error::BadInput(std::string("item catalogue: ") + e.what());
  }
  return std::shared_ptr<const Catalogue>(std::move(cat));
}

Result<std::shared_ptr<const Catalogue>> Catalogue::load(const std::vector<ItemSource>& sources,
                                                         const RuleSet& rules) {
  return CatalogueBuilder::build(sources, rules);
}

Result<std::shared_ptr<const Catalogue>> Catalogue::load_dir(const std::string& dir, const RuleSet& rules,
                                                             Env& env) {
  auto paths = list_files(env, dir, {".yaml", ".yml"});
  if (!paths) return Error::BadInput(dir + ": not an item catalogue directory");
  std::vector<ItemSource> sources;
  for (const auto& p : *paths) {
    auto text = read_file(env, p, 64 << 20);
    if (!text) return text.error();
    sources.push_back({p, std::move(*text)});
  }
  return load(sources, rules);
}

const Item* Catalogue::find_id(std::string_view id) const {
  int i = index_of(id);
  return i < 0 ? nullptr : items_[static_cast<size_t>(i)].get();
}

int Catalogue::index_of(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? -1 : it->second;
}

Result<ItemMatch> Catalogue::resolve(std::string_view query) const {
  std::string q(trim(query));
  if (q.empty()) return Error::BadInput("empty item");
  auto pick_many = [&](const std::vector<int>& idx, const std::string& what) -> Result<ItemMatch> {
    if (idx.size() == 1) return ItemMatch{items_[static_cast<size_t>(idx[0])], what};
    std::string names;
    for (size_t i = 0; i < idx.size() && i < 12; ++i)
      names += (i ? "; " : "") + items_[static_cast<size_t>(idx[i])]->name;
    if (idx.size() > 12) names += "; …";
    return Error::BadInput(what + " is shared by " + std::to_string(idx.size()) + " items (" + names +
                           "): give the item's name instead");
  };
  std::string key = item_key(q);
  if (auto it = by_key_.find(key); it != by_key_.end())
    return ItemMatch{items_[static_cast<size_t>(it->second.first)], it->second.second};
  if (auto it = by_compact_.find(compact(key)); it != by_compact_.end() && it->second >= 0)
    return ItemMatch{items_[static_cast<size_t>(it->second)], "name"};
  if (auto it = by_code_.find(to_upper_ascii(q)); it != by_code_.end())
    return pick_many(it->second, "code " + to_upper_ascii(q));
  // China control codes (exact, or a prefix such as 1C905 for all its sub-items) and bare ECCNs.
  std::string code = canonical_code(q);
  if (looks_like_code(code)) {
    if (auto it = by_code_.find(code); it != by_code_.end())
      return pick_many(it->second, "control code " + code);
    std::vector<int> under;
    for (const auto& [c, idx] : by_code_)
      if (c.size() > code.size() && c.compare(0, code.size(), code) == 0 && c[code.size()] == '.')
        under.insert(under.end(), idx.begin(), idx.end());
    if (!under.empty()) {
      std::sort(under.begin(), under.end());
      return pick_many(under, "control code " + code);
    }
  }
  if (code == "EAR99" || (looks_like_code(code) && code[1] <= 'E')) {
    auto generic = std::make_shared<Item>();
    generic->id = "eccn:" + code;
    generic->name = code == "EAR99" ? "EAR99 item" : "item classified " + code;
    generic->kind = "generic";
    generic->eccn = code;
    generic->subject_to_ear = true;
    generic->origin = "US";
    generic->confidence = 'V';
    generic->notes = "generic item: only its classification is known";
    return ItemMatch{std::move(generic), "ECCN"};
  }
  std::string digits = digits_only(q);
  if (digits.size() >= 4 && digits.size() <= 10) {
    if (auto it = by_hs_.find(digits); it != by_hs_.end()) return pick_many(it->second, "HS code " + digits);
    std::vector<int> near;
    for (const auto& [h, idx] : by_hs_)
      if ((h.size() < digits.size() && digits.compare(0, h.size(), h) == 0) ||
          (h.size() > digits.size() && h.compare(0, digits.size(), digits) == 0))
        for (int i : idx)
          if (std::find(near.begin(), near.end(), i) == near.end()) near.push_back(i);
    if (!near.empty()) {
      std::sort(near.begin(), near.end());
      return pick_many(near, "HS code " + digits);
    }
    return Error::NotFound("unknown item '" + q + "': no catalogue item has HS code " + digits);
  }
  // Unknown: suggest near names by edit distance, then names containing the query.
  std::vector<std::string> keys;
  keys.reserve(display_names_.size());
  std::vector<std::pair<size_t, size_t>> scored;  // (distance, display index)
  size_t max_d = std::max<size_t>(2, key.size() / 3);
  for (size_t i = 0; i < display_names_.size(); ++i) {
    size_t d = edit_distance(key, display_keys_[i]);
    if (d <= max_d) scored.emplace_back(d, i);
  }
  std::stable_sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  std::set<int> seen;
  for (auto [d, i] : scored) {
    if (!seen.insert(display_item_[i]).second) continue;
    out.push_back(display_names_[i]);
    if (out.size() == 5) break;
  }
  if (out.size() < 5 && key.size() >= 3)
    for (size_t i = 0; i < display_names_.size() && out.size() < 5; ++i)
      if (display_keys_[i].find(key) != std::string::npos && seen.insert(display_item_[i]).second)
        out.push_back(display_names_[i]);
  std::string msg = "unknown item '" + q + "'";
  if (!out.empty()) {
    msg += " (did you mean ";
    for (size_t i = 0; i < out.size(); ++i) msg += (i ? ", " : "") + std::string("'") + out[i] + "'";
    msg += "?)";
  }
  return Error::NotFound(msg);
}

Result<Item> Catalogue::parse_spec(std::string_view text, std::string_view filename, const RuleSet& rules) {
  try {
    YAML::Node doc = parse_yaml(text, filename);
    if (!doc.IsMap())
      fail(filename, doc, "", "a spec is a mapping of chip fields (name, dense_tops, die_area_mm2 …)");
    Item it = parse_item(filename, doc, YAML::Node(YAML::NodeType::Undefined), "", rules, true);
    if (it.kind == "system") fail(filename, doc, "kind", "a spec describes one chip (or hbm), not a system");
    if (!doc["subject_to_ear"].IsDefined()) it.subject_to_ear = true;
    if (it.origin.empty()) it.origin = "US";
    if (!doc["confidence"].IsDefined()) it.confidence = 'U';
    if (it.source.empty()) it.source = std::string(filename);
    return it;
  } catch (const PackError& e) {
    return Error::BadInput(e.what());
  } catch (const YAML::Exception& e) {
    return Error::BadInput(std::string(filename) + ": " + e.what());
  }
}

}  // namespace clearance
