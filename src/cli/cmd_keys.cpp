#include "cli/cmd_keys.hpp"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "server/keys.hpp"
#include "server/service.hpp"

namespace clearance::cli {

namespace {

// The store whose keys these are: a PostgreSQL store named with --store (shared by its replicas),
// else none (the data home's keys.json).
Result<Store*> key_store(Context& ctx) {
  if (ctx.store_location.rfind("postgres://", 0) != 0 && ctx.store_location.rfind("postgresql://", 0) != 0)
    return static_cast<Store*>(nullptr);
  return ctx.store();
}

}  // namespace

int cmd_keys_create(Context& ctx, const KeysArgs& a) {
  if (!server::role_from_string(a.role))
    return exit_with(Error::BadInput("--role: expected viewer, analyst, approver, admin or auditor, got '" +
                                     a.role + "'"));
  auto store = key_store(ctx);
  if (!store) return exit_with(store.error());
  auto made = server::create_key(ctx.home, *store, a.name, a.role, utc_now());
  if (!made) return exit_with(made.error());
  std::cout << made->second << "\n";
  std::cerr << "clearance: key " << made->first.id << " (" << a.role << ") for " << a.name
            << " created; it is shown only this once, only its SHA-256 is kept\n";
  return 0;
}

int cmd_keys_list(Context& ctx, const KeysArgs& a) {
  auto store = key_store(ctx);
  if (!store) return exit_with(store.error());
  auto keys = server::read_keys(ctx.home, *store);
  if (!keys) return exit_with(keys.error());
  if (a.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& k : *keys)
      out.push_back({{"id", k.id},
                     {"name", k.name},
                     {"role", k.role},
                     {"created_at", k.created_at},
                     {"revoked_at", k.revoked_at.empty() ? nlohmann::ordered_json()
                                                         : nlohmann::ordered_json(k.revoked_at)}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (a.format != "text") return exit_with(Error::BadInput("--format must be text or json"));
  std::printf("%-10s %-9s %-21s %-21s %s\n", "ID", "ROLE", "CREATED", "REVOKED", "NAME");
  for (const auto& k : *keys)
    std::printf("%-10s %-9s %-21s %-21s %s\n", k.id.c_str(), k.role.c_str(), k.created_at.c_str(),
                k.revoked_at.empty() ? "-" : k.revoked_at.c_str(), k.name.c_str());
  return 0;
}

int cmd_keys_revoke(Context& ctx, const KeysArgs& a) {
  auto store = key_store(ctx);
  if (!store) return exit_with(store.error());
  auto k = server::revoke_key(ctx.home, *store, a.id, utc_now());
  if (!k) return exit_with(k.error());
  std::cout << "revoked " << k->id << " (" << k->role << ", " << k->name << ") at " << k->revoked_at << "\n";
  return 0;
}

}  // namespace clearance::cli
