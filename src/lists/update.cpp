#include "clearance/lists/update.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/common/yaml.hpp"
#include "clearance/lists/import.hpp"

namespace clearance {
namespace {

using detail::PackError;

std::string sha256_of(std::string_view bytes) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), md);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : md) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string url_file_name(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  auto slash = path.find_last_of('/');
  std::string last = slash == std::string::npos ? path : path.substr(slash + 1);
  return last.empty() ? "download" : last;
}

// The media type of a Content-Type header, lower case, without parameters.
std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  return to_lower_ascii(trim(content_type.substr(0, semi)));
}

bool transient(const FetchError& e) {
  return e.failure == FetchFailure::kConnect || e.failure == FetchFailure::kTimeout ||
         e.failure == FetchFailure::kTruncated || e.failure == FetchFailure::kOther;
}

std::string http_reason(long status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 410:
      return "Gone";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
  }
  return "";
}

// What the last good download of each source was: <home>/lists/sources.json.
struct SourceState {
  std::string url, etag, last_modified, snapshot, list, checked_at;
};

std::map<std::string, SourceState> read_state(Env& env, const std::string& path) {
  std::map<std::string, SourceState> out;
  auto data = read_file(env, path, 16 << 20);
  if (!data) return out;  // none yet, or unreadable: every source is fetched in full
  auto j = nlohmann::json::parse(*data, nullptr, false);
  if (!j.is_object()) return out;
  for (auto& [name, v] : j.items()) {
    if (!v.is_object()) continue;
    SourceState s;
    auto get = [&v = v](const char* k) {
      return v.contains(k) && v[k].is_string() ? v[k].get<std::string>() : "";
    };
    s.url = get("url");
    s.etag = get("etag");
    s.last_modified = get("last_modified");
    s.snapshot = get("snapshot");
    s.list = get("list");
    s.checked_at = get("checked_at");
    out[name] = s;
  }
  return out;
}

Status write_state(Env& env, const std::string& path, const std::map<std::string, SourceState>& state) {
  nlohmann::json j = nlohmann::json::object();
  for (auto& [name, s] : state)
    j[name] = {{"url", s.url},           {"etag", s.etag}, {"last_modified", s.last_modified},
               {"snapshot", s.snapshot}, {"list", s.list}, {"checked_at", s.checked_at}};
  return write_file_atomic(env, path, j.dump(2) + "\n");
}

std::string safe_stamp(std::string s) {
  for (auto& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
  return s;
}

}  // namespace

