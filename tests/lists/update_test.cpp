// `lists update` against a real HTTP server (tests/support/list_server.py) serving the UN
// consolidated list from ../shared/data and fixtures made from it: success, 304, 404, connection
// refused, a truncated body, a wrong content type, a slow server past the timeout, a corrupt file,
// a file dropping 60% of the entries. After every failure the previous snapshot is still in force
// and the message says what happened.
#include "clearance/lists/update.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "clearance/common/files.hpp"
#include "cli/cli_support.hpp"
#include "support/list_server.hpp"
#include "support/temp_dir.hpp"
#include "test_support.hpp"

namespace clearance {
namespace {

using testing::ListServer;
using testing::TempDir;

constexpr char kUn[] = "data/un/consolidated-2026-02.xml";

// A port nothing listens on: bound, then closed.
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// The UN list with every `keep_one_in`-th … no: with only the first share of each kind of record.
std::string keep_share(const std::string& xml, double share) {
  std::string out;
  size_t pos = 0;
  for (const char* tag : {"INDIVIDUAL", "ENTITY"}) {
    std::string open = std::string("<") + tag + ">", close = std::string("</") + tag + ">";
    std::vector<std::pair<size_t, size_t>> spans;
    for (size_t p = xml.find(open, pos); p != std::string::npos; p = xml.find(open, p + 1)) {
      size_t e = xml.find(close, p);
      spans.push_back({p, e + close.size()});
    }
    size_t keep = static_cast<size_t>(static_cast<double>(spans.size()) * share);
    out += xml.substr(pos, spans.front().first - pos);
    for (size_t k = 0; k < keep; ++k) out += xml.substr(spans[k].first, spans[k].second - spans[k].first);
    pos = spans.back().second;
  }
  return out + xml.substr(pos);
}

class ListsUpdate : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_shared(kUn))
      GTEST_SKIP() << "../shared/" << kUn << " is absent: this test needs the shared real data";
    auto xml = read_file(testing::shared_path(kUn));
    ASSERT_TRUE(xml) << xml.error().message;
    un_ = *xml;
    std::filesystem::create_directories(root_.path("www"));
    std::filesystem::create_symlink(testing::shared_path(kUn), root_.path("www/consolidated.xml"));
    root_.file("www/shrunk/consolidated.xml", keep_share(un_, 0.4));
    // Corrupt: a record's closing tags replaced by junk in the middle of the file.
    std::string corrupt = un_;
    size_t mid = corrupt.find("</INDIVIDUAL>", corrupt.size() / 3);
    corrupt.replace(mid, 13, "<<<\x01 garbage");
    root_.file("www/corrupt/consolidated.xml", corrupt);
    server_ = std::make_unique<ListServer>(root_.path("www"));
    ASSERT_GT(server_->port(), 0) << "the test HTTP server (python3) did not start";
    config_.file = "test-config";
    config_.retries = 0;
    config_.backoff_ms = 0;
    config_.timeout_ms = 1500;
    config_.connect_timeout_ms = 1000;
  }

  ListSource source(const std::string& name, const std::string& path) {
    ListSource s;
    s.name = name;
    s.url = server_->url(path);
    s.file_name = "consolidated.xml";
    s.format = "un-xml";
    s.list = "un-sc";
    s.content_types = {"application/xml", "text/xml"};
    return s;
  }

  // Runs one source through update_lists.
  SourceUpdate update(const ListSource& s) {
    config_.sources = {s};
    UpdateContext ctx;
    ctx.now = "2026-03-01T00:00:0" + std::to_string(++tick_) + "Z";
    ctx.sleep = [this](long ms) { slept_.push_back(ms); };
    auto r = update_lists(store_, testing::tables()->countries, config_, {s.name}, *fetcher_, ctx);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->sources.at(0) : SourceUpdate{};
  }

  std::string in_force_id() {
    auto l = store_.list();
    EXPECT_TRUE(l);
    for (auto& i : *l)
      if (i.name == "un-sc") return i.id;
    return "";
  }

  TempDir root_;
  std::string un_;
  std::unique_ptr<ListServer> server_;
  ListStore store_{root_.path("home")};
  UpdateConfig config_;
  std::unique_ptr<Fetcher> fetcher_ = make_curl_fetcher();
  std::vector<long> slept_;
  int tick_ = 0;
};

