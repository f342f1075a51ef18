// A user alias table (<home>/aliases/*.tsv: chinese, english, note) loaded with the bundled text
// tables (TextTables::load), the input served from memory through the Env seam. The bundled tables
// are served cut to their first lines: loading them whole would be nearly all the time of a run.
#include <cstring>
#include <map>

#include "clearance/common/env.hpp"
#include "clearance/text/tables.hpp"
#include "fuzz_support.hpp"
#include "support/paths.hpp"

namespace {

using namespace clearance;

// The real files, except one path whose contents are the fuzz input.
class OverlayEnv : public Env {
 public:
  OverlayEnv(std::string path, std::string contents)
      : path_(std::move(path)), contents_(std::move(contents)) {}
  Result<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    if (path == path_) return std::unique_ptr<SequentialFile>(new Memory(contents_));
    auto cut = cut_.find(path);
    if (cut == cut_.end()) {
      auto data = read_file(*base_, path);
      if (!data) return data.error();
      size_t end = 0;
      for (int lines = 0; lines < 300 && end != std::string::npos; ++lines) end = data->find('\n', end + 1);
      cut = cut_.emplace(path, data->substr(0, end == std::string::npos ? data->size() : end + 1)).first;
    }
    return std::unique_ptr<SequentialFile>(new Memory(cut->second));
  }
  Result<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    return base_->new_writable_file(path);
  }
  Result<std::unique_ptr<WritableFile>> new_temp_file(const std::string& dir, std::string_view prefix,
                                                      std::string* path) override {
    return base_->new_temp_file(dir, prefix, path);
  }
  Status rename_file(const std::string& from, const std::string& to) override {
    return base_->rename_file(from, to);
  }
  Status remove_file(const std::string& path) override { return base_->remove_file(path); }
  Status sync_dir(const std::string& dir) override { return base_->sync_dir(dir); }
  Status make_dirs(const std::string& dir) override { return base_->make_dirs(dir); }
  Result<std::vector<DirEntry>> list_dir(const std::string& dir) override { return base_->list_dir(dir); }
  Result<FileStat> stat(const std::string& path) override {
    if (path != path_) return base_->stat(path);
    FileStat s;
    s.is_regular = true;
    s.size = contents_.size();
    return s;
  }
  Result<std::unique_ptr<FileLock>> lock_file(const std::string& path, bool wait) override {
    return base_->lock_file(path, wait);
  }

 private:
  struct Memory : SequentialFile {
    explicit Memory(std::string_view data) : data(data) {}
    Result<size_t> read(char* buf, size_t n) override {
      n = std::min(n, data.size());
      std::memcpy(buf, data.data(), n);
      data.remove_prefix(n);
      return n;
    }
    std::string_view data;
  };
  Env* base_ = Env::Default();
  std::string path_, contents_;
  static inline std::map<std::string, std::string> cut_;  // bundled tables, cut, read once
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = "/fuzz-input/aliases.tsv";
  OverlayEnv env(path, std::string(fuzz::text_of(data, size)));
  // No MeCab dictionary: opening it per input would be most of the time, and it reads no aliases.
  (void)TextTables::load(clearance::testing::data_dir(), {path}, env, "/nonexistent-mecab-dictionary");
  return 0;
}
