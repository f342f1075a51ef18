// The HTTP transport of `clearance serve`: Boost.Beast on Asio, plain or TLS. It accepts
// connections, reads requests under the transport limits (header size, body size per route, a
// deadline for the whole request so a client sending a byte a second cannot hold a connection,
// an idle timeout between keep-alive requests), hands complete requests to a Handler, and writes
// whatever the handler answers, whole or chunked. It knows nothing of routes, keys or JSON.
//
// Thread-safety: one HttpServer is driven by an io_context run on any number of threads; every
// connection runs on its own strand. A Responder may be used from any thread, once.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "clearance/common/result.hpp"

namespace clearance::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Boost 1.74's string_view is not std::string_view.
inline std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

struct TransportLimits {
  std::size_t header_bytes = 16 * 1024;
  // The whole request (header and body) must arrive within this from its first byte.
  std::chrono::milliseconds read_timeout{30'000};
  // A keep-alive connection waiting for its next request is closed after this.
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{60'000};
};

// What the transport refuses on its own, before a handler sees the request.
enum class TransportError {
  kMalformed,       // not HTTP/1.x the parser accepts: 400
  kHeaderTooLarge,  // 431
  kBodyTooLarge,    // 413
  kReadTimeout,     // the request did not arrive within read_timeout: 408
};

// One request's answer. Exactly one of send() or the stream calls is used, from any thread.
class Responder {
 public:
  virtual ~Responder() = default;
  // Sends a complete response (Content-Length set here).
  virtual void send(Response res) = 0;
  // Chunked streaming. REQUIRES: not called from an io_context thread (they block until the bytes
  // are handed to the socket). Each returns false once the client is gone; stop producing then.
  virtual bool start_stream(Response header) = 0;
  virtual bool write_chunk(std::string data) = 0;
  virtual void finish_stream() = 0;
};

struct Connection {
  std::string remote;  // "address:port"
  bool loopback = false;
  bool tls = false;
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Called once the header is in: the largest body accepted for this request, in bytes.
  virtual std::uint64_t body_limit(const Request& header) const = 0;
  // A complete request. The handler answers through the responder, now or later, from any thread.
  virtual void handle(Request req, const Connection& conn, std::shared_ptr<Responder> responder) = 0;
  // The response for a refusal of the transport's own; `header` is null when no header was read.
  virtual Response transport_error(TransportError e, const Request* header, const Connection& conn) = 0;
};

class HttpServer {
 public:
  // `tls` may be null (plain HTTP); it must outlive the server.
  HttpServer(boost::asio::io_context& ioc, Handler& handler, TransportLimits limits,
             boost::asio::ssl::context* tls);
  ~HttpServer();

  // Binds and listens. Port 0 picks a free one (see port()).
  Status listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const;
  void start();
  // Graceful stop: no new connections; idle keep-alive connections close; requests being read
  // or handled finish and their connections close after the answer. Safe from any thread.
  void drain();
  std::size_t open_connections() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace clearance::server
