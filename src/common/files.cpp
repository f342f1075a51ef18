#include "clearance/common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace clearance {

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error::BadInput(path + ": cannot read: " + ec.message());
  if (size > max_bytes)
    return Error::BadInput(path + ": file is " + std::to_string(size) + " bytes, over the limit of " +
                           std::to_string(max_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::BadInput(path + ": cannot open: " + std::strerror(errno));
  std::string data;
  data.resize(size);
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) return Error::Io(path + ": short read");
  return data;
}

Status make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Error::Io(path + ": cannot create directory: " + ec.message());
  return Status::Ok();
}

Result<std::vector<std::string>> list_files(const std::string& dir, const std::vector<std::string>& exts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error::BadInput(dir + ": not a directory");
  std::vector<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code entry_ec;  // the throwing overload aborted `impact --rules-from /` (issue 9)
    bool regular = it->is_regular_file(entry_ec);
    if (entry_ec) return Error::Io(it->path().string() + ": " + entry_ec.message());
    if (!regular) continue;
    auto ext = it->path().extension().string();
    for (auto& e : exts)
      if (ext == e) paths.push_back(it->path().string());
  }
  if (ec) return Error::Io(dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  return paths;
}

Status write_file_atomic(const std::string& path, std::string_view bytes) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error::Io(tmp + ": cannot create: " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Error::Io(tmp + ": write failed: " + std::strerror(e));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::Io(tmp + ": cannot flush: " + std::strerror(e));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error::Io(path + ": cannot rename into place: " + std::strerror(e));
  }
  return Status::Ok();
}

}  // namespace clearance
