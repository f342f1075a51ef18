// The libcurl transport of monitor webhooks, and their HMAC-SHA256 signature (OpenSSL).
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <mutex>

#include "clearance/store/monitor.hpp"

namespace clearance {
namespace {

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

class CurlWebhookSender final : public WebhookSender {
 public:
  CurlWebhookSender() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  long post(const WebhookRequest& req, std::string& error) override {
    CURL* curl = curl_easy_init();
    if (!curl) {
      error = "libcurl: curl_easy_init failed";
      return 0;
    }
    struct curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const auto& [k, v] : req.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would re-POST elsewhere
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "clearance-monitor/1");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, req.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    if (rc == CURLE_OK)
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else
      error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return status;
  }
};

}  // namespace

std::unique_ptr<WebhookSender> make_curl_webhook_sender() { return std::make_unique<CurlWebhookSender>(); }

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message.append(timestamp).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int k = 0; k < len; ++k) {
    out += kHex[mac[k] >> 4];
    out += kHex[mac[k] & 15];
  }
  return out;
}

}  // namespace clearance
