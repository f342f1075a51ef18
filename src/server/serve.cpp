#include "server/serve.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <utility>

#include "clearance/common/files.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/store/recording.hpp"
#include "server/http.hpp"
#include "server/service.hpp"

namespace clearance::server {

namespace net = boost::asio;

Status Service::open_store(const StoreOptions& options) {
  if (!options_.record) return Status::Ok();
  auto s = Store::open(options);
  if (!s) return s.error();
  store_ = std::move(*s);
  return Status::Ok();
}

Status Service::load_state() { return put_in_force(nullptr); }

Status Service::reload_lists() { return put_in_force(state()); }

Status Service::put_in_force(std::shared_ptr<const ServingState> keep) {
  // One load at a time: the later of two (an import and an update) reads the home after both.
  std::lock_guard lock(load_mu_);
  auto st = std::make_shared<ServingState>();
  if (keep) {
    // A list update changes only the lists: the tables, rules and catalogue stay those in force.
    st->tables = keep->tables;
    st->engine = keep->engine;
    st->versions = keep->versions;
  } else {
    // The same sources as every command: the bundled tables plus the user's alias tables.
    std::vector<std::string> aliases;
    if (auto files = list_files(options_.home + "/aliases", {".tsv"})) aliases = *files;
    auto tables = TextTables::load(options_.data_dir, aliases, *Env::Default(), options_.mecab_dictionary);
    if (!tables) return tables.error();
    auto engine = Engine::load(options_.data_dir);
    if (!engine) return engine.error();
    st->tables = *tables;
    st->engine = *engine;
    // Said once per load, as the command line says it: kanji are then read as Chinese.
    if (!st->tables->japanese_warning.empty())
      log_.warn("japanese_reading", {{"message", st->tables->japanese_warning}});
  }
  // The lists imported into the data home, else the bundled samples.
  auto lists = ListStore(options_.home).load_all();
  if (!lists) return lists.error();
  bool samples = lists->empty();
  if (samples) {
    lists = load_bundled_samples(options_.data_dir, st->tables->countries);
    if (!lists) return lists.error();
  }
  st->screener = Screener::build(std::move(*lists), st->tables);
  st->bundled_samples = samples;
  st->loaded_at = utc_now_ms();
  st->loaded_clock = std::chrono::steady_clock::now();
  if (store_) {
    // Kept once per content id: every record names them, and replay finds them after a change.
    auto refs = keep_snapshots(*store_, st->screener->snapshots());
    if (!refs) return refs.error();
    st->snapshot_refs = std::move(*refs);
    // Replicas sharing a PostgreSQL store: publish the lists this one changed (all at start, after
    // sync_published_lists made the home's lists those published), so the others switch too.
    if (store_->is_postgres() && !samples) {
      std::vector<SnapshotRef> changed;
      for (const auto& ref : st->snapshot_refs) {
        bool same = false;
        if (keep)
          for (const auto& old : keep->snapshot_refs) same |= old.name == ref.name && old.id == ref.id;
        if (!same) changed.push_back(ref);
      }
      if (auto p = store_->publish_lists(changed); !p) return p.error();
    }
    if (!keep) {
      auto v =
          keep_engine_data(*store_, options_.data_dir + "/rules", options_.data_dir + "/items", *st->engine);
      if (!v) return v.error();
      st->versions = std::move(*v);
    }
  }
  st->seal();
  std::shared_ptr<const ServingState> old;
  {
    std::lock_guard lk(state_mu_);
    old = std::exchange(state_, std::move(st));
  }  // the state it replaced is released outside the lock
  return Status::Ok();
}

Status Service::sync_published_lists(bool* changed) {
  *changed = false;
  if (!store_ || !store_->is_postgres()) return Status::Ok();
  auto published = store_->published_lists();
  if (!published) return published.error();
  ListStore home(options_.home);
  auto local = home.list();
  if (!local) return local.error();
  std::vector<ListSnapshot> fetched;
  for (const auto& ref : *published) {
    bool have = false;
    for (const auto& info : *local) have |= info.name == ref.name && info.id == ref.id;
    if (have) continue;
    auto s = store_->load_snapshot(ref.id);
    if (!s) return s.error();
    s->info.name = ref.name;
    fetched.push_back(std::move(*s));
  }
  if (!fetched.empty()) {
    std::vector<const ListSnapshot*> put;
    for (const auto& s : fetched) put.push_back(&s);
    PutOptions po;
    po.allow_shrink = true;  // the replica that published it applied the shrink check
    if (auto st = home.put(put, po); !st) return st;
  }
  // Replicas may share one data home: another may have written it already, so what this one
  // serves decides.
  auto serving = state();
  for (const auto& ref : *published) {
    bool served = false;
    if (serving)
      for (const auto& s : serving->snapshot_refs) served |= s.name == ref.name && s.id == ref.id;
    *changed |= !served;
  }
  return Status::Ok();
}

Service::ListUpdate Service::update_lists(const std::vector<std::string>& sources, const std::string& caller,
                                          const std::string& request_id) {
  std::lock_guard lock(update_mu_);
  auto config = load_update_config(options_.home, options_.data_dir, options_.update_config);
  if (!config) throw from_library(config.error(), "config");
  auto before = state();
  UpdateContext uc;
  uc.now = utc_now_ms();
  uc.sleep = [](long ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  auto fetcher = make_curl_fetcher();
  // The watched customer files (clearance monitor) run once the lists switch, as after the command
  // line's update: cases for new hits, signed webhooks, records. Secrets come from the environment.
  auto sender = make_curl_webhook_sender();
  MonitorContext monitor;
  monitor.caller = caller;
  monitor.tables = before->tables;
  monitor.sender = sender.get();
  monitor.sleep = uc.sleep;
  monitor.secret = [](const std::string& var) {
    const char* v = std::getenv(var.c_str());
    return std::string(v ? v : "");
  };
  auto run = run_list_update(ListStore(options_.home), before->tables->countries, *config, sources, *fetcher,
                             uc, store_.get(), recording(), &monitor);
  if (!run) throw from_library(run.error(), "sources");
  ListUpdate out;
  const UpdateReport& report = run->report;
  bool changed = false;
  for (auto& u : report.sources) changed |= u.outcome == UpdateOutcome::kUpdated;
  out.record = put_on_record(caller, request_id, std::move(run->record));
  // The new lists are in force for every request that starts from now on; those in flight keep
  // the state they started with. A state that does not load leaves the old one serving.
  if (changed)
    if (auto st = reload_lists(); !st) {
      log_.error("the updated lists do not load; the previous ones keep serving",
                 {{"request_id", request_id}, {"what", st.error().message}});
      throw from_library(st.error());
    }
  out.state = state();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (auto& u : report.sources) list.push_back(source_update_to_json(u));
  out.body = {{"ok", report.ok()},
              {"switched", changed},
              {"sources", std::move(list)},
              {"pruned", report.pruned},
              {"snapshots", out.state->snapshot_ids()}};
  if (run->monitored) out.body["monitor"] = monitor_report_to_json(run->monitor);
  if (!run->monitor_error.empty()) out.body["monitor_error"] = run->monitor_error;
  if (out.record) out.body["record"] = out.record;
  nlohmann::ordered_json outcomes = nlohmann::ordered_json::object();
  for (auto& u : report.sources) outcomes[u.source] = std::string(to_string(u.outcome));
  log_.info("lists update", {{"request_id", request_id},
                             {"caller", caller},
                             {"ok", report.ok()},
                             {"switched", changed},
                             {"outcomes", std::move(outcomes)},
                             {"snapshots", out.state->snapshot_ids()}});
  metrics_->list_update(report.ok(), changed);
  return out;
}

Result<double> parse_duration(const std::string& text, const std::string& option) {
  auto bad = [&] {
    return Error::BadInput(option + ": expected a duration such as 6h, 30m, 90s, 1d or 1h30m, got '" + text +
                           "'");
  };
  if (text.empty()) return bad();
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.')) ++j;
    if (j == i || j == text.size()) return bad();
    double n = 0;
    try {
      size_t used = 0;
      n = std::stod(text.substr(i, j - i), &used);
      if (used != j - i) return bad();
    } catch (...) {
      return bad();
    }
    double unit = text[j] == 's'   ? 1
                  : text[j] == 'm' ? 60
                  : text[j] == 'h' ? 3600
                  : text[j] == 'd' ? 86400
                                   : 0;
    if (unit == 0) return bad();
    total += n * unit;
    i = j + 1;
  }
  if (!(total >= 1)) return Error::BadInput(option + ": at least 1s, got '" + text + "'");
  return total;
}

namespace {

Result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) return Error::BadInput("--listen: expected ADDRESS:PORT, got '" + s + "'");
  std::string host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(s.substr(colon + 1), &used);
    if (used != s.size() - colon - 1) port = -1;
  } catch (...) {
  }
  if (port < 0 || port > 65535) return Error::BadInput("--listen: bad port in '" + s + "'");
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

}  // namespace

