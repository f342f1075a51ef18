// The libcurl transport of `lists update`.
#include <curl/curl.h>

#include <mutex>

#include "clearance/lists/update.hpp"

namespace clearance {
namespace {

struct Sink {
  std::string* body;
  std::uint64_t max_bytes;
  bool too_large = false;
};

size_t on_data(char* ptr, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  size_t len = size * n;
  if (s->body->size() + len > s->max_bytes) {
    s->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  s->body->append(ptr, len);
  return len;
}

std::string header_value(CURL* curl, const char* name) {
  struct curl_header* h = nullptr;
  if (curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h && h->value) return h->value;
  return "";
}

class CurlFetcher final : public Fetcher {
 public:
  CurlFetcher() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Status fetch(const FetchRequest& req, FetchResponse& resp, FetchError& err) override {
    CURL* curl = curl_easy_init();
    if (!curl) return Error::Internal("libcurl: curl_easy_init failed");
    struct curl_slist* headers = nullptr;
    if (!req.etag.empty()) headers = curl_slist_append(headers, ("If-None-Match: " + req.etag).c_str());
    if (!req.last_modified.empty())
      headers = curl_slist_append(headers, ("If-Modified-Since: " + req.last_modified).c_str());
    Sink sink{&resp.body, req.max_bytes};
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "clearance-lists-update/1");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(req.max_bytes));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    resp.status = status;
    char* ct = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) resp.content_type = ct;
    if (rc == CURLE_OK) {
      resp.etag = header_value(curl, "ETag");
      resp.last_modified = header_value(curl, "Last-Modified");
    }
    curl_off_t expected = -1;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
    std::string detail = errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    switch (rc) {
      case CURLE_OK:
        err.failure = FetchFailure::kNone;
        break;
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        err = {FetchFailure::kConnect, "could not connect: " + detail};
        break;
      case CURLE_OPERATION_TIMEDOUT:
        err = {FetchFailure::kTimeout, "timed out (limit " + std::to_string(req.timeout_ms) +
                                           " ms, connect " + std::to_string(req.connect_timeout_ms) +
                                           " ms): " + detail};
        break;
      case CURLE_PARTIAL_FILE:
      case CURLE_RECV_ERROR:
      case CURLE_GOT_NOTHING:
        err = {FetchFailure::kTruncated,
               "the transfer was cut short: received " + std::to_string(resp.body.size()) + " bytes" +
                   (expected >= 0 ? " of " + std::to_string(expected) + " announced" : std::string()) + " (" +
                   detail + "): the body is truncated"};
        break;
      case CURLE_FILESIZE_EXCEEDED:
        err = {FetchFailure::kTooLarge,
               "larger than the size cap of " + std::to_string(req.max_bytes) + " bytes"};
        break;
      case CURLE_WRITE_ERROR:
        if (sink.too_large) {
          err = {FetchFailure::kTooLarge,
                 "larger than the size cap of " + std::to_string(req.max_bytes) + " bytes"};
          break;
        }
        [[fallthrough]];
      default:
        err = {FetchFailure::kOther, detail};
    }
    if (err.failure == FetchFailure::kTooLarge) resp.body.clear();
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return Status();
  }
};

}  // namespace

std::unique_ptr<Fetcher> make_curl_fetcher() { return std::make_unique<CurlFetcher>(); }

}  // namespace clearance