TEST_F(ListsUpdate, EveryFailureLeavesThePreviousSnapshotInForceAndSaysWhatHappened) {
  // Success: the list is fetched, loaded and put in force.
  auto first = update(source("un", "consolidated.xml"));
  ASSERT_EQ(first.outcome, UpdateOutcome::kUpdated) << first.message;
  EXPECT_EQ(first.snapshot.name, "un-sc");
  EXPECT_EQ(first.snapshot.entries, 730u + 273u);
  EXPECT_EQ(first.bytes, un_.size());
  EXPECT_FALSE(first.etag.empty());
  const std::string good = in_force_id();
  ASSERT_EQ(good, first.snapshot.id);

  // 304: the second fetch sends the validators and nothing is reloaded.
  auto again = update(source("un", "consolidated.xml"));
  EXPECT_EQ(again.outcome, UpdateOutcome::kNotModified) << again.message;
  EXPECT_EQ(again.bytes, 0u);
  EXPECT_NE(root_.read("www/requests.log").find("GET /consolidated.xml " + first.etag), std::string::npos)
      << root_.read("www/requests.log");
  EXPECT_EQ(in_force_id(), good);

  struct Case {
    const char* what;
    ListSource src;
    UpdateOutcome outcome;
    std::string says;
  };
  ListSource refused = source("refused", "consolidated.xml");
  refused.url = "http://127.0.0.1:" + std::to_string(free_port()) + "/consolidated.xml";
  std::vector<Case> cases = {
      {"404", source("missing", "nothing-here.xml"), UpdateOutcome::kFailed, "HTTP 404 Not Found"},
      {"connection refused", refused, UpdateOutcome::kFailed, "could not connect"},
      {"truncated body", source("cut", "truncated/consolidated.xml"), UpdateOutcome::kFailed, "truncated"},
      {"wrong content type", source("html", "type/text/html/consolidated.xml"), UpdateOutcome::kFailed,
       "content type 'text/html'"},
      {"slow server", source("slow", "slow/3/consolidated.xml"), UpdateOutcome::kFailed, "timed out"},
      {"corrupt file", source("corrupt", "corrupt/consolidated.xml"), UpdateOutcome::kFailed,
       "consolidated.xml"},
      {"60% fewer entries", source("shrunk", "shrunk/consolidated.xml"), UpdateOutcome::kHeldBack,
       "a drop of 60%"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto u = update(c.src);
    EXPECT_EQ(u.outcome, c.outcome) << u.message;
    EXPECT_NE(u.message.find(c.says), std::string::npos) << u.message;
    EXPECT_NE(u.message.find("the list in force is unchanged"), std::string::npos) << u.message;
    EXPECT_EQ(in_force_id(), good);
  }
  // The held-back download is kept for inspection, and a later good download still goes through.
  auto h = store_.history("un-sc");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(root_.path("home/lists/held")));
}

TEST_F(ListsUpdate, RetriesWithBackoffThenSucceeds) {
  config_.retries = 3;
  config_.backoff_ms = 100;
  auto u = update(source("flaky", "flaky/2/consolidated.xml"));
  EXPECT_EQ(u.outcome, UpdateOutcome::kUpdated) << u.message;
  EXPECT_EQ(u.attempts, 3);
  EXPECT_EQ(slept_, (std::vector<long>{100, 200}));
  // A 404 is not retried.
  slept_.clear();
  auto missing = update(source("missing", "nothing-here.xml"));
  EXPECT_EQ(missing.attempts, 1);
  EXPECT_TRUE(slept_.empty());
}

TEST_F(ListsUpdate, SizeCapRefusesALargerBody) {
  config_.max_bytes = 1000;
  auto u = update(source("un", "consolidated.xml"));
  EXPECT_EQ(u.outcome, UpdateOutcome::kFailed);
  EXPECT_NE(u.message.find("size cap of 1000 bytes"), std::string::npos) << u.message;
  EXPECT_EQ(in_force_id(), "");
}

