#include "server/static_files.hpp"

#include <filesystem>

#include "clearance/common/files.hpp"
#include "clearance/store/record.hpp"

namespace clearance::server {

namespace fs = std::filesystem;

std::string static_content_type(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  for (auto [ext, type] : kTypes)
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) return std::string(type);
  return "";
}

Result<StaticFiles> StaticFiles::load(const std::string& dir) {
  StaticFiles out;
  if (dir.empty()) return out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Error::BadInput("--web " + dir + ": no such directory (the analyst page's files)");
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path& p = it->path();
    std::string rel = fs::relative(p, dir, ec).generic_string();
    if (rel.empty() || rel.front() == '.' || rel.find("/.") != std::string::npos) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::string type = static_content_type(rel);
    if (type.empty()) continue;
    auto body = read_file(p.string(), size_t{16} << 20);
    if (!body) return body.error();
    File f;
    f.etag = "\"" + sha256_hex(*body).substr(0, 32) + "\"";
    f.body = std::move(*body);
    f.content_type = std::move(type);
    out.files_["/" + rel] = std::move(f);
  }
  if (ec) return Error::Io("--web " + dir + ": " + ec.message());
  return out;
}

const StaticFiles::File* StaticFiles::find(std::string_view path) const {
  if (path == "/") path = "/index.html";
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace clearance::server
