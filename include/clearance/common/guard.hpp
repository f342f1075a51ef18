// The library's one exception guard. Nothing throws across the public API: code that calls a
// throwing parser library (or might hold a bug) runs inside guarded(), which turns an escaping
// exception into kInternal naming where it happened and what was running.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "clearance/common/result.hpp"

namespace clearance {

// Returns fn()'s Result or Status; an exception becomes Error::Internal("<where>: <what> failed: …").
template <class Fn>
auto guarded(std::string_view where, std::string_view what, Fn&& fn) -> decltype(fn()) {
  auto failed = [&](std::string_view why) {
    std::string m = std::string(where) + ": " + std::string(what) + " failed";
    if (!why.empty()) m += ": " + std::string(why);
    return Error::Internal(std::move(m));
  };
  try {
    return fn();
  } catch (const std::exception& e) {
    return failed(e.what());
  } catch (...) {
    return failed({});
  }
}

}  // namespace clearance
