// The analyst page (web/): plain HTML, CSS and JavaScript modules, read once when the server starts
// and served from memory at "/" without a key. Only files with a known type are served, by their
// path under the directory (no path from a request ever reaches the file system), each with its
// Content-Type, an ETag (304 on If-None-Match), Cache-Control: no-cache (the browser revalidates,
// so a new version of the page is picked up at once) and a strict Content-Security-Policy: scripts,
// styles, images and requests from the server itself only, no inline script or style, no frames.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "clearance/common/result.hpp"

namespace clearance::server {

class StaticFiles {
 public:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;  // "\"<sha256 prefix>\""
  };

  // Reads every file of a known type under `dir` (recursively; hidden files skipped). An empty
  // `dir` serves nothing; a `dir` that does not exist is an error naming it.
  static Result<StaticFiles> load(const std::string& dir);

  // The file for a request path ("/" is index.html), or null.
  const File* find(std::string_view path) const;
  size_t size() const { return files_.size(); }

  // The headers every static answer carries.
  static constexpr const char* kContentSecurityPolicy =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
      "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

 private:
  std::map<std::string, File, std::less<>> files_;  // "/app.js" -> file
};

// The Content-Type for a file name by its extension, or "" when the page does not serve that type.
std::string static_content_type(std::string_view filename);

}  // namespace clearance::server
