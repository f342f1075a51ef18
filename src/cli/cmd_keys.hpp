// `clearance keys create|list|revoke`: the API keys of `clearance serve` (server/keys.hpp).
#pragma once

#include <string>

#include "cli/context.hpp"

namespace clearance::cli {

struct KeysArgs {
  std::string name;
  std::string role;
  std::string id;
  std::string format = "text";
};
// create prints the key once (stdout), then its id and role (stderr); exit 2 on a bad role or name.
int cmd_keys_create(Context& ctx, const KeysArgs& a);
int cmd_keys_list(Context& ctx, const KeysArgs& a);
// Exit 2 for an unknown id.
int cmd_keys_revoke(Context& ctx, const KeysArgs& a);

}  // namespace clearance::cli
