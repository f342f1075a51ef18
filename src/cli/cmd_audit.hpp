// `clearance audit …`, `clearance cases …`, `backup` and `restore`: the records and the review
// cases of the store (store/store.hpp, store/replay.hpp). Options as parsed by main.cpp.
//
// Exit status: 0 on success; 3 when `audit verify` finds the trail altered or `audit replay` finds
// today's answer different (a finding, not a failure to run); 2 on bad usage or input; 1 on
// internal or I/O failure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace clearance::cli {

inline constexpr int kExitFinding = 3;

struct AuditArgs {
  std::string extends;               // verify --extends SEQ:HASH
  std::int64_t id = 0;               // show / replay / redact ID
  std::string from, to;              // export --from DATE --to DATE
  std::vector<std::string> actions;  // export --action A (repeatable)
  std::string output;                // export --output FILE
  std::string reason;                // redact --reason TEXT
  std::string orders;                // replay --orders FILE (an impact book the store did not keep)
  std::string format = "text";       // text|json
};
int cmd_audit_verify(Context& ctx, const AuditArgs& a);
int cmd_audit_head(Context& ctx, const AuditArgs& a);
int cmd_audit_show(Context& ctx, const AuditArgs& a);
int cmd_audit_export(Context& ctx, const AuditArgs& a);
int cmd_audit_replay(Context& ctx, const AuditArgs& a);
int cmd_audit_redact(Context& ctx, const AuditArgs& a);

struct CasesArgs {
  std::int64_t id = 0;
  std::string status;            // list --status S
  std::string as;                // decide --as true_match|false_positive
  std::string reason;            // decide --reason TEXT
  std::string require_approval;  // policy --require-approval true|false
  int suppression_days = 0;      // policy --suppression-days N
  std::string format = "text";
};
int cmd_cases_list(Context& ctx, const CasesArgs& a);
int cmd_cases_show(Context& ctx, const CasesArgs& a);
int cmd_cases_decide(Context& ctx, const CasesArgs& a);
int cmd_cases_approve(Context& ctx, const CasesArgs& a);
int cmd_cases_policy(Context& ctx, const CasesArgs& a);

int cmd_backup(Context& ctx, const std::string& dir);
int cmd_restore(Context& ctx, const std::string& dir);

}  // namespace clearance::cli
