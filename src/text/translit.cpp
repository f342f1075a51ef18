#include "text/translit.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace clearance::text {
namespace {

using Owned = std::unique_ptr<icu::Transliterator>;

// The process's transliterators, built on first use, cloned by threads and never used directly.
const icu::Transliterator* prototype(const char* id) {
  static std::mutex mu;
  static std::vector<std::pair<std::string, Owned>> built;
  std::lock_guard lk(mu);
  for (auto& [k, t] : built)
    if (k == id) return t.get();
  UErrorCode status = U_ZERO_ERROR;
  Owned t(icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status)) t.reset();
  built.emplace_back(id, std::move(t));
  return built.back().second.get();
}

}  // namespace

icu::Transliterator* thread_transliterator(const char* id) {
  thread_local std::vector<std::pair<std::string, Owned>> mine;
  for (auto& [k, t] : mine)
    if (k == id) return t.get();
  const icu::Transliterator* p = prototype(id);
  mine.emplace_back(id, p ? Owned(p->clone()) : nullptr);
  return mine.back().second.get();
}

std::string transliterate(std::string_view utf8, const char* id) {
  icu::Transliterator* t = thread_transliterator(id);
  if (!t) return {};
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string ascii_letters(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= 'a' && c <= 'z') out += c;
  return out;
}

}  // namespace clearance::text
