// The lists in force as published in the store, so that replicas sharing a PostgreSQL store serve
// the same snapshots: settings rows "lists_in_force/NAME" = snapshot id, changed in a writer
// transaction that also runs NOTIFY clearance_lists (PostgreSQL delivers it at commit, so a
// listener never hears of a change it cannot read yet).
#include "store/store_impl.hpp"

namespace clearance {

using namespace store_detail;

namespace {

constexpr const char* kPrefix = "lists_in_force/";
constexpr const char* kChannel = "clearance_lists";

}  // namespace

Result<bool> Store::publish_lists(const std::vector<SnapshotRef>& in_force) {
  if (in_force.empty()) return false;
  return impl_->in_writer<bool>([&](WriterTx& tx) -> Result<bool> {
    bool changed = false;
    for (const auto& ref : in_force) {
      auto r =
          tx.conn.query("SELECT value FROM settings WHERE key = ?", {SqlValue::text(kPrefix + ref.name)});
      if (!r) return r.error();
      if (!r->empty() && col((*r)[0], 0) == ref.id) continue;
      auto w = tx.conn.query(
          "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
          "excluded.value",
          {SqlValue::text(kPrefix + ref.name), SqlValue::text(ref.id)});
      if (!w) return w.error();
      changed = true;
    }
    if (changed && impl_->pg)
      if (auto st = tx.conn.exec(std::string("NOTIFY ") + kChannel); !st) return st.error();
    return changed;
  });
}

Result<std::vector<SnapshotRef>> Store::published_lists() {
  std::lock_guard lk(impl_->rmu);
  // The prefix compared here, not with LIKE: its '_' is a LIKE wildcard (the settings are few).
  auto r = impl_->rconn->query("SELECT key, value FROM settings ORDER BY key");
  if (!r) return r.error();
  const std::string prefix = kPrefix;
  std::vector<SnapshotRef> out;
  for (const auto& row : *r)
    if (col(row, 0).rfind(prefix, 0) == 0) out.push_back({col(row, 0).substr(prefix.size()), col(row, 1)});
  return out;
}

Result<bool> Store::wait_for_published_lists(int timeout_ms) {
  if (!impl_->pg)
    return Error::BadInput(impl_->location + ": announcements of the lists in force need a PostgreSQL store");
  std::lock_guard lk(impl_->listen_mu);
  if (!impl_->listen) {
    auto c = open_postgres(impl_->location);
    if (!c) return c.error();
    if (auto st = (*c)->exec(std::string("LISTEN ") + kChannel); !st) return st.error();
    impl_->listen = std::move(*c);
    return true;  // whatever was announced before we listened is unknown: look now
  }
  auto r = impl_->listen->wait_notification(timeout_ms);
  if (!r) impl_->listen.reset();
  return r;
}

}  // namespace clearance
