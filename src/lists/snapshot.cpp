#include "clearance/lists/snapshot.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"

namespace clearance {
namespace {

constexpr char kMagic[8] = {'C', 'L', 'R', 'S', 'N', 'A', 'P', '\0'};
constexpr std::uint8_t kVersion = 1;
constexpr int kManifestVersion = 1;
constexpr char kManifestFile[] = "manifest.json";
constexpr char kPrevManifestFile[] = "manifest.json.prev";
constexpr char kHistoryFile[] = "history.json";

bool valid_list_name(std::string_view name) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return c != '/' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7F;
  });
}

class Writer {
 public:
  void u64(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7F) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  void u8(std::uint8_t v) { out_ += static_cast<char>(v); }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  void strs(const std::vector<std::string>& v) {
    u64(v.size());
    for (auto& s : v) str(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool u64(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return false;
      auto b = static_cast<std::uint8_t>(in_[pos_++]);
      v |= std::uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool u8(std::uint8_t& v) {
    if (pos_ >= in_.size()) return false;
    v = static_cast<std::uint8_t>(in_[pos_++]);
    return true;
  }
  bool str(std::string& s) {
    std::uint64_t n;
    if (!u64(n) || n > in_.size() - pos_) return false;
    s.assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool strs(std::vector<std::string>& v) {
    std::uint64_t n;
    if (!u64(n) || n > in_.size() - pos_) return false;
    v.resize(n);
    for (auto& s : v)
      if (!str(s)) return false;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }
  // Every record takes at least one byte, so a count above the bytes left is corrupt.
  bool plausible_count(std::uint64_t n) const { return n <= in_.size() - pos_; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

void encode_party(Writer& w, const Party& p) {
  w.str(p.id);
  w.str(p.list);
  w.u8(static_cast<std::uint8_t>(p.type));
  w.u64(p.names.size());
  for (auto& n : p.names) {
    w.str(n.text);
    w.u8(static_cast<std::uint8_t>(n.kind));
    w.u8(static_cast<std::uint8_t>(n.script));
  }
  w.u64(p.addresses.size());
  for (auto& a : p.addresses) {
    w.str(a.text);
    w.str(a.country);
  }
  w.strs(p.countries);
  w.u64(p.ids.size());
  for (auto& i : p.ids) {
    w.str(i.type);
    w.str(i.number);
    w.str(i.country);
  }
  w.strs(p.programs);
  w.str(p.listed_on);
  w.strs(p.birth_dates);
  w.str(p.citation);
  w.str(p.license_requirement);
  w.str(p.license_policy);
  w.str(p.remarks);
  w.str(p.source_url);
}

bool decode_party(Reader& r, Party& p) {
  std::uint8_t b;
  std::uint64_t n;
  // Enumerations are range-checked: a byte outside them is a damaged or foreign file, not a value.
  if (!r.str(p.id) || !r.str(p.list) || !r.u8(b) || b > static_cast<std::uint8_t>(PartyType::kAircraft))
    return false;
  p.type = static_cast<PartyType>(b);
  if (!r.u64(n) || !r.plausible_count(n)) return false;
  p.names.resize(n);
  for (auto& nm : p.names) {
    std::uint8_t k, s;
    if (!r.str(nm.text) || !r.u8(k) || !r.u8(s) || k > static_cast<std::uint8_t>(NameKind::kWeak) ||
        s > static_cast<std::uint8_t>(Script::kMixed))
      return false;
    nm.kind = static_cast<NameKind>(k);
    nm.script = static_cast<Script>(s);
  }
  if (!r.u64(n) || !r.plausible_count(n)) return false;
  p.addresses.resize(n);
  for (auto& a : p.addresses)
    if (!r.str(a.text) || !r.str(a.country)) return false;
  if (!r.strs(p.countries) || !r.u64(n) || !r.plausible_count(n)) return false;
  p.ids.resize(n);
  for (auto& i : p.ids)
    if (!r.str(i.type) || !r.str(i.number) || !r.str(i.country)) return false;
  return r.strs(p.programs) && r.str(p.listed_on) && r.strs(p.birth_dates) && r.str(p.citation) &&
         r.str(p.license_requirement) && r.str(p.license_policy) && r.str(p.remarks) && r.str(p.source_url);
}

void encode_info(Writer& w, const SnapshotInfo& i) {
  w.str(i.id);
  w.str(i.name);
  w.str(i.format);
  w.str(i.source_date);
  w.str(i.imported_at);
  w.strs(i.files);
  w.u64(i.entries);
  w.u64(i.names);
  w.u64(i.rows);
  w.u64(i.skipped);
  w.u64(i.orphans);
}

bool decode_info(Reader& r, SnapshotInfo& i) {
  return r.str(i.id) && r.str(i.name) && r.str(i.format) && r.str(i.source_date) && r.str(i.imported_at) &&
         r.strs(i.files) && r.u64(i.entries) && r.u64(i.names) && r.u64(i.rows) && r.u64(i.skipped) &&
         r.u64(i.orphans);
}

nlohmann::json info_to_json(const SnapshotInfo& i) {
  return {{"id", i.id},
          {"name", i.name},
          {"format", i.format},
          {"source_date", i.source_date},
          {"imported_at", i.imported_at},
          {"files", i.files},
          {"entries", i.entries},
          {"names", i.names},
          {"rows", i.rows},
          {"skipped", i.skipped},
          {"orphans", i.orphans}};
}

// Reads one manifest entry, checking every member's type: a hand-edited or damaged manifest gives an
// error naming the entry and field, never an exception.
std::optional<std::string> info_from_json(const nlohmann::json& j, SnapshotInfo& i) {
  if (!j.is_object()) return std::string("not an object");
  auto text = [&](const char* key, std::string& out, bool required) -> std::optional<std::string> {
    auto it = j.find(key);
    if (it == j.end()) {
      if (required) return std::string(key) + ": missing";
      return std::nullopt;
    }
    if (!it->is_string()) return std::string(key) + ": expected a string, found " + it->type_name();
    out = it->get<std::string>();
    return std::nullopt;
  };
  auto count = [&](const char* key, std::uint64_t& out) -> std::optional<std::string> {
    auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0))
      return std::string(key) + ": expected a non-negative whole number, found " +
             (it->is_number() ? it->dump() : std::string(it->type_name()));
    out = it->get<std::uint64_t>();
    return std::nullopt;
  };
  for (auto [key, out, required] :
       {std::tuple{"id", &i.id, true}, std::tuple{"name", &i.name, true},
        std::tuple{"format", &i.format, false}, std::tuple{"source_date", &i.source_date, false},
        std::tuple{"imported_at", &i.imported_at, false}})
    if (auto e = text(key, *out, required)) return e;
  if (auto it = j.find("files"); it != j.end()) {
    if (!it->is_array()) return std::string("files: expected an array, found ") + it->type_name();
    for (auto& f : *it) {
      if (!f.is_string()) return std::string("files: expected strings, found ") + f.type_name();
      i.files.push_back(f.get<std::string>());
    }
  }
  for (auto [key, out] :
       {std::pair{"entries", &i.entries}, std::pair{"names", &i.names}, std::pair{"rows", &i.rows},
        std::pair{"skipped", &i.skipped}, std::pair{"orphans", &i.orphans}})
    if (auto e = count(key, *out)) return e;
  if (!valid_list_name(i.name)) return "name: '" + i.name + "' is not a valid list name";
  if (i.id.empty() || i.id.size() > 64 || !std::all_of(i.id.begin(), i.id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      }))
    return "id: '" + i.id + "' is not a snapshot id";
  return std::nullopt;
}

// Parses a manifest's bytes; the error names the file and the entry.
Result<std::vector<SnapshotInfo>> parse_manifest(std::string_view bytes, const std::string& path) {
  auto bad = [&](const std::string& why) { return Error::Io(path + ": manifest is corrupt: " + why); };
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded()) return bad("not valid JSON (truncated or damaged)");
  if (!j.is_object()) return bad(std::string("expected a JSON object, found ") + j.type_name());
  auto v = j.find("version");
  if (v == j.end() || !v->is_number_integer()) return bad("version: missing or not a number");
  if (v->get<std::int64_t>() != kManifestVersion)
    return bad("version " + v->dump() + " is not supported (this build reads version " +
               std::to_string(kManifestVersion) + ")");
  auto l = j.find("lists");
  if (l == j.end() || !l->is_array()) return bad("lists: missing or not an array");
  std::vector<SnapshotInfo> out;
  std::set<std::string> names;
  for (size_t k = 0; k < l->size(); ++k) {
    SnapshotInfo i;
    if (auto e = info_from_json((*l)[k], i)) return bad("lists[" + std::to_string(k) + "]." + *e);
    if (!names.insert(i.name).second)
      return bad("lists[" + std::to_string(k) + "]: list '" + i.name + "' appears twice");
    out.push_back(std::move(i));
  }
  return out;
}

// history.json: {"version": 1, "history": [{…snapshot info…, "replaced": id}, …]}, oldest first.
Result<std::vector<HistoryEntry>> parse_history(std::string_view bytes, const std::string& path) {
  auto bad = [&](const std::string& why) { return Error::Io(path + ": history is corrupt: " + why); };
  auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object (truncated or damaged)");
  auto v = j.find("version");
  if (v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != kManifestVersion)
    return bad("version: missing or not supported");
  auto l = j.find("history");
  if (l == j.end() || !l->is_array()) return bad("history: missing or not an array");
  std::vector<HistoryEntry> out;
  for (size_t k = 0; k < l->size(); ++k) {
    HistoryEntry h;
    if (auto e = info_from_json((*l)[k], h.info)) return bad("history[" + std::to_string(k) + "]." + *e);
    if (auto r = (*l)[k].find("replaced"); r != (*l)[k].end() && r->is_string())
      h.replaced = r->get<std::string>();
    out.push_back(std::move(h));
  }
  return out;
}

std::string history_json(const std::vector<HistoryEntry>& entries) {
  nlohmann::json arr = nlohmann::json::array();
  for (auto& h : entries) {
    auto j = info_to_json(h.info);
    j["replaced"] = h.replaced;
    arr.push_back(std::move(j));
  }
  return nlohmann::json{{"version", kManifestVersion}, {"history", arr}}.dump(1) + "\n";
}

std::string manifest_json(const std::vector<SnapshotInfo>& lists) {
  nlohmann::json arr = nlohmann::json::array();
  for (auto& i : lists) arr.push_back(info_to_json(i));
  return nlohmann::json{{"version", kManifestVersion}, {"lists", arr}}.dump(2) + "\n";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string entries_text(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " entry" : " entries"); }

}  // namespace

void seal_snapshot(ListSnapshot& s) {
  Writer w;
  std::uint64_t names = 0;
  for (auto& p : s.parties) {
    encode_party(w, p);
    names += p.names.size();
  }
  s.info.id = hash_hex128(w.out()).substr(0, 24);
  s.info.entries = s.parties.size();
  s.info.names = names;
}

std::string encode_snapshot(const ListSnapshot& s) {
  Writer w;
  w.out().append(kMagic, sizeof kMagic);
  w.u8(kVersion);
  encode_info(w, s.info);
  w.u64(s.parties.size());
  for (auto& p : s.parties) encode_party(w, p);
  std::uint64_t h = XXH3_64bits(w.out().data(), w.out().size());
  char buf[8];
  std::memcpy(buf, &h, 8);
  w.out().append(buf, 8);
  return std::move(w.out());
}

Result<ListSnapshot> decode_snapshot(std::string_view bytes, std::string_view filename) {
  auto bad = [&](const std::string& why) { return Error::BadInput(std::string(filename) + ": " + why); };
  if (bytes.size() < sizeof kMagic + 1 + 8 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return bad("not a Clearance snapshot file");
  if (static_cast<std::uint8_t>(bytes[sizeof kMagic]) != kVersion)
    return bad("snapshot version " + std::to_string(static_cast<int>(bytes[sizeof kMagic])) +
               " is not supported");
  std::uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  auto body = bytes.substr(0, bytes.size() - 8);
  if (XXH3_64bits(body.data(), body.size()) != stored) return bad("checksum mismatch: the file is corrupt");
  Reader r(body.substr(sizeof kMagic + 1));
  ListSnapshot s;
  std::uint64_t n;
  if (!decode_info(r, s.info) || !r.u64(n) || !r.plausible_count(n)) return bad("truncated header");
  s.parties.resize(n);
  for (auto& p : s.parties)
    if (!decode_party(r, p)) return bad("truncated or damaged party record");
  if (!r.done()) return bad("trailing bytes");
  return s;
}

std::string_view to_string(HomeState s) {
  switch (s) {
    case HomeState::kNeverImported:
      return "never-imported";
    case HomeState::kCurrent:
      return "current";
    case HomeState::kRecovered:
      return "recovered";
  }
  return "current";
}

std::string ListStore::lists_dir() const { return home_ + "/lists"; }
std::string ListStore::manifest_path() const { return lists_dir() + "/" + kManifestFile; }
std::string ListStore::lock_path() const { return home_ + "/LOCK"; }
std::string ListStore::history_path() const { return lists_dir() + "/" + kHistoryFile; }
std::string ListStore::snapshot_path(const SnapshotInfo& info) const {
  return lists_dir() + "/" + info.name + "-" + info.id + ".snap";
}

namespace {

// One manifest file: absent, or its bytes and what they say.
struct ManifestFile {
  bool exists = false;
  bool unreadable = false;  // there, but reading it failed (IO): not known to be damaged
  std::string bytes;
  Result<std::vector<SnapshotInfo>> lists = std::vector<SnapshotInfo>{};
};

ManifestFile read_manifest_file(Env& env, const std::string& path) {
  ManifestFile m;
  auto st = env.stat(path);
  if (!st) {
    if (st.error().kind != Error::Kind::kNotFound) {
      m.exists = true;
      m.unreadable = true;
      m.lists = st.error();
    }
    return m;
  }
  m.exists = true;
  auto data = read_file(env, path, 64 << 20);
  if (!data) {
    m.unreadable = data.error().kind != Error::Kind::kBadInput;  // too large: damaged
    m.lists = Error::Io(data.error().message);
    return m;
  }
  m.bytes = std::move(*data);
  m.lists = parse_manifest(m.bytes, path);
  return m;
}

// Reads the manifest with its fallback; current receives manifest.json's own state (for put, which
// must know whether manifest.json itself is good before keeping it as the previous one).
Result<ManifestView> read_view(Env& env, const std::string& dir, ManifestFile* current_out) {
  std::string path = dir + "/" + kManifestFile, prev_path = dir + "/" + kPrevManifestFile;
  ManifestFile current = read_manifest_file(env, path);
  ManifestView view;
  if (current.exists && current.lists) {
    view.state = HomeState::kCurrent;
    view.lists = *current.lists;
    if (current_out) *current_out = std::move(current);
    return view;
  }
  // A manifest that could not be read (an IO error) may be perfectly good: falling back to the
  // previous one would serve older lists, and a writer would drop the last import from the next
  // manifest. Only a damaged or missing manifest falls back.
  if (current.exists && current.unreadable)
    return Error::Io(current.lists.error().message +
                     " (the manifest could not be read; nothing was changed)");
  ManifestFile prev = read_manifest_file(env, prev_path);
  std::string problem = current.exists ? current.lists.error().message : path + ": missing";
  if (prev.exists && prev.lists) {
    view.state = HomeState::kRecovered;
    view.lists = *prev.lists;
    view.warnings.push_back(problem + "; the lists of the import before last are in force (" + prev_path +
                            "): import again to bring them up to date");
    if (current_out) *current_out = std::move(current);
    return view;
  }
  if (current.exists) {
    if (prev.exists)
      return Error::Io(problem +
                       "; and the previous manifest is unusable too: " + prev.lists.error().message);
    return current.lists.error();
  }
  if (prev.exists)
    return Error::Io(problem + "; and the previous manifest is unusable: " + prev.lists.error().message);
  // No manifest at all: a home that never imported, unless snapshot files say otherwise.
  auto entries = env.list_dir(dir);
  if (!entries) {
    if (entries.error().kind == Error::Kind::kNotFound) return view;
    return entries.error();
  }
  size_t snaps = 0;
  for (auto& e : *entries)
    if (ends_with(e.name, ".snap")) ++snaps;
  if (snaps == 0) return view;
  return Error::Io(path + ": missing, but " + dir + " holds " + std::to_string(snaps) +
                   " snapshot file(s): the lists in force are unknown. Restore the manifest, or move " + dir +
                   " away and import the lists again");
}

// Removes the temporary files an interrupted writer left (".<name>.<random>.tmp"). Only called with
// <home>/LOCK held, when no other writer can be using one.
void remove_stale_temp_files(Env& env, const std::string& dir) {
  auto entries = env.list_dir(dir);
  if (!entries) return;
  for (auto& e : *entries)
    if (e.name.size() > 5 && e.name[0] == '.' && ends_with(e.name, ".tmp"))
      (void)env.remove_file(dir + "/" + e.name);
}

// The history as stored, or (no history file yet) the lists in force as its first steps.
Result<std::vector<HistoryEntry>> history_locked(Env& env, const std::string& path,
                                                 const std::vector<SnapshotInfo>& in_force) {
  auto st = env.stat(path);
  if (!st) {
    if (st.error().kind != Error::Kind::kNotFound) return st.error();
    std::vector<HistoryEntry> out;
    for (auto& i : in_force) out.push_back({i, {}});
    return out;
  }
  auto data = read_file(env, path, size_t{256} << 20);
  if (!data) return data.error();
  return parse_history(*data, path);
}

}  // namespace

Result<std::vector<HistoryEntry>> ListStore::history(const std::string& name) const {
  auto view = read_manifest();
  if (!view) return view.error();
  auto h = history_locked(*env_, history_path(), view->lists);
  if (!h || name.empty()) return h;
  std::vector<HistoryEntry> out;
  for (auto& e : *h)
    if (e.info.name == name) out.push_back(std::move(e));
  return out;
}

Result<std::vector<std::string>> ListStore::prune(
    size_t keep, const std::function<bool(const std::string& id)>& referenced) const {
  std::vector<std::string> removed;
  if (keep == 0) return removed;
  auto lock = env_->lock_file(lock_path(), true);
  if (!lock) return lock.error();
  ManifestFile current_file;
  auto current = read_view(*env_, lists_dir(), &current_file);
  if (!current) return current.error();
  std::set<std::string> protect;  // "<name>-<id>.snap"
  auto file_of = [](const SnapshotInfo& i) { return i.name + "-" + i.id + ".snap"; };
  for (auto& i : current->lists) protect.insert(file_of(i));
  auto prev = read_manifest_file(*env_, lists_dir() + "/" + kPrevManifestFile);
  if (prev.exists && prev.lists)
    for (auto& i : *prev.lists) protect.insert(file_of(i));
  auto hist = history_locked(*env_, history_path(), current->lists);
  if (!hist) return hist.error();
  // Newest first per list: the first `keep` distinct snapshots of each list stay.
  std::map<std::string, std::set<std::string>> kept;
  for (auto it = hist->rbegin(); it != hist->rend(); ++it) {
    auto& k = kept[it->info.name];
    if (k.size() < keep) k.insert(it->info.id);
  }
  std::set<std::string> seen;
  for (auto it = hist->rbegin(); it != hist->rend(); ++it) {
    std::string f = file_of(it->info);
    if (!seen.insert(f).second || protect.count(f) || kept[it->info.name].count(it->info.id)) continue;
    if (referenced && referenced(it->info.id)) continue;
    std::string path = lists_dir() + "/" + f;
    if (!env_->stat(path)) continue;
    if (auto st = env_->remove_file(path); !st) return st.error();
    removed.push_back(f);
  }
  if (!removed.empty())
    if (auto st = env_->sync_dir(lists_dir()); !st) return st.error();
  return removed;
}

Result<ManifestView> ListStore::read_manifest() const { return read_view(*env_, lists_dir(), nullptr); }

Result<std::vector<SnapshotInfo>> ListStore::list() const {
  auto v = read_manifest();
  if (!v) return v.error();
  return std::move(v->lists);
}

Status ListStore::put(const std::vector<const ListSnapshot*>& snapshots, const PutOptions& options) const {
  std::set<std::string> names;
  for (auto* s : snapshots) {
    if (!valid_list_name(s->info.name))
      return Error::BadInput("list name '" + s->info.name + "' is not allowed");
    if (!names.insert(s->info.name).second)
      return Error::BadInput("two sources would both become list '" + s->info.name +
                             "': import them separately, or give each its own --name");
  }
  if (auto st = env_->make_dirs(home_); !st) return st;
  auto lock = env_->lock_file(lock_path(), options.wait_for_lock);
  if (!lock) return lock.error();
  // From here to the end this process is the only writer: read, check, write, switch.
  if (auto st = env_->make_dirs(lists_dir()); !st) return st;
  remove_stale_temp_files(*env_, lists_dir());
  ManifestFile current_file;
  auto current = read_view(*env_, lists_dir(), &current_file);
  if (!current) return current.error();

  for (auto* s : snapshots)
    for (auto& i : current->lists) {
      if (i.name != s->info.name || options.allow_shrink || i.entries == 0) continue;
      double drop = 1.0 - static_cast<double>(s->info.entries) / static_cast<double>(i.entries);
      if (drop > options.max_shrink) {
        Error e = Error::BadInput(
            "list '" + s->info.name + "': the new snapshot has " + entries_text(s->info.entries) +
            " against " + entries_text(i.entries) + " in force, a drop of " +
            std::to_string(static_cast<int>(drop * 100 + 0.5)) + "% (over the limit of " +
            std::to_string(static_cast<int>(options.max_shrink * 100 + 0.5)) +
            "%): refused, the list in force is unchanged. If the source really shrank, "
            "import it again with --allow-shrink");
        e.field = kShrinkRefusedField;
        return e;
      }
    }

  for (auto* s : snapshots)
    if (auto st = write_file_atomic(*env_, snapshot_path(s->info), encode_snapshot(*s)); !st) return st;

  std::vector<SnapshotInfo> lists;
  std::vector<bool> placed(snapshots.size(), false);
  for (auto& i : current->lists) {
    bool replaced = false;
    for (size_t k = 0; k < snapshots.size(); ++k)
      if (!placed[k] && snapshots[k]->info.name == i.name) {
        lists.push_back(snapshots[k]->info);
        placed[k] = replaced = true;
        break;
      }
    if (!replaced) lists.push_back(i);
  }
  for (size_t k = 0; k < snapshots.size(); ++k)
    if (!placed[k]) lists.push_back(snapshots[k]->info);

  // The history names every snapshot put in force (a home older than the history file starts it with
  // the lists in force); written before the switch, so a list in force is always in its history.
  auto hist = history_locked(*env_, history_path(), current->lists);
  if (!hist) return hist.error();
  for (auto* s : snapshots) {
    HistoryEntry h{s->info, {}};
    for (auto& i : current->lists)
      if (i.name == s->info.name) h.replaced = i.id;
    if (h.replaced == s->info.id) continue;  // the same content again: not a new step
    hist->push_back(std::move(h));
  }
  if (auto st = write_file_atomic(*env_, history_path(), history_json(*hist)); !st) return st;

  // Keep the manifest in force as the previous one (only a good one: a recovered home keeps the
  // previous manifest it recovered from), then switch.
  if (current->state == HomeState::kCurrent)
    if (auto st = write_file_atomic(*env_, lists_dir() + "/" + kPrevManifestFile, current_file.bytes); !st)
      return st;
  return write_file_atomic(*env_, manifest_path(), manifest_json(lists));
}

Result<ListSnapshot> ListStore::load(const SnapshotInfo& info) const {
  std::string file = snapshot_path(info);
  auto data = read_file(*env_, file);
  if (!data) return Error::Io(data.error().message);
  auto s = decode_snapshot(*data, file);
  if (!s) return Error::Io(s.error().message);
  if (s->info.id != info.id || s->info.name != info.name)
    return Error::Io(file + ": holds snapshot " + s->info.id + " of list '" + s->info.name +
                     "', not the one the manifest names (" + info.id + " of '" + info.name + "')");
  return s;
}

Result<std::vector<ListSnapshot>> ListStore::load_all(ManifestView* view_out) const {
  auto view = read_manifest();
  if (!view) return view.error();
  std::vector<ListSnapshot> out;
  for (auto& i : view->lists) {
    auto s = load(i);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  if (view_out) *view_out = std::move(*view);
  return out;
}

}  // namespace clearance