TEST_F(ListsUpdate, HistoryRecordsEachSwitchAndRetentionKeepsReferencedSnapshots) {
  // Three snapshots of un-sc in turn: full, 90%, 80% (each within the 20% drop limit of the one before).
  root_.file("www/s90/consolidated.xml", keep_share(un_, 0.9));
  root_.file("www/s80/consolidated.xml", keep_share(un_, 0.8));
  auto a = update(source("un", "consolidated.xml"));
  auto b = update(source("un", "s90/consolidated.xml"));
  auto c = update(source("un", "s80/consolidated.xml"));
  ASSERT_EQ(c.outcome, UpdateOutcome::kUpdated) << c.message;
  auto h = store_.history("un-sc");
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ((*h)[0].info.id, a.snapshot.id);
  EXPECT_EQ((*h)[1].replaced, a.snapshot.id);
  EXPECT_EQ((*h)[2].info.id, c.snapshot.id);
  // keep 1: c is in force and b is in the previous manifest: both stay; a goes unless referenced.
  auto kept = store_.prune(1, [&](const std::string& id) { return id == a.snapshot.id; });
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept->empty());
  auto pruned = store_.prune(1, [](const std::string&) { return false; });
  ASSERT_TRUE(pruned);
  ASSERT_EQ(pruned->size(), 1u);
  EXPECT_EQ((*pruned)[0], "un-sc-" + a.snapshot.id + ".snap");
  EXPECT_TRUE(store_.load((*h)[1].info));
  EXPECT_TRUE(store_.load((*h)[2].info));
}

// The command line: an update is an audit record (also a failed one), a second one is a 304, and
// history and diff see the snapshots.
TEST_F(ListsUpdate, CommandLineRecordsEveryUpdate) {
  std::string cfg = root_.file("sources.yaml",
                               "defaults:\n  retries: 0\n  timeout_seconds: 5\nsources:\n"
                               "  - name: un\n    url: " +
                                   server_->url("consolidated.xml") +
                                   "\n    format: un-xml\n    list: un-sc\n"
                                   "  - name: gone\n    url: " +
                                   server_->url("gone.xml") + "\n    default: false\n");
  std::string home = "--home " + root_.path("cli-home") + " ";
  auto first = testing::run(home + "lists update --config " + cfg);
  EXPECT_EQ(first.status, 0) << first.out;
  EXPECT_NE(first.out.find("updated: un: un-sc is now snapshot"), std::string::npos) << first.out;
  auto again = testing::run(home + "lists update --config " + cfg + " --format json");
  EXPECT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("\"not-modified\""), std::string::npos) << again.out;
  auto gone = testing::run(home + "lists update gone --config " + cfg);
  EXPECT_EQ(gone.status, 1) << gone.out;
  EXPECT_NE(gone.out.find("HTTP 404"), std::string::npos) << gone.out;
  auto unknown = testing::run(home + "lists update nosuch --config " + cfg);
  EXPECT_EQ(unknown.status, 2) << unknown.out;
  auto records = testing::run(home + "audit export --action lists.update");
  EXPECT_EQ(records.status, 0) << records.out;
  size_t n = 0;
  for (size_t p = records.out.find("\"action\":\"lists.update\""); p != std::string::npos;
       p = records.out.find("\"action\":\"lists.update\"", p + 1))
    ++n;
  EXPECT_EQ(n, 3u) << records.out;
  EXPECT_NE(records.out.find("not-modified"), std::string::npos);
  EXPECT_NE(records.out.find("HTTP 404"), std::string::npos);
  auto history = testing::run(home + "lists history un-sc");
  EXPECT_EQ(history.status, 0) << history.out;
  EXPECT_NE(history.out.find("in force"), std::string::npos) << history.out;
  auto diff = testing::run(home + "lists diff un-sc");
  EXPECT_EQ(diff.status, 2) << diff.out;
  EXPECT_NE(diff.out.find("has no snapshot before"), std::string::npos) << diff.out;
}

TEST(ListsUpdateConfig, BundledConfigParsesAndOptInSourcesAreNotDefault) {
  auto text = read_file(testing::data_dir() + "/lists/sources.yaml");
  ASSERT_TRUE(text);
  auto c = parse_update_config(*text, "sources.yaml");
  ASSERT_TRUE(c) << c.error().message;
  std::vector<std::string> by_default;
  for (auto& s : c->sources)
    if (s.by_default) by_default.push_back(s.name);
  EXPECT_EQ(by_default, (std::vector<std::string>{"us-csl", "us-ofac-sdn", "un-sc"}));
  EXPECT_DOUBLE_EQ(c->max_drop, 0.2);
  auto bad = parse_update_config("sources:\n  - name: x\n    url: ftp://example.org/x\n", "cfg.yaml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("cfg.yaml:3"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("http"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace clearance
