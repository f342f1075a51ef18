// Liveness, readiness, metrics and the OpenAPI document.
#include <ctime>

#include "clearance/store/replay.hpp"
#include "server/json_input.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

namespace ops {

Answer healthz(Call&) {
  Answer a;
  a.body = {{"status", "ok"}};
  return a;
}

Answer readyz(Call& c) {
  Answer a;
  auto state = c.svc.state();
  nlohmann::ordered_json checks = {{"lists_loaded", state != nullptr}, {"accepting", c.svc.ready()}};
  bool ok = state && c.svc.ready();
  a.status = ok ? 200 : 503;
  a.body = {{"status", ok ? "ready" : "not_ready"}, {"checks", checks}};
  // Ready, but reading less than it could: say what is missing.
  if (state && !state->tables->japanese_warning.empty())
    a.body["warnings"] = nlohmann::ordered_json::array({state->tables->japanese_warning});
  return a;
}

Answer metrics(Call& c) {
  std::string out = c.svc.metrics().render();
  auto state = c.svc.state();
  if (state && state->screener) {
    out +=
        "# HELP clearance_list_entries Entries of each list in force.\n# TYPE clearance_list_entries gauge\n";
    for (const auto& s : state->screener->snapshots())
      out += "clearance_list_entries{list=\"" + label(s.info.name) + "\",snapshot=\"" + label(s.info.id) +
             "\"} " + std::to_string(s.info.entries) + "\n";
    out += "# HELP clearance_list_names Names (primary and aliases) of each list in force.\n";
    out += "# TYPE clearance_list_names gauge\n";
    for (const auto& s : state->screener->snapshots())
      out +=
          "clearance_list_names{list=\"" + label(s.info.name) + "\"} " + std::to_string(s.info.names) + "\n";
    out += "# HELP clearance_list_age_seconds Seconds since each list in force was imported.\n";
    out += "# TYPE clearance_list_age_seconds gauge\n";
    for (const auto& s : state->screener->snapshots())
      if (double age = seconds_since(s.info.imported_at, std::time(nullptr)); age >= 0)
        out +=
            "clearance_list_age_seconds{list=\"" + label(s.info.name) + "\"} " + std::to_string(age) + "\n";
    out +=
        "# HELP clearance_snapshot_loaded_seconds Seconds since this server switched to the lists in "
        "force.\n";
    out += "# TYPE clearance_snapshot_loaded_seconds gauge\n";
    out +=
        "clearance_snapshot_loaded_seconds " +
        std::to_string(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - state->loaded_clock).count()) +
        "\n";
  }
  if (Store* store = c.svc.store()) {
    // Review cases by status; "open" ones wait for an analyst, "pending" ones for an approver.
    if (auto counts = store->case_counts()) {
      std::int64_t open = 0;
      out += "# HELP clearance_cases Review cases by status.\n# TYPE clearance_cases gauge\n";
      for (auto [status, n] : *counts) {
        out +=
            "clearance_cases{status=\"" + std::string(to_string(status)) + "\"} " + std::to_string(n) + "\n";
        if (status == CaseStatus::kOpen) open = n;
      }
      out += "# HELP clearance_cases_open Review cases waiting for a decision.\n";
      out += "# TYPE clearance_cases_open gauge\nclearance_cases_open " + std::to_string(open) + "\n";
    }
  }
  Answer a;
  a.raw = std::move(out);
  a.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return a;
}

namespace {

std::int64_t record_id(Call& c) {
  if (!c.svc.store()) throw ApiError::not_found("this server keeps no audit trail (--no-record)");
  const std::string& id = c.params["id"];
  char* end = nullptr;
  long long seq = std::strtoll(id.c_str(), &end, 10);
  if (id.empty() || *end || seq < 1)
    throw ApiError::invalid("id", "id: expected a record number, got '" + id + "'");
  return seq;
}

Record existing_record(Call& c, std::int64_t seq) {
  auto r = c.svc.store()->record(seq);
  // The store says a missing record is bad input (for the CLI's exit status); here it is a 404.
  if (!r && r.error().kind != Error::Kind::kIo && r.error().kind != Error::Kind::kInternal)
    throw ApiError::not_found(r.error().message);
  if (!r) throw from_library(r.error(), "id");
  return std::move(*r);
}

}  // namespace

Answer audit_record(Call& c) {
  Answer a;
  a.body = existing_record(c, record_id(c)).to_json();
  return a;
}

// POST /v1/audit/{id}/replay: reruns a recorded answer with today's code on the lists, rule packs
// and catalogue the record names (kept in the store), as `clearance audit replay` does. A replay
// reads the trail and adds nothing to it.
Answer audit_replay(Call& c) {
  std::int64_t seq = record_id(c);
  if (!c.req.body().empty()) {
    auto body = c.json_body();
    JsonObject o(body, {});
  }
  nlohmann::ordered_json recorded = existing_record(c, seq).to_json();
  auto rep = replay_record(*c.svc.store(), seq, {c.svc.options().data_dir, c.state->tables, ""});
  if (!rep) {
    const Error& e = rep.error();
    if (e.kind == Error::Kind::kBadInput) throw ApiError{409, "not_replayable", e.message, "id", {}};
    if (e.kind == Error::Kind::kNotFound) throw ApiError::not_found(e.message);
    throw from_library(e);
  }
  Answer a;
  a.body = {{"record", rep->seq},        {"action", rep->action},
            {"same", rep->same},         {"differences", rep->differences},
            {"recorded", rep->recorded}, {"replayed", rep->replayed}};
  // What the answer used: the record's snapshots and rule packs, not the ones in force now.
  nlohmann::ordered_json snaps = nlohmann::ordered_json::array();
  if (recorded["snapshots"].is_array())
    for (const auto& s : recorded["snapshots"])
      snaps.push_back({{"list", s.value("name", s.value("list", ""))}, {"id", s.value("id", "")}});
  std::string rules;
  if (recorded["rules"].is_array() && !recorded["rules"].empty() && recorded["rules"][0].is_string())
    rules = recorded["rules"][0];
  a.body["meta"] = {{"snapshots", std::move(snaps)},
                    {"rules_version", rules},
                    {"request_id", c.request_id},
                    {"audit_id", nullptr}};
  return a;
}

// GET /v1/me: who the key is (the page shows it and offers only what the role may do).
Answer me(Call& c) {
  c.only_query({});
  Answer a;
  a.body = {{"key_id",
             c.caller.key_id.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(c.caller.key_id)},
            {"name", c.caller.name},
            {"role", role_name(c.caller.role)},
            {"recording", c.svc.recording()}};
  return a;
}

Answer openapi(Call&) {
  Answer a;
  a.raw = openapi_document();
  return a;
}

}  // namespace ops
}  // namespace clearance::server
