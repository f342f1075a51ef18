#include "cli/context.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "clearance/common/files.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/store/recording.hpp"

namespace clearance::cli {

std::vector<std::string> Context::alias_files() const {
  std::vector<std::string> out;
  auto entries = Env::Default()->list_dir(home + "/aliases");
  if (!entries) return out;
  for (auto& e : *entries)
    if (e.name.size() > 4 && e.name.compare(e.name.size() - 4, 4, ".tsv") == 0 && e.name[0] != '.')
      out.push_back(home + "/aliases/" + e.name);
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::shared_ptr<const TextTables>> Context::tables() {
  if (!tables_) {
    auto t = TextTables::load(data_dir, alias_files(), *Env::Default(), mecab_dictionary);
    if (!t) return t.error();
    tables_ = *t;
    // Once per command: without the dictionary, kanji names are read as Chinese.
    if (!tables_->japanese_warning.empty())
      std::cerr << "clearance: warning: " << tables_->japanese_warning << "\n";
  }
  return tables_;
}

Result<std::vector<ListSnapshot>> Context::lists(bool* using_samples) {
  ListStore store(home);
  ManifestView view;
  auto loaded = store.load_all(&view);
  if (!loaded) return loaded.error();
  for (auto& w : view.warnings) std::cerr << "clearance: warning: " << w << "\n";
  const bool samples = view.state == HomeState::kNeverImported;
  if (using_samples) *using_samples = samples;
  if (!samples) return loaded;
  // Nothing ever imported here: the bundled samples, so every command works on a fresh install.
  auto t = tables();
  if (!t) return t.error();
  return load_bundled_samples(data_dir, (*t)->countries);
}

Result<std::shared_ptr<const Screener>> Context::screener() {
  if (!screener_) {
    auto t = tables();
    if (!t) return t.error();
    auto l = lists();
    if (!l) return l.error();
    screener_ = Screener::build(std::move(*l), *t);
  }
  return screener_;
}

namespace {

bool is_postgres(const std::string& location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

}  // namespace

Result<StoreOptions> Context::store_options() const {
  StoreOptions o;
  o.location = store_location.empty() ? "sqlite:" + home + "/store.sqlite" : store_location;
  if (is_postgres(o.location)) {
    // A PostgreSQL store has no directory of its own: its chain-head file lives in the data home,
    // one per database (named by a digest of the URL).
    if (auto st = make_dirs(home + "/audit-heads"); !st) return st.error();
    o.head_file = home + "/audit-heads/" + sha256_hex(o.location).substr(0, 16) + ".head";
  } else if (o.location.rfind("sqlite:", 0) != 0) {
    return Error::BadInput("--store: expected sqlite:PATH or postgres://…, not '" + o.location + "'");
  }
  o.clock = [] { return std::chrono::system_clock::now(); };  // front ends may read the clock
  return o;
}

Result<Store*> Context::store() {
  if (store_) return store_.get();
  auto o = store_options();
  if (!o) return o.error();
  auto s = Store::open(*o);
  if (!s) return s.error();
  store_ = std::move(*s);
  return store_.get();
}

Result<Store*> Context::store_if_exists() {
  std::string loc = store_location.empty() ? "sqlite:" + home + "/store.sqlite" : store_location;
  std::error_code ec;
  if (!is_postgres(loc) && loc.rfind("sqlite:", 0) == 0 && !std::filesystem::exists(loc.substr(7), ec))
    return static_cast<Store*>(nullptr);
  return store();
}

std::string Context::caller() const {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return pw->pw_name;
  return "uid:" + std::to_string(geteuid());
}

Result<std::vector<SnapshotRef>> Context::screened_lists(Store& s) {
  auto sc = screener();
  if (!sc) return sc.error();
  return keep_snapshots(s, (*sc)->snapshots());
}

Result<std::int64_t> Context::put_on_record(RecordDraft draft) {
  if (!record) return std::int64_t{0};
  auto s = store();
  if (!s) return s.error();
  draft.caller = caller();
  auto a = (*s)->append(std::move(draft));
  if (!a) return a.error();
  return a->seq;
}

std::string installed_or(std::string_view sub, std::string built_in) {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return built_in;
  std::filesystem::path dir = exe.parent_path().parent_path() / "share" / "clearance" / sub;
  return std::filesystem::is_directory(dir, ec) ? dir.string() : built_in;
}

std::string record_line(bool recorded, std::int64_t seq) {
  return recorded ? "on the record: audit record " + std::to_string(seq) + "\n"
                  : "trial run (--no-record): not on the record\n";
}

void mark_record(nlohmann::ordered_json& answer, std::int64_t seq) {
  if (seq)
    answer["record"] = seq;
  else
    answer["recorded"] = false;
}

void say_trial_run() {
  std::cerr << "clearance: trial run (--no-record): this answer is not on the record\n";
}

Output::~Output() {
  if (owned_ && f_) std::fclose(f_);
}

Status refuse_output_over_input(const std::string& output, const std::vector<std::string>& inputs) {
  struct stat out {};
  if (output.empty() || output == "-" || ::stat(output.c_str(), &out) != 0) return Status::Ok();
  for (const auto& in : inputs) {
    struct stat st {};
    if (in != "-" && ::stat(in.c_str(), &st) == 0 && st.st_dev == out.st_dev && st.st_ino == out.st_ino)
      return Error::BadInput(output + " is the input file " + in +
                             ": refusing to write over it (choose another output file)");
  }
  return Status::Ok();
}

Status Output::open(const std::string& path, const std::vector<std::string>& inputs) {
  if (path.empty() || path == "-") {
    f_ = stdout;
    return Status::Ok();
  }
  name_ = path;
  if (auto st = refuse_output_over_input(path, inputs); !st) return st;
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) return Error::Io(path + ": cannot open for writing: " + std::strerror(errno));
  owned_ = true;
  return Status::Ok();
}

Status Output::write(std::string_view s) {
  if (failed_) return Error::Io(name_ + ": write failed");
  if (!s.empty() && std::fwrite(s.data(), 1, s.size(), f_) != s.size()) {
    failed_ = true;
    return Error::Io(name_ + ": write failed: " + std::strerror(errno));
  }
  return Status::Ok();
}

Status Output::close() {
  int err = 0;
  if (f_) {
    if (std::fflush(f_) != 0) err = errno;
    if (!err && std::ferror(f_)) err = EIO;
    if (owned_ && std::fclose(f_) != 0 && !err) err = errno;
    f_ = nullptr;
    owned_ = false;
  }
  if (failed_ || err)
    return Error::Io(name_ + ": write failed" + (err ? std::string(": ") + std::strerror(err) : ""));
  return Status::Ok();
}

int exit_with(const Error& e) {
  std::cerr << "clearance: " << e.message << "\n";
  switch (e.kind) {
    case Error::Kind::kBadInput:
    case Error::Kind::kNotFound:
      return 2;
    case Error::Kind::kIo:
    case Error::Kind::kInternal:
      return 1;
  }
  return 1;
}

Result<ListSnapshot> Context::load_snapshot(const ListStore& lists, const SnapshotInfo& info) {
  if (auto s = lists.load(info)) return s;
  if (auto h = lists.history(info.name))
    for (auto it = h->rbegin(); it != h->rend(); ++it)
      if (it->info.id == info.id)
        if (auto s = lists.load(it->info)) return s;
  auto store = store_if_exists();
  if (store && *store)
    if (auto kept = (*store)->load_snapshot(info.id)) return kept;
  return Error::NotFound("snapshot " + info.id + " of list '" + info.name +
                         "' is neither in the home nor in the store (pruned?)");
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace clearance::cli
