#include "cli/cmd_rules.hpp"

#include <iostream>
#include <memory>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/decide/engine.hpp"
#include "clearance/decide/json.hpp"
#include "clearance/decide/orders.hpp"
#include "clearance/decide/screener_checker.hpp"

namespace clearance::cli {

namespace {

Result<Date> as_of_date(const std::string& s) {
  std::string v = s.empty() ? utc_now().substr(0, 10) : s;  // front ends may read the clock
  auto d = Date::parse(v);
  if (!d) return Error::BadInput("--as-of: bad date '" + s + "' (expected YYYY-MM-DD)");
  return *d;
}

Result<std::shared_ptr<const Engine>> load_engine(Context& ctx) { return Engine::load(ctx.data_dir); }

}  // namespace

int run_classify(Context& ctx, const ClassifyArgs& a) {
  if (a.model.empty() == a.spec.empty())
    return exit_with(Error::BadInput("classify: give exactly one of --model or --spec"));
  auto date = as_of_date(a.as_of);
  if (!date) return exit_with(date.error());
  auto engine = load_engine(ctx);
  if (!engine) return exit_with(engine.error());
  std::shared_ptr<const Item> item;
  if (!a.spec.empty()) {
    auto text = read_file(a.spec, 1 << 20);
    if (!text) return exit_with(text.error());
    auto spec = (*engine)->parse_spec(*text, a.spec);
    if (!spec) return exit_with(spec.error());
    item = std::make_shared<const Item>(std::move(*spec));
  } else {
    auto m = (*engine)->resolve_item(a.model);
    if (!m) return exit_with(m.error());
    item = m->item;
  }
  auto c = (*engine)->classify(*item, *date);
  if (a.format == "json")
    std::cout << classification_to_json(*item, *c).dump(2) << "\n";
  else
    std::cout << classification_to_text(*item, *c);
  return 0;
}

int run_check(Context& ctx, const CheckArgs& a) {
  auto engine = load_engine(ctx);
  if (!engine) return exit_with(engine.error());
  std::unique_ptr<ScreenerPartyChecker> screening;
  std::unique_ptr<CachingPartyChecker> cached;
  const PartyChecker* checker = nullptr;
  auto want_screening = [&](bool any_party) -> Status {
    if (a.no_screen || !any_party) return Status::Ok();
    auto s = ctx.screener();
    if (!s) return s.error();
    screening = std::make_unique<ScreenerPartyChecker>(*s);
    cached = std::make_unique<CachingPartyChecker>(*screening);
    checker = cached.get();
    return Status::Ok();
  };

  if (!a.input.empty()) {
    auto text = read_file(a.input);
    if (!text) return exit_with(text.error());
    std::optional<Date> def;
    if (auto d = as_of_date(a.as_of))
      def = *d;
    else
      return exit_with(d.error());
    auto rows = parse_orders_csv(*text, a.input, def);
    if (!rows) return exit_with(rows.error());
    bool any_party = false;
    for (const auto& r : *rows) any_party = any_party || (r.tx && !r.tx->parties.empty());
    if (auto st = want_screening(any_party); !st) return exit_with(st.error());
    Output out;
    if (auto st = out.open(a.output, {a.input}); !st) return exit_with(st.error());
    const bool csv = a.format == "csv";
    const std::string note = checker ? checker->lists_note() : std::string();
    Status written = csv ? out.write(order_summary_header() + "\n") : Status::Ok();
    size_t bad = 0;
    determine_orders(**engine, *rows, checker, a.threads, [&](size_t i, const Result<Determination>& r) {
      if (!r.ok()) ++bad;
      if (!written.ok()) return;  // the first failed write is the answer; the rest is not written
      written = out.write(csv ? order_summary_csv((*rows)[i].id, r) + "\n"
                              : order_result_to_json((*rows)[i].id, r, note).dump() + "\n");
    });
    Status closed = out.close();
    if (!written.ok()) return exit_with(written.error());
    if (!closed.ok()) return exit_with(closed.error());
    if (!note.empty()) std::cerr << "clearance: note: " << note << "\n";
    if (bad) {
      std::cerr << "clearance: " << bad << " of " << rows->size() << " orders had errors (see their rows)\n";
      return 2;
    }
    return 0;
  }

  if (a.to.empty()) return exit_with(Error::BadInput("check: --to is required (or --input FILE)"));
  if (a.item.empty() == a.spec.empty())
    return exit_with(Error::BadInput("check: give exactly one of --item or --spec"));
  auto date = as_of_date(a.as_of);
  if (!date) return exit_with(date.error());
  Transaction t;
  t.as_of = *date;
  if (!a.spec.empty()) {
    auto text = read_file(a.spec, 1 << 20);
    if (!text) return exit_with(text.error());
    auto spec = (*engine)->parse_spec(*text, a.spec);
    if (!spec) return exit_with(spec.error());
    t.items.push_back({"", std::make_shared<const Item>(std::move(*spec)), a.quantity, a.value});
  } else {
    for (const auto& part : split_trimmed(a.item, ";"))
      t.items.push_back({part, nullptr, a.quantity, a.value});
  }
  t.destination = a.to;
  t.from = a.from;
  t.origin = a.origin;
  t.exporter = a.exporter;
  t.buyer_hq = a.buyer_hq;
  t.end_uses = a.end_uses;
  for (const auto& p : a.parties) t.parties.push_back({p, a.party_country, "party", false, {}});
  if (auto st = want_screening(!t.parties.empty()); !st) return exit_with(st.error());
  auto d = (*engine)->determine(t, checker);
  if (!d) return exit_with(d.error());
  const std::string note = checker ? checker->lists_note() : std::string();
  if (a.format == "json")
    std::cout << determination_to_json(*d, note).dump(2) << "\n";
  else
    std::cout << determination_to_text(*d, note);
  return 0;
}

}  // namespace clearance::cli