Status run_serve(const ServeArgs& a) {
  auto where = parse_listen(a.listen);
  if (!where) return where.error();
  if (a.tls_cert.empty() != a.tls_key.empty())
    return Error::BadInput("give --tls-cert and --tls-key together");
  if (!a.anonymous_role.empty() && !role_from_string(a.anonymous_role))
    return Error::BadInput("--anonymous-role: expected viewer, analyst, approver, admin or auditor");
  if (!(a.max_list_age_days > 0)) return Error::BadInput("--max-list-age: days, more than 0");
  double update_every = 0;
  if (!a.update_every.empty()) {
    auto d = parse_duration(a.update_every, "--update-every");
    if (!d) return d.error();
    update_every = *d;
  }
  if (a.max_json_depth < 2 || a.request_timeout <= 0 || a.idle_timeout <= 0 || a.max_body == 0 ||
      a.max_upload == 0 || a.max_batch == 0)
    return Error::BadInput("serve: limits must be positive (--max-json-depth at least 2)");
  auto level = Log::parse_level(a.log_level);
  if (!level) return level.error();
  Log log;
  if (auto st = log.open(a.log, *level); !st) return st.error();

  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  ServeOptions o;
  o.home = a.home;
  o.data_dir = a.data_dir;
  o.mecab_dictionary = a.mecab_dictionary;
  o.engine_version = CLEARANCE_VERSION;
  o.anonymous_role = a.anonymous_role;
  // Answers wait for their record to be durable (group commit): many workers overlap those waits.
  o.workers = a.workers ? a.workers : std::max(32u, 8 * cores);
  o.record = a.record;
  o.web_dir = a.web_dir;
  o.max_list_age_days = a.max_list_age_days;
  o.update_config = a.update_config;
  if (a.job_lease < 1 || a.job_chunk_rows == 0 || a.job_impact_rows == 0)
    return Error::BadInput(
        "--job-lease: at least 1 second; --job-chunk-rows and --job-impact-rows: at least 1");
  o.jobs.workers = a.job_workers;
  o.jobs.lease = ms(a.job_lease);
  o.jobs.chunk_rows = a.job_chunk_rows;
  o.jobs.impact_chunk_rows = a.job_impact_rows;
  o.limits.max_body = a.max_body;
  o.limits.max_upload = a.max_upload;
  o.limits.max_batch = a.max_batch;
  o.limits.max_json_depth = a.max_json_depth;
  o.limits.request_timeout = ms(a.request_timeout);
  o.limits.idle_timeout = ms(a.idle_timeout);
  o.limits.rate_per_second = a.rate_limit;
  o.limits.rate_burst = std::max(1.0, a.rate_burst);

  Service service(o, log);
  if (auto st = service.load_web(); !st) return st.error();
  if (auto st = service.open_store(a.store_options); !st) return st.error();
  bool unused = false;  // nothing serves yet: load_state below serves what sync made the home hold
  if (auto st = service.sync_published_lists(&unused); !st) return st.error();
  if (auto st = service.load_state(); !st) return st.error();
  if (auto st = service.load_keys(); !st) return st.error();
  if (auto st = service.start_jobs(); !st) return st.error();

  std::unique_ptr<net::ssl::context> tls;
  if (!a.tls_cert.empty()) {
    tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    boost::system::error_code ec;
    tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                         net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                         net::ssl::context::no_tlsv1_1,
                     ec);
    tls->use_certificate_chain_file(a.tls_cert, ec);
    if (ec) return Error::BadInput("--tls-cert " + a.tls_cert + ": " + ec.message());
    tls->use_private_key_file(a.tls_key, net::ssl::context::pem, ec);
    if (ec) return Error::BadInput("--tls-key " + a.tls_key + ": " + ec.message());
  }

  unsigned threads = a.threads ? a.threads : cores;
  net::io_context ioc(static_cast<int>(threads));
  TransportLimits tl;
  tl.read_timeout = o.limits.request_timeout;
  tl.idle_timeout = o.limits.idle_timeout;
  HttpServer server(ioc, service, tl, tls.get());
  if (auto st = server.listen(where->first, where->second); !st) return st.error();
  server.start();
  std::string scheme = tls ? "https" : "http";
  log.info("listening",
           {{"address", where->first + ":" + std::to_string(server.port())},
            {"tls", tls != nullptr},
            {"threads", threads},
            {"workers", o.workers},
            {"page", a.web_dir.empty() ? nlohmann::ordered_json()
                                       : nlohmann::ordered_json(scheme + "://" + where->first + ":" +
                                                                std::to_string(server.port()) + "/")},
            {"anonymous_role", a.anonymous_role.empty() ? nlohmann::ordered_json()
                                                        : nlohmann::ordered_json(a.anonymous_role)}});
  if (!a.port_file.empty())
    if (auto st = write_file_atomic(a.port_file, std::to_string(server.port()) + "\n"); !st)
      return st.error();

  // Graceful stop: no new connections, requests in flight finish (up to the grace period).
  net::signal_set signals(ioc, SIGTERM, SIGINT);
  net::steady_timer poll(ioc);
  auto deadline = std::make_shared<std::chrono::steady_clock::time_point>();
  std::function<void()> wait_idle = [&] {
    poll.expires_after(std::chrono::milliseconds(20));
    poll.async_wait([&](boost::system::error_code) {
      if (server.open_connections() == 0 || std::chrono::steady_clock::now() > *deadline) {
        ioc.stop();
        return;
      }
      wait_idle();
    });
  };
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    log.info("shutting down", {{"signal", sig}, {"open_connections", server.open_connections()}});
    *deadline = std::chrono::steady_clock::now() + ms(a.shutdown_grace);
    service.set_draining();
    server.drain();
    wait_idle();
  });

  // --update-every: the server's own timer runs the update (the library reads no clock). A failed
  // update is logged and the lists in force keep serving; the next tick tries again.
  std::mutex timer_mu;
  std::condition_variable timer_cv;
  bool stopping = false;
  std::thread updater;
  if (update_every > 0)
    updater = std::thread([&] {
      std::uint64_t tick = 0;
      std::unique_lock lk(timer_mu);
      while (!timer_cv.wait_for(lk, std::chrono::duration<double>(update_every), [&] { return stopping; })) {
        lk.unlock();
        std::string rid = "update-every-" + std::to_string(++tick);
        try {
          service.update_lists({}, "serve --update-every", rid);
        } catch (const ApiError& e) {
          log.error("lists update failed; the lists in force keep serving",
                    {{"request_id", rid}, {"what", e.message}});
        } catch (const std::exception& e) {
          log.error("lists update failed; the lists in force keep serving",
                    {{"request_id", rid}, {"what", e.what()}});
        }
        lk.lock();
      }
    });

  // Replicas on one PostgreSQL store: a list published by another replica (or `lists update`/
  // `lists import` with --store) is announced (LISTEN/NOTIFY); this one loads it from the store
  // and switches within about a second. Also looked at every 30 s, in case an announcement was lost.
  std::thread follower;
  if (service.store() && service.store()->is_postgres())
    follower = std::thread([&] {
      int quiet = 0;
      for (;;) {
        {
          std::lock_guard lk(timer_mu);
          if (stopping) return;
        }
        auto heard = service.store()->wait_for_published_lists(500);
        if (!heard) {
          log.warn("cannot listen for published lists; retrying", {{"what", heard.error().message}});
          std::unique_lock lk(timer_mu);
          if (timer_cv.wait_for(lk, std::chrono::seconds(2), [&] { return stopping; })) return;
          continue;
        }
        if (!*heard && ++quiet < 60) continue;
        quiet = 0;
        bool changed = false;
        Status st = service.sync_published_lists(&changed);
        if (st.ok() && changed) st = service.reload_lists();
        if (!st.ok())
          log.error("cannot switch to the published lists; the lists in force keep serving",
                    {{"what", st.error().message}});
        else if (changed)
          log.info("switched to the published lists", {{"snapshots", service.state()->snapshot_ids()}});
      }
    });

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  {
    std::lock_guard lk(timer_mu);
    stopping = true;
  }
  timer_cv.notify_all();
  if (updater.joinable()) updater.join();
  if (follower.joinable()) follower.join();
  service.shutdown();
  log.info("stopped", {{"open_connections", server.open_connections()}});
  return Status::Ok();
}

}  // namespace clearance::server
