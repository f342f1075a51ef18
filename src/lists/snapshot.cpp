#include "clearance/lists/snapshot.hpp"

#include <xxhash.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"

namespace clearance {
namespace {

constexpr char kMagic[8] = {'C', 'L', 'R', 'S', 'N', 'A', 'P', '\0'};
constexpr std::uint8_t kVersion = 1;

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
  if (!r.str(p.id) || !r.str(p.list) || !r.u8(b)) return false;
  p.type = static_cast<PartyType>(b);
  if (!r.u64(n) || !r.plausible_count(n)) return false;
  p.names.resize(n);
  for (auto& nm : p.names) {
    std::uint8_t k, s;
    if (!r.str(nm.text) || !r.u8(k) || !r.u8(s)) return false;
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

SnapshotInfo info_from_json(const nlohmann::json& j) {
  SnapshotInfo i;
  i.id = j.value("id", "");
  i.name = j.value("name", "");
  i.format = j.value("format", "");
  i.source_date = j.value("source_date", "");
  i.imported_at = j.value("imported_at", "");
  i.files = j.value("files", std::vector<std::string>{});
  i.entries = j.value("entries", 0ull);
  i.names = j.value("names", 0ull);
  i.rows = j.value("rows", 0ull);
  i.skipped = j.value("skipped", 0ull);
  i.orphans = j.value("orphans", 0ull);
  return i;
}

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
    if (!decode_party(r, p)) return bad("truncated party record");
  if (!r.done()) return bad("trailing bytes");
  return s;
}

std::string ListStore::lists_dir() const { return home_ + "/lists"; }

Result<std::vector<SnapshotInfo>> ListStore::list() const {
  std::string path = lists_dir() + "/manifest.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::vector<SnapshotInfo>{};
  auto data = read_file(path, 64 << 20);
  if (!data) return data.error();
  auto j = nlohmann::json::parse(*data, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("lists"))
    return Error::Io(path + ": manifest is corrupt");
  std::vector<SnapshotInfo> out;
  for (auto& e : j["lists"]) out.push_back(info_from_json(e));
  return out;
}

Status ListStore::put(const std::vector<const ListSnapshot*>& snapshots) const {
  for (auto* s : snapshots)
    if (s->info.name.empty() || s->info.name.find('/') != std::string::npos || s->info.name[0] == '.')
      return Error::BadInput("list name '" + s->info.name + "' is not allowed");
  if (auto st = make_dirs(lists_dir()); !st) return st;
  auto current = list();
  if (!current) return current.error();
  for (auto* s : snapshots) {
    std::string file = lists_dir() + "/" + s->info.name + "-" + s->info.id + ".snap";
    if (auto st = write_file_atomic(file, encode_snapshot(*s)); !st) return st;
  }
  nlohmann::json lists = nlohmann::json::array();
  std::vector<bool> placed(snapshots.size(), false);
  for (auto& i : *current) {
    bool replaced = false;
    for (size_t k = 0; k < snapshots.size(); ++k)
      if (!placed[k] && snapshots[k]->info.name == i.name) {
        lists.push_back(info_to_json(snapshots[k]->info));
        placed[k] = replaced = true;
        break;
      }
    if (!replaced) lists.push_back(info_to_json(i));
  }
  for (size_t k = 0; k < snapshots.size(); ++k)
    if (!placed[k]) lists.push_back(info_to_json(snapshots[k]->info));
  nlohmann::json manifest = {{"version", 1}, {"lists", lists}};
  return write_file_atomic(lists_dir() + "/manifest.json", manifest.dump(2) + "\n");
}

Result<ListSnapshot> ListStore::load(const SnapshotInfo& info) const {
  std::string file = lists_dir() + "/" + info.name + "-" + info.id + ".snap";
  auto data = read_file(file);
  if (!data) return Error::Io(data.error().message);
  return decode_snapshot(*data, file);
}

Result<std::vector<ListSnapshot>> ListStore::load_all() const {
  auto infos = list();
  if (!infos) return infos.error();
  std::vector<ListSnapshot> out;
  for (auto& i : *infos) {
    auto s = load(i);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace clearance