std::string_view to_string(UpdateOutcome o) {
  switch (o) {
    case UpdateOutcome::kUpdated:
      return "updated";
    case UpdateOutcome::kNotModified:
      return "not-modified";
    case UpdateOutcome::kUnchanged:
      return "unchanged";
    case UpdateOutcome::kHeldBack:
      return "held-back";
    case UpdateOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

Result<UpdateConfig> parse_update_config(std::string_view text, const std::string& file) {
  using namespace detail;
  try {
    UpdateConfig c;
    c.file = file;
    YAML::Node root = parse_yaml(text, file);
    require_map(file, root, "");
    check_keys(file, root, "", {"defaults", "sources"});
    if (auto d = root["defaults"]) {
      require_map(file, d, "defaults");
      check_keys(file, d, "defaults",
                 {"timeout_seconds", "connect_timeout_seconds", "retries", "backoff_seconds", "max_bytes",
                  "max_drop", "keep_history"});
      auto num = [&](const char* key, double lo, double hi) -> std::optional<double> {
        if (!d[key]) return std::nullopt;
        double v = as_number(file, d[key], std::string("defaults.") + key);
        if (v < lo || v > hi)
          fail(file, d[key], std::string("defaults.") + key,
               "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        return v;
      };
      if (auto v = num("timeout_seconds", 0.001, 86400)) c.timeout_ms = static_cast<long>(*v * 1000);
      if (auto v = num("connect_timeout_seconds", 0.001, 3600))
        c.connect_timeout_ms = static_cast<long>(*v * 1000);
      if (auto v = num("retries", 0, 20)) c.retries = static_cast<int>(*v);
      if (auto v = num("backoff_seconds", 0, 3600)) c.backoff_ms = static_cast<long>(*v * 1000);
      if (auto v = num("max_bytes", 1, 64.0 * (1ull << 30))) c.max_bytes = static_cast<std::uint64_t>(*v);
      if (auto v = num("max_drop", 0, 1)) c.max_drop = *v;
      if (auto v = num("keep_history", 0, 1e6)) c.keep_history = static_cast<size_t>(*v);
    }
    auto srcs = root["sources"];
    if (!srcs) fail(file, root, "sources", "missing");
    require_sequence(file, srcs, "sources");
    for (size_t k = 0; k < srcs.size(); ++k) {
      auto n = srcs[k];
      std::string field = "sources[" + std::to_string(k) + "]";
      require_map(file, n, field);
      check_keys(file, n, field,
                 {"name", "url", "file_name", "format", "list", "content_types", "default", "note"});
      ListSource s;
      s.name = get_string(file, n, "name", field + ".name", true);
      s.url = get_string(file, n, "url", field + ".url", true);
      if (!starts_with_icase(s.url, "http://") && !starts_with_icase(s.url, "https://"))
        fail(file, n["url"], field + ".url", "must be an http:// or https:// URL");
      s.file_name = get_string(file, n, "file_name", field + ".file_name", false);
      if (s.file_name.empty()) s.file_name = url_file_name(s.url);
      std::string fmt = get_string(file, n, "format", field + ".format", false);
      if (!fmt.empty()) {
        if (!list_format_from_string(fmt))
          fail(file, n["format"], field + ".format", "unknown list format '" + fmt + "'");
        s.format = fmt;
      }
      s.list = get_string(file, n, "list", field + ".list", false);
      if (n["content_types"])
        for (auto& t : as_string_list(file, n["content_types"], field + ".content_types"))
          s.content_types.push_back(to_lower_ascii(t));
      if (n["default"]) s.by_default = as_bool(file, n["default"], field + ".default");
      s.note = get_string(file, n, "note", field + ".note", false);
      for (auto& other : c.sources)
        if (other.name == s.name)
          fail(file, n["name"], field + ".name", "source '" + s.name + "' appears twice");
      c.sources.push_back(std::move(s));
    }
    return c;
  } catch (const PackError& e) {
    return Error::BadInput(e.what());
  } catch (const YAML::Exception& e) {
    return Error::BadInput(file + ": " + e.what());
  }
}

Result<UpdateReport> update_lists(const ListStore& store, const CountryTable& countries,
                                  const UpdateConfig& config, const std::vector<std::string>& names,
                                  Fetcher& fetcher, const UpdateContext& context) {
  std::vector<const ListSource*> chosen;
  for (auto& n : names) {
    auto it =
        std::find_if(config.sources.begin(), config.sources.end(), [&](auto& s) { return s.name == n; });
    if (it == config.sources.end()) {
      std::vector<std::string> known;
      for (auto& s : config.sources) known.push_back(s.name);
      return Error::BadInput("unknown source '" + n + "'" + detail::did_you_mean(n, known) +
                             " (sources are in " + config.file + ")");
    }
    chosen.push_back(&*it);
  }
  if (names.empty())
    for (auto& s : config.sources)
      if (s.by_default) chosen.push_back(&s);
  if (chosen.empty())
    return Error::BadInput("no sources to update (" + config.file + " enables none by default)");

  Env& env = store.env();
  if (auto st = env.make_dirs(store.lists_dir()); !st) return st.error();
  const std::string state_path = store.lists_dir() + "/sources.json";
  auto state = read_state(env, state_path);

  UpdateReport report;
  for (const ListSource* src : chosen) {
    SourceUpdate u;
    u.source = src->name;
    u.url = src->url;
    auto fail = [&](UpdateOutcome o, std::string why) {
      u.outcome = o;
      u.message = src->name + ": " + why + "; the list in force is unchanged";
    };

    auto in_force = store.list();
    if (!in_force) return in_force.error();
    auto current_of = [&](const std::string& list) -> const SnapshotInfo* {
      for (auto& i : *in_force)
        if (i.name == list) return &i;
      return nullptr;
    };

    // Conditional GET only when the list from the last download is still the one in force.
    FetchRequest req;
    req.url = src->url;
    req.timeout_ms = config.timeout_ms;
    req.connect_timeout_ms = config.connect_timeout_ms;
    req.max_bytes = config.max_bytes;
    SourceState& last = state[src->name];
    if (last.url == src->url && !last.snapshot.empty())
      if (auto* cur = current_of(last.list); cur && cur->id == last.snapshot) {
        req.etag = last.etag;
        req.last_modified = last.last_modified;
        u.list = last.list;
        u.snapshot = *cur;
        u.previous = cur->id;
      }

    FetchResponse resp;
    FetchError ferr;
    bool got = false;
    long wait = config.backoff_ms;
    for (int attempt = 0; attempt <= config.retries; ++attempt) {
      u.attempts = attempt + 1;
      resp = FetchResponse{};
      ferr = FetchError{};
      auto st = fetcher.fetch(req, resp, ferr);
      if (!st) return st.error();
      bool retry;
      if (ferr.failure == FetchFailure::kNone) {
        if (resp.status == 200 || resp.status == 304) {
          got = true;
          break;
        }
        retry = resp.status >= 500 || resp.status == 429;
        std::string reason = http_reason(resp.status);
        ferr.message = "HTTP " + std::to_string(resp.status) + (reason.empty() ? "" : " " + reason);
      } else {
        retry = transient(ferr);
      }
      if (!retry || attempt == config.retries) break;
      u.notes.push_back("attempt " + std::to_string(attempt + 1) + ": " + ferr.message + "; retrying in " +
                        std::to_string(wait) + " ms");
      if (context.sleep) context.sleep(wait);
      wait *= 2;
    }
    if (!got) {
      fail(UpdateOutcome::kFailed,
           src->url + ": " + ferr.message +
               (u.attempts > 1 ? " (after " + std::to_string(u.attempts) + " attempts)" : ""));
      report.sources.push_back(std::move(u));
      continue;
    }
    u.etag = resp.etag;
    u.last_modified = resp.last_modified;
    u.content_type = resp.content_type;
    if (resp.status == 304) {
      u.outcome = UpdateOutcome::kNotModified;
      u.message =
          src->name + ": not modified since the last download (HTTP 304); snapshot " + u.previous + " stays";
      last.checked_at = context.now;
      report.sources.push_back(std::move(u));
      continue;
    }
    u.bytes = resp.body.size();
    u.sha256 = sha256_of(resp.body);
    if (!src->content_types.empty()) {
      std::string mt = media_type(resp.content_type);
      if (std::find(src->content_types.begin(), src->content_types.end(), mt) == src->content_types.end()) {
        std::string want;
        for (auto& t : src->content_types) want += (want.empty() ? "" : ", ") + t;
        fail(UpdateOutcome::kFailed,
             src->url + ": content type '" +
                 (resp.content_type.empty() ? std::string("(none)") : resp.content_type) +
                 "', expected one of: " + want);
        report.sources.push_back(std::move(u));
        continue;
      }
    }

    auto format = list_format_from_string(src->format);
    if (!format) return format.error();
    ImportRequest ir;
    ir.paths = {src->file_name};
    ir.contents = {std::move(resp.body)};
    ir.recorded_names = {src->url};
    ir.options.format = *format;
    ir.name = src->list;
    ir.imported_at = context.now;
    ir.put.max_shrink = config.max_drop;
    auto imported = import_lists(store, countries, ir);
    if (!imported) {
      bool drop = imported.error().field == kShrinkRefusedField;
      if (drop) {
        // Kept for inspection (and `lists import --allow-shrink` when the source really shrank).
        std::string held =
            store.lists_dir() + "/held/" + src->name + "-" + safe_stamp(context.now) + "-" + src->file_name;
        if (env.make_dirs(store.lists_dir() + "/held") && write_file_atomic(env, held, ir.contents[0]))
          u.held_file = held;
        fail(UpdateOutcome::kHeldBack,
             "held back: " + imported.error().message +
                 (u.held_file.empty() ? "" : " (the download is saved as " + u.held_file + ")"));
      } else {
        fail(UpdateOutcome::kFailed, src->url + ": " + imported.error().message);
      }
      report.sources.push_back(std::move(u));
      continue;
    }
    auto& got_src = imported->front();
    u.list = got_src.info.name;
    const SnapshotInfo* before = current_of(u.list);
    u.previous = before ? before->id : "";
    u.snapshot = got_src.info;
    for (auto& p : got_src.report.problems) u.notes.push_back(p.to_string());
    if (before && before->id == got_src.info.id) {
      u.outcome = UpdateOutcome::kUnchanged;
      u.message = src->name + ": downloaded, same entries as snapshot " + u.previous;
    } else {
      u.outcome = UpdateOutcome::kUpdated;
      u.message =
          src->name + ": " + u.list + " is now snapshot " + got_src.info.id + " (" +
          std::to_string(got_src.info.entries) + " entries" +
          (before ? ", was " + before->id + " with " + std::to_string(before->entries) : std::string()) + ")";
    }
    last = {src->url, u.etag, u.last_modified, got_src.info.id, u.list, context.now};
    report.sources.push_back(std::move(u));
  }
  // Validators of sources that never succeeded are not kept (an empty entry would be harmless, but noise).
  for (auto it = state.begin(); it != state.end();)
    it = it->second.snapshot.empty() ? state.erase(it) : std::next(it);
  // The lists are in force by now: what fails after (the validators, retention) is a note on every
  // source, not a failure of the update, which would say "unchanged" of a list that changed.
  auto note = [&](const std::string& what) {
    for (auto& u : report.sources) u.notes.push_back(what);
  };
  if (auto st = write_state(env, state_path, state); !st)
    note("the download validators were not saved (" + st.error().message +
         "): the next update downloads in full");
  auto pruned = store.prune(config.keep_history, context.referenced);
  if (!pruned)
    note("old snapshot files were not pruned: " + pruned.error().message);
  else
    report.pruned = std::move(*pruned);
  return report;
}

}  // namespace clearance
