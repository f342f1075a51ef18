#include "clearance/lists/import.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"

namespace clearance {
namespace {

bool is_ofac_csv_name(const std::string& path) {
  auto base = to_lower_ascii(std::filesystem::path(path).filename().string());
  return base == "sdn.csv" || base == "alt.csv" || base == "add.csv" || base == "sdn_comments.csv" ||
         (starts_with_icase(base, "cons_") && base.size() > 4 && base.substr(base.size() - 4) == ".csv");
}

std::string percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", share * 100);
  return buf;
}

}  // namespace

std::vector<std::vector<std::string>> group_sources(const std::vector<std::string>& paths,
                                                    ListFormat format) {
  std::vector<std::vector<std::string>> out;
  std::map<std::string, size_t> ofac_group;  // directory -> index in out
  for (auto& p : paths) {
    bool ofac = format == ListFormat::kOfacCsv || (format == ListFormat::kAuto && is_ofac_csv_name(p));
    if (!ofac) {
      out.push_back({p});
      continue;
    }
    auto dir = std::filesystem::path(p).parent_path().string();
    auto it = ofac_group.find(dir);
    if (it == ofac_group.end()) {
      ofac_group[dir] = out.size();
      out.push_back({p});
    } else
      out[it->second].push_back(p);
  }
  return out;
}

Result<std::vector<ImportedSource>> import_lists(const ListStore& store, const CountryTable& countries,
                                                 const ImportRequest& req) {
  if (req.paths.empty()) return Error::BadInput("lists import: no files given");
  auto groups = group_sources(req.paths, req.options.format);
  if (!req.name.empty() && groups.size() != 1)
    return Error::BadInput("--name needs a single source, but the files form " +
                           std::to_string(groups.size()));
  std::vector<ListSnapshot> snapshots;
  std::vector<ImportedSource> result;
  for (auto& g : groups) {
    std::vector<SourceFile> files;
    for (auto& p : g) {
      if (req.contents.size() == req.paths.size()) {
        auto at = std::find(req.paths.begin(), req.paths.end(), p);
        files.push_back({p, req.contents[static_cast<size_t>(at - req.paths.begin())]});
        continue;
      }
      auto data = read_file(store.env(), p);
      if (!data) return data.error();
      files.push_back({p, std::move(*data)});
    }
    auto loaded = load_list(files, req.options, countries);
    if (!loaded) return loaded.error();
    if (loaded->parties.empty())
      return Error::BadInputAt(
          g.front(), 0, "",
          "no entries could be imported (" + std::to_string(loaded->report.skipped) + " bad rows" +
              (loaded->report.problems.empty() ? "" : "; first: " + loaded->report.problems[0].to_string()) +
              ")");
    const auto& rep = loaded->report;
    if (rep.rows > 0 &&
        static_cast<double>(rep.bad_rows()) > req.max_bad_rows * static_cast<double>(rep.rows))
      return Error::BadInputAt(g.front(), 0, "",
                               std::to_string(rep.bad_rows()) + " of " + std::to_string(rep.rows) +
                                   " rows are bad, over the limit of " + percent(req.max_bad_rows) +
                                   ": refused, the lists in force are unchanged (first: " +
                                   (rep.problems.empty() ? std::string("-") : rep.problems[0].to_string()) +
                                   ")");
    ListSnapshot s;
    s.info.name = req.name.empty() ? loaded->default_name : req.name;
    for (auto& other : snapshots)
      if (other.info.name == s.info.name)
        return Error::BadInputAt(
            g.front(), 0, "",
            "would become list '" + s.info.name + "', like " + other.info.files.front() +
                " in the same import: import them separately, or give each its own --name");
    s.info.format = std::string(to_string(loaded->format));
    s.info.source_date = loaded->source_date;
    s.info.imported_at = req.imported_at;
    for (auto& p : g) {
      auto at = std::find(req.paths.begin(), req.paths.end(), p);
      size_t i = static_cast<size_t>(at - req.paths.begin());
      s.info.files.push_back(i < req.recorded_names.size()
                                 ? req.recorded_names[i]
                                 : std::filesystem::absolute(p).lexically_normal().string());
    }
    s.info.rows = loaded->report.rows;
    s.info.skipped = loaded->report.skipped;
    s.info.orphans = loaded->report.orphans;
    s.parties = std::move(loaded->parties);
    seal_snapshot(s);
    result.push_back({s.info, std::move(loaded->report)});
    snapshots.push_back(std::move(s));
  }
  std::vector<const ListSnapshot*> ptrs;
  for (auto& s : snapshots) ptrs.push_back(&s);
  if (auto st = store.put(ptrs, req.put); !st) return st.error();
  return result;
}

Result<std::vector<ListSnapshot>> load_bundled_samples(const std::string& data_dir,
                                                       const CountryTable& countries, Env& env) {
  std::vector<ListSnapshot> out;
  for (auto [file, name] : {std::pair{"/lists/sample-us.csv", "sample-us"},
                            std::pair{"/lists/sample-cn.ftm.json", "sample-cn"}}) {
    std::string path = data_dir + file;
    auto data = read_file(env, path);
    if (!data) return data.error();
    LoadOptions o;
    o.strict = true;  // the samples are ours: any bad row is a bug
    auto l = load_list({{path, std::move(*data)}}, o, countries);
    if (!l) return l.error();
    ListSnapshot s;
    s.info.name = name;
    s.info.format = std::string(to_string(l->format));
    s.info.files = {path};
    s.info.rows = l->report.rows;
    s.info.bundled_sample = true;
    s.parties = std::move(l->parties);
    seal_snapshot(s);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace clearance
