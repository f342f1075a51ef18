#include "cli/cmd_audit.hpp"

#include <iostream>

#include "clearance/store/replay.hpp"

namespace clearance::cli {

namespace {

std::string short_hash(const std::string& h) { return h.substr(0, 16); }

nlohmann::ordered_json report_to_json(const VerifyReport& r) {
  nlohmann::ordered_json j;
  j["ok"] = r.ok;
  j["records"] = r.records;
  j["head"] = r.head.to_string();
  j["head_file"] = r.head_file ? nlohmann::ordered_json(r.head_file->to_string()) : nlohmann::ordered_json();
  j["redacted"] = r.redacted;
  if (!r.ok) {
    j["problem"] = to_string(r.problem);
    j["record"] = r.problem_seq;
    j["message"] = r.message;
  }
  return j;
}

}  // namespace

int cmd_audit_verify(Context& ctx, const AuditArgs& a) {
  std::optional<ChainHead> extends;
  if (!a.extends.empty()) {
    extends = ChainHead::parse(a.extends);
    if (!extends)
      return exit_with(
          Error::BadInput("--extends: expected SEQ:HASH (as `audit head` prints), not '" + a.extends + "'"));
  }
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto rep = (*store)->verify(extends);
  if (!rep) return exit_with(rep.error());
  if (a.format == "json") {
    std::cout << report_to_json(*rep).dump(2) << "\n";
  } else if (rep->ok) {
    std::cout << "OK: " << rep->records << " records verified; head " << rep->head.seq << ":"
              << short_hash(rep->head.hash) << "…";
    if (!rep->head_file) std::cout << " (no chain-head file)";
    if (extends) std::cout << "; extends " << extends->seq << ":" << short_hash(extends->hash) << "…";
    std::cout << "\n";
    if (!rep->redacted.empty()) {
      std::cout << rep->redacted.size()
                << " record(s) had their inputs redacted, each by a redaction record:";
      for (auto s : rep->redacted) std::cout << " " << s;
      std::cout << "\n";
    }
  } else {
    std::cout << "FAILED (" << to_string(rep->problem) << "): " << rep->message << "\n"
              << rep->records << " records verified before it\n";
  }
  return rep->ok ? 0 : kExitFinding;
}

int cmd_audit_head(Context& ctx, const AuditArgs& a) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto h = (*store)->head();
  if (!h) return exit_with(h.error());
  if (a.format == "json")
    std::cout << nlohmann::ordered_json{{"seq", h->seq}, {"hash", h->hash}, {"head", h->to_string()}}.dump(2)
              << "\n";
  else
    std::cout << h->to_string() << "\n";
  return 0;
}

int cmd_audit_show(Context& ctx, const AuditArgs& a) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto r = (*store)->record(a.id);
  if (!r) return exit_with(r.error());
  std::cout << r->to_json().dump(2) << "\n";
  return 0;
}

int cmd_audit_export(Context& ctx, const AuditArgs& a) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  Output out;
  if (auto st = out.open(a.output); !st) return exit_with(st.error());
  Status written;
  size_t n = 0;
  auto st = (*store)->scan({a.from, a.to, a.actions}, [&](const Record& r) {
    written = out.write(r.to_json().dump() + "\n");
    ++n;
    return written.ok();
  });
  Status closed = out.close();
  if (!st) return exit_with(st.error());
  if (!written.ok()) return exit_with(written.error());
  if (!closed.ok()) return exit_with(closed.error());
  if (!a.output.empty()) std::cerr << "clearance: " << n << " records written to " << a.output << "\n";
  return 0;
}

int cmd_audit_replay(Context& ctx, const AuditArgs& a) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto tables = ctx.tables();
  if (!tables) return exit_with(tables.error());
  auto rep = replay_record(**store, a.id, {ctx.data_dir, *tables, a.orders});
  if (!rep) return exit_with(rep.error());
  if (a.format == "json") {
    nlohmann::ordered_json j = {{"record", rep->seq},
                                {"action", rep->action},
                                {"same", rep->same},
                                {"differences", rep->differences},
                                {"replayed", rep->replayed}};
    std::cout << j.dump(2) << "\n";
  } else if (rep->same) {
    std::cout << "SAME: record " << rep->seq << " (" << rep->action
              << ") gives the same answer today, on the lists and rules it recorded\n";
  } else {
    std::cout << "DIFFERENT: record " << rep->seq << " (" << rep->action << ") answers differently today:\n";
    for (const auto& d : rep->differences) std::cout << "  " << d << "\n";
  }
  return rep->same ? 0 : kExitFinding;
}

int cmd_audit_redact(Context& ctx, const AuditArgs& a) {
  if (a.reason.empty()) return exit_with(Error::BadInput("audit redact: --reason TEXT is required"));
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto r = (*store)->redact(a.id, a.reason, ctx.caller());
  if (!r) return exit_with(r.error());
  std::cout << "record " << a.id << ": inputs redacted; the redaction is audit record " << r->seq << "\n";
  return 0;
}

// ---------------------------------------------------------------- cases

