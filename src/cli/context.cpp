#include "cli/context.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "clearance/common/files.hpp"
#include "clearance/lists/import.hpp"

namespace clearance::cli {

std::vector<std::string> Context::alias_files() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(home + "/aliases", ec))
    if (e.path().extension() == ".tsv") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::shared_ptr<const TextTables>> Context::tables() {
  if (!tables_) {
    auto t = TextTables::load(data_dir, alias_files());
    if (!t) return t.error();
    tables_ = *t;
  }
  return tables_;
}

Result<std::vector<ListSnapshot>> Context::lists(bool* using_samples) {
  ListStore store(home);
  auto loaded = store.load_all();
  if (!loaded) return loaded.error();
  if (using_samples) *using_samples = loaded->empty();
  if (!loaded->empty()) return loaded;
  // Nothing imported: the bundled samples, so every command works on a fresh install.
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

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace clearance::cli
