// The analyst page's static files, served by the real `clearance serve` at "/" without a key: each
// with its Content-Type, an ETag honoured by If-None-Match, Cache-Control: no-cache and the strict
// Content-Security-Policy; nothing outside the files of known types under --web is reachable.
#include <gtest/gtest.h>

#include "server/server_support.hpp"
#include "support/paths.hpp"

namespace clearance::testing {
namespace {

class WebStatic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    home_ = new std::string(temp_home("web-static"));
    web_ = new std::string(*home_ + "/web");
    fs::create_directories(*web_ + "/screens");
    fs::create_directories(*web_ + "/.secret");
    std::ofstream(*web_ + "/index.html")
        << "<!doctype html><title>t</title><script type=module src=app.js></script>";
    std::ofstream(*web_ + "/app.js") << "export const x = 1;\n";
    std::ofstream(*web_ + "/style.css") << "body { color: #111; }\n";
    std::ofstream(*web_ + "/favicon.svg") << "<svg xmlns='http://www.w3.org/2000/svg'/>";
    std::ofstream(*web_ + "/screens/screen.js") << "export default 2;\n";
    std::ofstream(*web_ + "/notes.md") << "not served: no known type\n";
    std::ofstream(*web_ + "/.secret/key.js") << "hidden\n";
    // One imported list (imported now): its age is known.
    auto imp = run_cli(*home_, {"lists", "import", source_dir() + "/data/lists/sample-us.csv"});
    ASSERT_EQ(imp.status, 0) << imp.err;
    key_ =
        new std::string(trimmed(run_cli(*home_, {"keys", "create", "--name", "t", "--role", "viewer"}).out));
    server_ = new ServerProcess(
        *home_, {"--web", *web_, "--threads", "1", "--rate-limit", "0", "--max-list-age", "100000"});
    ASSERT_TRUE(server_->running()) << server_->stderr_text();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_ && server_->running()); }
  static std::string* home_;
  static std::string* web_;
  static std::string* key_;
  static ServerProcess* server_;
};
std::string* WebStatic::key_ = nullptr;
std::string* WebStatic::home_ = nullptr;
std::string* WebStatic::web_ = nullptr;
ServerProcess* WebStatic::server_ = nullptr;

TEST_F(WebStatic, FilesAreServedWithoutAKeyWithTheirTypeAndStrictHeaders) {
  HttpClient c(server_->port());
  struct Want {
    std::string path, type, body_file;
  };
  for (const auto& w :
       std::vector<Want>{{"/", "text/html; charset=utf-8", "index.html"},
                         {"/index.html", "text/html; charset=utf-8", "index.html"},
                         {"/app.js", "text/javascript; charset=utf-8", "app.js"},
                         {"/style.css", "text/css; charset=utf-8", "style.css"},
                         {"/favicon.svg", "image/svg+xml", "favicon.svg"},
                         {"/screens/screen.js", "text/javascript; charset=utf-8", "screens/screen.js"}}) {
    auto r = c.get(w.path);
    ASSERT_EQ(r.status, 200) << w.path << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), w.type) << w.path;
    EXPECT_EQ(r.body, slurp(*web_ + "/" + w.body_file)) << w.path;
    EXPECT_EQ(r.header("cache-control"), "no-cache") << w.path;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
    EXPECT_FALSE(r.header("etag").empty());
    const std::string csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  }
  // The API next to the page still needs a key.
  expect_error(c.get("/v1/lists"), 401, "unauthorized");
}

TEST_F(WebStatic, EtagAnswersNotModifiedAndHeadHasNoBody) {
  HttpClient c(server_->port());
  auto first = c.get("/app.js");
  ASSERT_EQ(first.status, 200);
  auto again = c.get("/app.js", {{"If-None-Match", first.header("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("etag"), first.header("etag"));
  auto other = c.get("/app.js", {{"If-None-Match", "\"something-else\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, first.body);
  auto head = c.request(bhttp::verb::head, "/style.css");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("content-type"), "text/css; charset=utf-8");
}

TEST_F(WebStatic, NothingElseIsReachable) {
  HttpClient c(server_->port());
  for (const std::string path :
       {"/notes.md", "/.secret/key.js", "/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt",
        "/screens/../../web/app.js", "/screens", "/nothing.js", "//etc/passwd"})
    expect_error(c.get(path), 404, "not_found");
  // Only GET and HEAD.
  expect_error(c.post("/app.js", "{}"), 404, "not_found");
}

// --max-list-age moves the line at which the page warns about old lists (a list of unknown age,
// such as the bundled samples, is always stale: Api.ListsSayTheirAgeAndWhetherTheyAreStale).
TEST_F(WebStatic, ListsAreStaleOnlyPastTheConfiguredAge) {
  HttpClient c(server_->port());
  auto r = c.get("/v1/lists", {{"Authorization", "Bearer " + *key_}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["max_age_days"], 100000);
  ASSERT_FALSE(j["lists"].empty());
  for (const auto& l : j["lists"]) {
    ASSERT_TRUE(l["age_days"].is_number()) << l;
    EXPECT_GE(l["age_days"].get<double>(), 0) << l;
    EXPECT_LT(l["age_days"].get<double>(), 1) << l;  // imported by this test
    EXPECT_EQ(l["stale"], false) << l;
  }
}

TEST(WebStaticStart, AMissingWebDirectoryStopsTheServerWithItsName) {
  std::string home = temp_home("web-missing");
  auto r = run_cli(home, {"serve", "--listen", "127.0.0.1:0", "--web", home + "/no-such-dir"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find(home + "/no-such-dir"), std::string::npos) << r.err;
}

TEST(WebStaticStart, TheDefaultServesTheSourcesPage) {
  ServerProcess s(temp_home("web-default"), {"--threads", "1"});
  ASSERT_TRUE(s.running()) << s.stderr_text();
  HttpClient c(s.port());
  auto r = c.get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, slurp(source_dir() + "/web/index.html"));
}

}  // namespace
}  // namespace clearance::testing