namespace {

std::string case_line(const Case& c) {
  std::string s = std::to_string(c.id) + "  " + std::string(to_string(c.status));
  if (c.decision != CaseDecision::kNone) s += " " + std::string(to_string(c.decision));
  return s + "  " + c.party_name + "  ~  " + c.entry_name + " (" + c.list + ", " + c.entry_id + ")";
}

void print_case(const Case& c, const std::string& format) {
  if (format == "json") {
    std::cout << c.to_json().dump(2) << "\n";
    return;
  }
  std::cout << "case " << c.id << ": " << to_string(c.status);
  if (c.decision != CaseDecision::kNone) std::cout << " (" << to_string(c.decision) << ")";
  std::cout << "\n  party   " << c.party_name << "  [" << c.party_key << "]\n"
            << "  entry   " << c.entry_name << " — " << c.list << ", " << c.entry_id << " (content "
            << c.entry_hash.substr(0, 12) << "…)\n"
            << "  score   " << c.score << "\n  opened  " << c.opened_at << " by " << c.opened_by << "\n";
  if (!c.decided_by.empty())
    std::cout << "  decided " << c.decided_at << " by " << c.decided_by << ": " << c.reason << "\n";
  if (!c.approved_by.empty()) std::cout << "  approved " << c.approved_at << " by " << c.approved_by << "\n";
  if (!c.expires_at.empty()) std::cout << "  suppresses the pair until " << c.expires_at << "\n";
  if (!c.closed_note.empty()) std::cout << "  " << c.closed_note << "\n";
}

}  // namespace

int cmd_cases_list(Context& ctx, const CasesArgs& a) {
  std::optional<CaseStatus> status;
  if (!a.status.empty()) {
    status = case_status_from_string(a.status);
    if (!status)
      return exit_with(Error::BadInput("--status: one of open, pending, decided, released, expired; not '" +
                                       a.status + "'"));
  }
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto cases = (*store)->cases(status, 100000);
  if (!cases) return exit_with(cases.error());
  if (a.format == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& c : *cases) j.push_back(c.to_json());
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  if (cases->empty()) std::cout << "no cases" << (status ? " " + a.status : std::string()) << "\n";
  for (const auto& c : *cases) std::cout << case_line(c) << "\n";
  return 0;
}

int cmd_cases_show(Context& ctx, const CasesArgs& a) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto c = (*store)->get_case(a.id);
  if (!c) return exit_with(c.error());
  print_case(*c, a.format);
  return 0;
}

int cmd_cases_decide(Context& ctx, const CasesArgs& a) {
  auto decision = case_decision_from_string(a.as);
  if (!decision) return exit_with(Error::BadInput("--as: true_match or false_positive, not '" + a.as + "'"));
  if (a.reason.empty()) return exit_with(Error::BadInput("cases decide: --reason TEXT is required"));
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto c = (*store)->decide(a.id, *decision, a.reason, ctx.caller());
  if (!c) return exit_with(c.error());
  print_case(*c, a.format);
  if (a.format != "json" && c->status == CaseStatus::kPending)
    std::cout << "pending: the four-eyes policy needs another user to approve it (clearance cases approve "
              << c->id << ")\n";
  return 0;
}

int cmd_cases_approve(Context& ctx, const CasesArgs& a) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto c = (*store)->approve(a.id, ctx.caller());
  if (!c) return exit_with(c.error());
  print_case(*c, a.format);
  return 0;
}

int cmd_cases_policy(Context& ctx, const CasesArgs& a) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  auto p = (*store)->policy();
  if (!p) return exit_with(p.error());
  bool change = !a.require_approval.empty() || a.suppression_days != 0;
  if (change) {
    if (!a.require_approval.empty()) {
      if (a.require_approval != "true" && a.require_approval != "false")
        return exit_with(
            Error::BadInput("--require-approval: true or false, not '" + a.require_approval + "'"));
      p->require_approval = a.require_approval == "true";
    }
    if (a.suppression_days != 0) p->suppression_days = a.suppression_days;
    auto r = (*store)->set_policy(*p, ctx.caller());
    if (!r) return exit_with(r.error());
  }
  if (a.format == "json")
    std::cout << nlohmann::ordered_json{{"require_approval", p->require_approval},
                                        {"suppression_days", p->suppression_days}}
                     .dump(2)
              << "\n";
  else
    std::cout << "four-eyes approval: " << (p->require_approval ? "required" : "not required")
              << "\nfalse positives suppress their pair for " << p->suppression_days << " days\n";
  return 0;
}

// ---------------------------------------------------------------- backup / restore

int cmd_backup(Context& ctx, const std::string& dir) {
  auto store = ctx.store();
  if (!store) return exit_with(store.error());
  if (auto st = (*store)->backup(dir); !st) return exit_with(st.error());
  auto h = (*store)->head();
  std::cout << "backup of " << (*store)->location() << " written to " << dir;
  if (h) std::cout << " (head " << h->seq << ":" << short_hash(h->hash) << "… or later)";
  std::cout << "\n";
  return 0;
}

int cmd_restore(Context& ctx, const std::string& dir) {
  auto o = ctx.store_options();
  if (!o) return exit_with(o.error());
  auto a = Store::restore(dir, *o, ctx.caller());
  if (!a) return exit_with(a.error());
  std::cout << "restored " << dir << " into " << o->location << "; the restore is audit record " << a->seq
            << " (clearance audit verify checks the trail)\n";
  return 0;
}

}  // namespace clearance::cli
