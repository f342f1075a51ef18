// Endpoint handlers, grouped by topic. Each parses its request, calls the library and returns the
// answer; errors are thrown as ApiError.
#pragma once

#include <string>
#include <vector>

#include "clearance/impact/impact.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/match/query.hpp"
#include "server/service.hpp"

namespace clearance::server {

namespace ops {
Answer healthz(Call& c);
Answer readyz(Call& c);
Answer metrics(Call& c);
Answer openapi(Call& c);
Answer me(Call& c);
Answer audit_record(Call& c);
Answer audit_replay(Call& c);
}  // namespace ops

namespace decide {
Answer classify(Call& c);
Answer check(Call& c);
}  // namespace decide

namespace screen {
// A row of a JSON batch, read and checked.
struct JsonBatchRow {
  std::string id;
  bool id_given = false;  // the row named its customer: cases are keyed by it, as by a CSV id column
  ReadQuery read;
};
// Reads every row of a JSON batch array, or throws a 400 naming the first bad one ([k] counted from
// `first`, the index of body[0] in the whole batch, which also numbers rows without an id).
std::vector<JsonBatchRow> read_json_batch(const nlohmann::json& body, const TextTables& tables,
                                          double threshold, size_t limit, size_t first = 0);
// Screens one row as /v1/screen/batch answers it; `line` is its index in the whole batch.
BatchRow answer_json_row(const JsonBatchRow& r, size_t line, const Screener& screener, Metrics& metrics,
                         const std::string& note);
// min_score and limit of a batch (query parameters), checked: a 400 names the one at fault.
std::pair<double, size_t> batch_limits(Call& c);
// The column parameters of a CSV batch (id_column, name_column…) and the BatchOptions field each
// names.
const std::vector<std::pair<const char*, std::string BatchOptions::*>>& batch_columns();
Answer one(Call& c);
int batch(Call& c, Responder& out);
Answer compare(Call& c);
Answer lists(Call& c);
Answer entry(Call& c);
}  // namespace screen

namespace catalogue {
Answer items(Call& c);
Answer rules(Call& c);
}  // namespace catalogue

namespace cases {
Answer list(Call& c);
Answer show(Call& c);
Answer decide(Call& c);
Answer approve(Call& c);
Answer policy(Call& c);
}  // namespace cases

namespace data {
// An impact run's parameters (POST /v1/impact?from=&to=[&screen=][&max_listed=]), checked.
struct ImpactParams {
  Date from, to;
  bool screen = true;
  size_t max_listed = 10000;
  // A part of a larger book cut after its header (a chunk of an impact job): its first row was on
  // line line_shift + 2 of the whole.
  size_t line_shift = 0;
};
ImpactParams impact_params(Call& c);
// An order book run as POST /v1/impact runs it: the report, its JSON answer and the record to put
// on the trail (the book kept in `store` when given, for replay). Throws ApiError.
struct ImpactRun {
  ImpactReport report;
  nlohmann::ordered_json body;
  RecordDraft draft;
};
ImpactRun run_impact_book(const ServingState& state, Store* store, const std::string& book,
                          const ImpactParams& p, const std::function<void(std::uint64_t)>& progress);
std::string impact_html(const ImpactReport& report);
Answer impact(Call& c);
Answer import_list(Call& c);
Answer update_lists(Call& c);
}  // namespace data

namespace jobs {
Answer create(Call& c);
Answer show(Call& c);
Answer result(Call& c);
}  // namespace jobs

namespace compat {
Answer yente_match(Call& c);
Answer watchman_search(Call& c);
}  // namespace compat

// The OpenAPI 3.1 document (src/server/openapi.json, compiled in).
const std::string& openapi_document();

}  // namespace clearance::server
