// The HTTP layer against the real `clearance serve`: keep-alive, request ids, limits answered with
// the documented error (malformed and deep JSON, wrong types, unknown fields, a 100 MB body, a slow
// client, bad dates and countries), and the server still serving afterwards. One server process
// is shared by the suite.
#include <gtest/gtest.h>

#include "server/server_support.hpp"

namespace clearance::testing {
namespace {

class Transport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(temp_home("transport"),
                                {"--anonymous-role", "admin", "--max-body", "65536", "--request-timeout", "2",
                                 "--max-json-depth", "16", "--threads", "2", "--rate-limit", "0"});
    ASSERT_TRUE(server_->running()) << server_->stderr_text();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_ && server_->running()); }

  // The server still answers after whatever a test did to it.
  static void expect_serving() {
    HttpClient c(server_->port());
    auto r = c.get("/healthz");
    EXPECT_EQ(r.status, 200);
  }

  static ServerProcess* server_;
};
ServerProcess* Transport::server_ = nullptr;

TEST_F(Transport, HealthAndReadiness) {
  HttpClient c(server_->port());
  auto h = c.get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json()["status"], "ok");
  EXPECT_FALSE(h.header("x-request-id").empty());
  auto r = c.get("/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["status"], "ready");
  // Nothing missing, nothing to warn of (the MeCab dictionary: make deps).
  if (fs::exists("/var/lib/mecab/dic/ipadic-utf8/sys.dic"))
    EXPECT_FALSE(r.json().contains("warnings")) << r.body;
}

// Without the MeCab dictionary the server still serves (kanji read as Chinese) but says so: once in
// its log and on /readyz, as the command line warns on stderr. Found in the issue 11 review: the
// server said nothing.
TEST(TransportWithoutMecab, ReadinessAndTheLogSayKanjiAreReadAsChinese) {
  ::setenv("CLEARANCE_MECAB_DICTIONARY", "/nonexistent/ipadic", 1);
  ServerProcess server(temp_home("no-mecab"), {"--anonymous-role", "viewer"});
  ::unsetenv("CLEARANCE_MECAB_DICTIONARY");
  ASSERT_TRUE(server.running()) << server.stderr_text();
  HttpClient c(server.port());
  auto r = c.get("/readyz");
  EXPECT_EQ(r.status, 200);
  auto j = r.json();
  ASSERT_TRUE(j.contains("warnings")) << r.body;
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_NE(j["warnings"][0].get<std::string>().find("/nonexistent/ipadic"), std::string::npos);
  EXPECT_NE(j["warnings"][0].get<std::string>().find("read as Chinese"), std::string::npos);
  EXPECT_NE(server.log().find("\"msg\":\"japanese_reading\""), std::string::npos) << server.log();
}

