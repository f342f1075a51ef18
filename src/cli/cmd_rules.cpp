#include "cli/cmd_rules.hpp"

#include <iostream>
#include <memory>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/decide/engine.hpp"
#include "clearance/decide/json.hpp"
#include "clearance/decide/orders.hpp"
#include "clearance/decide/request.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/store/recording.hpp"

namespace clearance::cli {

namespace {

Result<Date> as_of_date(const std::string& s) {
  std::string v = s.empty() ? utc_now().substr(0, 10) : s;  // front ends may read the clock
  auto d = Date::parse(v);
  if (!d) return Error::BadInput("--as-of: bad date '" + s + "' (expected YYYY-MM-DD)");
  return *d;
}

Result<std::shared_ptr<const Engine>> load_engine(Context& ctx) { return Engine::load(ctx.data_dir); }

// A record of an answer of the bundled engine: its rule packs and catalogue kept, and the lists
// when parties were screened. Nothing is written on a trial run.
Result<RecordDraft> engine_draft(Context& ctx, const Engine& engine, bool screened) {
  RecordDraft d;
  if (!ctx.record) return d;
  auto store = ctx.store();
  if (!store) return store.error();
  auto v = keep_engine_data(**store, ctx.data_dir + "/rules", ctx.data_dir + "/items", engine);
  if (!v) return v.error();
  d.rules = {v->rules};
  d.catalogue = v->catalogue;
  if (screened) {
    auto refs = ctx.screened_lists(**store);
    if (!refs) return refs.error();
    d.snapshots = *refs;
  }
  return d;
}

}  // namespace

int run_classify(Context& ctx, const ClassifyArgs& a) {
  if (a.model.empty() == a.spec.empty())
    return exit_with(Error::BadInput("classify: give exactly one of --model or --spec"));
  auto date = as_of_date(a.as_of);
  if (!date) return exit_with(date.error());
  auto engine = load_engine(ctx);
  if (!engine) return exit_with(engine.error());
  std::shared_ptr<const Item> item;
  std::string spec_text;
  if (!a.spec.empty()) {
    auto text = read_file(a.spec, 1 << 20);
    if (!text) return exit_with(text.error());
    spec_text = *text;
    auto spec = (*engine)->parse_spec(*text, a.spec);
    if (!spec) return exit_with(spec.error());
    item = std::make_shared<const Item>(std::move(*spec));
  } else {
    auto m = (*engine)->resolve_item(a.model);
    if (!m) return exit_with(m.error());
    item = m->item;
  }
  auto c = (*engine)->classify(*item, *date);
  auto answer = classification_to_json(*item, *c);
  auto d = engine_draft(ctx, **engine, false);
  if (!d) return exit_with(d.error());
  d->action = "classify";
  d->inputs = {{"as_of", date->to_string()}};
  if (!a.spec.empty())
    d->inputs["spec"] = spec_text;
  else
    d->inputs["model"] = a.model;
  d->result = nlohmann::json(answer);
  auto seq = ctx.put_on_record(std::move(*d));
  if (!seq) return exit_with(seq.error());
  if (a.format == "json") {
    mark_record(answer, *seq);
    std::cout << answer.dump(2) << "\n";
  } else {
    std::cout << classification_to_text(*item, *c) << record_line(ctx.record, *seq);
  }
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
    // One record per order; the answers of a group go out once its records are durable.
    auto base = engine_draft(ctx, **engine, checker != nullptr);
    if (!base) return exit_with(base.error());
    std::vector<RecordDraft> drafts;
    std::vector<std::string> lines;
    std::int64_t first = 0, last = 0;
    auto flush = [&]() -> Status {
      if (!drafts.empty()) {
        auto store = ctx.store();
        if (!store) return store.error();
        for (auto& d : drafts) d.caller = ctx.caller();
        auto appended = (*store)->append_all(std::move(drafts));
        if (!appended) return appended.error();
        if (!first) first = appended->front().seq;
        last = appended->back().seq;
      }
      drafts.clear();
      for (const auto& l : lines)
        if (written.ok()) written = out.write(l);
      lines.clear();
      return written;
    };
    determine_orders(**engine, *rows, checker, a.threads, [&](size_t i, const Result<Determination>& r) {
      if (!r.ok()) ++bad;
      if (!written.ok()) return;  // the first failed write is the answer; the rest is not written
      const OrderRow& row = (*rows)[i];
      auto answer = order_result_to_json(row.id, r, note);
      lines.push_back(csv ? order_summary_csv(row.id, r) + "\n" : answer.dump() + "\n");
      if (ctx.record) {
        RecordDraft d = *base;
        d.action = "check.batch";
        d.inputs =
            row.tx ? request_from_transaction(*row.tx, !a.no_screen) : nlohmann::json{{"error", row.error}};
        d.inputs["row"] = {{"file", a.input}, {"line", row.line}};
        d.result = nlohmann::json(answer);
        drafts.push_back(std::move(d));
      }
      if (lines.size() >= 4096) written = flush();
    });
    if (written.ok()) written = flush();
    Status closed = out.close();
    if (!written.ok()) return exit_with(written.error());
    if (!closed.ok()) return exit_with(closed.error());
    if (!note.empty()) std::cerr << "clearance: note: " << note << "\n";
    if (!ctx.record)
      say_trial_run();
    else if (last)
      std::cerr << "clearance: on the record: audit records " << first << " to " << last << "\n";
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
  std::string spec_text;
  if (!a.spec.empty()) {
    auto text = read_file(a.spec, 1 << 20);
    if (!text) return exit_with(text.error());
    spec_text = *text;
    auto spec = (*engine)->parse_spec(*text, a.spec);
    if (!spec) return exit_with(spec.error());
    t.items.push_back({"", std::make_shared<const Item>(std::move(*spec)), a.quantity, a.value, a.eccn});
  } else {
    for (const auto& part : split_trimmed(a.item, ";"))
      t.items.push_back({part, nullptr, a.quantity, a.value, a.eccn});
  }
  t.destination = a.to;
  t.from = a.from;
  t.origin = a.origin;
  t.exporter = a.exporter;
  t.buyer_hq = a.buyer_hq;
  t.end_uses = a.end_uses;
  t.region = a.region;
  t.show_all_uncertain = a.all_uncertain;
  if (!a.en_route_since.empty()) {
    auto since = Date::parse(a.en_route_since);
    if (!since) return exit_with(Error::BadInput("--en-route-since: bad date '" + a.en_route_since + "'"));
    t.en_route_since = *since;
  }
  for (const auto& p : a.parties) t.parties.push_back({p, a.party_country, "party", false, {}});
  if (auto st = want_screening(!t.parties.empty()); !st) return exit_with(st.error());
  auto d = (*engine)->determine(t, checker);
  if (!d) return exit_with(d.error());
  const std::string note = checker ? checker->lists_note() : std::string();
  auto answer = determination_to_json(*d, note);
  auto draft = engine_draft(ctx, **engine, checker != nullptr);
  if (!draft) return exit_with(draft.error());
  draft->action = "check";
  draft->inputs = request_from_transaction(t, !a.no_screen, spec_text);
  draft->result = nlohmann::json(answer);
  auto seq = ctx.put_on_record(std::move(*draft));
  if (!seq) return exit_with(seq.error());
  if (a.format == "json") {
    mark_record(answer, *seq);
    std::cout << answer.dump(2) << "\n";
  } else {
    std::cout << determination_to_text(*d, note) << record_line(ctx.record, *seq);
  }
  return 0;
}

}  // namespace clearance::cli
