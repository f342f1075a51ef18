// Loads the lists named in ../shared/eval/README.md (CSL 2026, OFAC SDN 2021-07 set, China's two
// lists) and the labelled queries, for tests and benchmarks that measure screening on real data.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clearance/common/csv.hpp"
#include "clearance/common/files.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/text/tables.hpp"

namespace clearance::testing {

struct EvalQuery {
  std::string id, name, type, country, expected_name, expected_list, category;
};

inline std::vector<std::vector<std::string>> eval_list_files(const std::string& shared) {
  return {{shared + "/data/us/csl/consolidated-2026-07-converted.csv"},
          {shared + "/data/us/ofac/sdn-2021-07/sdn.csv", shared + "/data/us/ofac/sdn-2021-07/alt.csv",
           shared + "/data/us/ofac/sdn-2021-07/add.csv"},
          {shared + "/data/cn/cn_mofcom_export_control_list.ftm.json"},
          {shared + "/data/cn/cn_mofcom_unreliable_entity_list.ftm.json"}};
}

// Returns an empty vector and sets *error when a file is missing or fails to load.
inline std::vector<ListSnapshot> load_eval_lists(const std::string& shared, const TextTables& tables,
                                                 std::string* error) {
  std::vector<ListSnapshot> out;
  for (auto& group : eval_list_files(shared)) {
    std::vector<SourceFile> files;
    for (auto& p : group) {
      auto data = read_file(p);
      if (!data) {
        *error = data.error().message;
        return {};
      }
      files.push_back({p, std::move(*data)});
    }
    auto l = load_list(files, LoadOptions{}, tables.countries);
    if (!l) {
      *error = l.error().message;
      return {};
    }
    ListSnapshot s;
    s.info.name = l->default_name;
    s.parties = std::move(l->parties);
    seal_snapshot(s);
    out.push_back(std::move(s));
  }
  return out;
}

inline std::vector<EvalQuery> load_eval_queries(const std::string& path) {
  std::vector<EvalQuery> out;
  auto data = read_file(path);
  if (!data) return out;
  csv::Reader r(*data);
  csv::Record rec;
  bool header = true;
  while (r.next(rec) == csv::Reader::Status::kRecord) {
    if (header) {
      header = false;
      continue;
    }
    if (rec.fields.size() < 7) continue;
    out.push_back({std::string(rec.fields[0]), std::string(rec.fields[1]), std::string(rec.fields[2]),
                   std::string(rec.fields[3]), std::string(rec.fields[4]), std::string(rec.fields[5]),
                   std::string(rec.fields[6])});
  }
  return out;
}

inline ScreenQuery to_screen_query(const EvalQuery& q, const TextTables& tables) {
  ScreenQuery s;
  s.name = q.name;
  s.type = party_type_from_string(q.type);
  if (auto c = tables.countries.resolve(q.country)) s.country = *c;
  return s;
}

}  // namespace clearance::testing