TEST_F(Transport, KeepAliveCarriesManyRequestsAndEchoesRequestIds) {
  HttpClient c(server_->port());
  for (int i = 0; i < 20; ++i) {
    std::string id = "test-" + std::to_string(i);
    auto r = c.get("/healthz", {{"X-Request-Id", id}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("x-request-id"), id);
  }
  // A request id the server would not log verbatim is replaced by its own.
  auto r = c.get("/healthz", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_NE(r.header("x-request-id"), "bad id with spaces");
  EXPECT_NE(server_->log().find("\"request_id\":\"test-7\""), std::string::npos)
      << "every request is logged as a JSON line with its id";
}

TEST_F(Transport, AnswersNameTheirRulesAndLists) {
  HttpClient c(server_->port());
  auto r =
      c.post("/v1/check", R"({"items": ["H20"], "to": "CN", "as_of": "2025-05-01", "exporter": "NVIDIA"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["as_of"], "2025-05-01");
  EXPECT_EQ(j["overall"], "license_required") << "the April 2025 letter to NVIDIA covers the H20";
  ASSERT_FALSE(j["meta"]["snapshots"].empty());
  EXPECT_FALSE(j["meta"]["rules_version"].get<std::string>().empty());
  EXPECT_EQ(j["meta"]["request_id"], r.header("x-request-id"));
  EXPECT_EQ(r.header("x-clearance-rules-version"), j["meta"]["rules_version"]);
  EXPECT_FALSE(r.header("x-clearance-snapshots").empty());
}

TEST_F(Transport, BadJsonIsRefusedWithItsField) {
  HttpClient c(server_->port());
  expect_error(c.post("/v1/classify", R"({"model": "H20")"), 400, "malformed_json");
  expect_error(c.post("/v1/classify", ""), 400, "malformed_json");
  expect_error(c.post("/v1/classify", R"({"model": 42})"), 400, "invalid_field", "model");
  expect_error(c.post("/v1/classify", R"(["H20"])"), 400, "invalid_field");
  expect_error(c.post("/v1/classify", R"({"model": "H20", "as_off": "2025-01-01"})"), 400, "unknown_field",
               "as_off");
  expect_error(c.post("/v1/check", R"({"items": ["H20"]})"), 400, "missing_field", "to");
  expect_error(c.post("/v1/check", R"({"items": "H20", "to": "CN", "quantity": "ten"})"), 400,
               "invalid_field", "quantity");
  expect_error(c.post("/v1/check", R"({"items": [7], "to": "CN"})"), 400, "invalid_field", "items[0]");
  expect_error(c.post("/v1/check", R"({"items": ["H20"], "to": "CN", "parties": [{"nam": "x"}]})"), 400,
               "unknown_field", "parties[0].nam");
  expect_error(c.post("/v1/classify", "{\"model\": \"H2\xff\"}"), 400, "malformed_json");
  expect_error(c.post("/v1/classify", R"({"model": "H20"})", {}, "text/plain"), 415,
               "unsupported_media_type");
  expect_serving();
}

TEST_F(Transport, BadDatesAndCountriesNameTheField) {
  HttpClient c(server_->port());
  expect_error(c.post("/v1/check", R"({"items": ["H20"], "to": "Atlantis"})"), 400, "invalid_field", "to");
  expect_error(c.post("/v1/check", R"({"items": ["H20"], "to": "CN", "from": "Narnia"})"), 400,
               "invalid_field", "from");
  expect_error(c.post("/v1/check", R"({"items": ["H20"], "to": "CN", "as_of": "2025-02-30"})"), 400,
               "invalid_field", "as_of");
  expect_error(c.post("/v1/classify", R"({"model": "H20", "as_of": "yesterday"})"), 400, "invalid_field",
               "as_of");
  expect_error(c.post("/v1/classify", R"({"model": "H2O-9000 no such chip"})"), 400, "invalid_field",
               "model");
}

TEST_F(Transport, DeepNestingIsRefusedBeforeParsing) {
  HttpClient c(server_->port());
  std::string deep = R"({"model": "x", "spec": )" + std::string(5000, '[') + std::string(5000, ']') + "}";
  expect_error(c.post("/v1/classify", deep), 400, "json_too_deep");
  expect_serving();
}

TEST_F(Transport, UnknownPathsAndMethods) {
  HttpClient c(server_->port());
  expect_error(c.get("/v1/nothing-here"), 404, "not_found");
  expect_error(c.get("/v1/check"), 405, "method_not_allowed");
}

TEST_F(Transport, HundredMegabyteBodyIsRefusedAtTheHeader) {
  RawConnection conn(server_->port());
  const size_t total = 100u << 20;
  ASSERT_TRUE(
      conn.send("POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(total) + "\r\n\r\n"));
  std::string chunk(1 << 20, 'a');
  size_t sent = 0;
  // The answer comes after the header; the client notices it while still sending.
  while (sent < total && !conn.readable()) {
    if (!conn.send(chunk)) break;
    sent += chunk.size();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto r = conn.read_response();
  expect_error(r, 413, "body_too_large");
  EXPECT_LT(sent, total) << "the server answered only after the whole body";
  expect_serving();
}

// Field bug: uploads over 1 MiB were refused with 413 whatever --max-upload said (Beast's default
// body limit fired as the header was parsed, before the route's limit was set). Here --max-body is
// 64 KiB and --max-upload the default 64 MiB: a 3 MB CSV upload is read and answered, while a JSON
// body over 64 KiB is still refused.
TEST_F(Transport, UploadsLargerThanAMegabyteAreReadUpToMaxUpload) {
  std::string csv = "id,name\n";
  for (int i = 0; csv.size() < (3u << 20); ++i)
    csv += "r" + std::to_string(i) + ",Customer Number " + std::to_string(i) + "\n";
  HttpClient c(server_->port());
  auto r = c.post("/v1/jobs?kind=screen", csv, {}, "text/csv");
  EXPECT_EQ(r.status, 202) << r.body.substr(0, 300);
  expect_error(c.post("/v1/check", "{\"items\": [\"" + std::string(70000, 'x') + "\"], \"to\": \"CN\"}"), 413,
               "body_too_large");
  expect_serving();
}

TEST_F(Transport, ChunkedBodyOverTheLimitIsRefused) {
  RawConnection conn(server_->port());
  ASSERT_TRUE(
      conn.send("POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                "chunked\r\n\r\n"));
  std::string part(32768, ' ');
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", part.size());
  for (int i = 0; i < 8 && !conn.readable(); ++i) conn.send(size + part + "\r\n");
  expect_error(conn.read_response(), 413, "body_too_large");
}

TEST_F(Transport, SlowClientIsCutOffWhileOthersAreServed) {
  RawConnection slow(server_->port());
  std::string req =
      "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n";
  auto start = std::chrono::steady_clock::now();
  // One byte a second; the server's request deadline is 2 s (--request-timeout 2).
  std::atomic<bool> stop{false};
  std::thread sender([&] {
    for (char ch : req) {
      if (stop || !slow.send(std::string(1, ch))) return;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  // Meanwhile other clients are answered at once.
  for (int i = 0; i < 3; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    expect_serving();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  auto r = slow.read_response();
  stop = true;
  sender.join();
  expect_error(r, 408, "request_timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
  expect_serving();
}

TEST_F(Transport, GarbageIsAnsweredWithBadRequest) {
  RawConnection conn(server_->port());
  ASSERT_TRUE(conn.send("THIS IS NOT HTTP\r\n\r\n"));
  auto r = conn.read_response();
  expect_error(r, 400, "bad_request");
  expect_serving();
}

TEST_F(Transport, MetricsCountRequestsPerEndpoint) {
  HttpClient c(server_->port());
  ASSERT_EQ(c.get("/healthz").status, 200);
  auto m = c.get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("clearance_http_requests_total{endpoint=\"healthz\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(m.body.find("clearance_http_request_duration_seconds_bucket{endpoint=\"healthz\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(m.body.find("clearance_list_entries{list=\"sample-us\""), std::string::npos);
  EXPECT_NE(m.body.find("clearance_audit_append_seconds_count"), std::string::npos);
}

TEST_F(Transport, OpenApiDocumentIsServed) {
  HttpClient c(server_->port());
  auto r = c.get("/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto j = r.json();
  EXPECT_EQ(j["openapi"], "3.1.0");
  EXPECT_TRUE(j["paths"].contains("/v1/check"));
}

TEST(ServerShutdown, SigtermFinishesAndExitsCleanly) {
  ServerProcess s(temp_home("shutdown"), {"--anonymous-role", "viewer"});
  ASSERT_TRUE(s.running()) << s.stderr_text();
  HttpClient c(s.port());
  ASSERT_EQ(c.get("/healthz").status, 200);  // an idle keep-alive connection stays open
  EXPECT_EQ(s.stop(SIGTERM), 0);
  EXPECT_NE(s.log().find("\"msg\":\"stopped\""), std::string::npos) << s.log();
}

}  // namespace
}  // namespace clearance::testing
