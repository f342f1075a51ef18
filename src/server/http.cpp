#include "server/http.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace clearance::server {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void drain() = 0;
};

// How long a refused request's unread body is read and dropped before the connection closes, so
// the client sees the error response instead of a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(net::io_context& io, Handler& h, TransportLimits l, ssl::context* t)
      : ioc(io),
        handler(h),
        limits(l),
        tls(t),
        acceptor(net::make_strand(io)),
        retry(acceptor.get_executor()) {}

  net::io_context& ioc;
  Handler& handler;
  TransportLimits limits;
  ssl::context* tls;
  tcp::acceptor acceptor;
  net::steady_timer retry;
  std::atomic<bool> draining{false};
  mutable std::mutex mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;

  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void add(SessionBase* raw, const std::shared_ptr<SessionBase>& s) {
    std::lock_guard lock(mu);
    sessions.emplace(raw, s);
  }
  void remove(SessionBase* s) {
    std::lock_guard lock(mu);
    sessions.erase(s);
  }
};

namespace {

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, beast::tcp_stream>;

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(std::shared_ptr<HttpServer::Impl> server, Stream stream, Connection conn)
      : server_(std::move(server)),
        stream_(std::move(stream)),
        conn_(std::move(conn)),
        deadline_(stream_.get_executor()) {}
  ~Session() override { server_->remove(this); }

  void run() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
  }

  void drain() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->draining_ = true;
      if (self->state_ == State::kIdle) self->lowest().cancel();
    });
  }

  auto executor() { return stream_.get_executor(); }

  // Called on the strand.
  void write(Response res) {
    if (state_ == State::kClosed) return;
    state_ = State::kWriting;
    bool keep = keep_alive_ && res.keep_alive() && !draining_;
    res.version(version_);
    res.keep_alive(keep);
    res.prepare_payload();
    auto sp = std::make_shared<Response>(std::move(res));
    lowest().expires_after(server_->limits.write_timeout);
    http::async_write(stream_, *sp,
                      [self = this->shared_from_this(), sp, keep](beast::error_code ec, size_t) {
                        if (ec || !keep) return self->close();
                        self->wait_request();
                      });
  }

  void write_stream_header(Response h, std::function<void(bool)> done) {
    if (state_ == State::kClosed) return done(false);
    state_ = State::kWriting;
    stream_keep_ = keep_alive_ && h.keep_alive() && !draining_;
    auto res = std::make_shared<http::response<http::empty_body>>();
    res->result(h.result());
    for (const auto& f : h) res->set(f.name_string(), f.value());
    res->version(version_);
    res->keep_alive(stream_keep_);
    res->chunked(true);
    auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    lowest().expires_after(server_->limits.write_timeout);
    http::async_write_header(stream_, *sr,
                             [self = this->shared_from_this(), res, sr, done](beast::error_code ec, size_t) {
                               if (ec) self->stream_failed_ = true;
                               done(!ec);
                             });
  }

  void write_chunk(std::shared_ptr<std::string> data, std::function<void(bool)> done) {
    if (stream_failed_ || state_ == State::kClosed) return done(false);
    if (data->empty()) return done(true);  // an empty chunk would end the body
    lowest().expires_after(server_->limits.write_timeout);
    net::async_write(stream_, http::make_chunk(net::const_buffer(data->data(), data->size())),
                     [self = this->shared_from_this(), data, done](beast::error_code ec, size_t) {
                       if (ec) self->stream_failed_ = true;
                       done(!ec);
                     });
  }

  void finish_stream() {
    if (stream_failed_ || state_ == State::kClosed) return close();
    lowest().expires_after(server_->limits.write_timeout);
    net::async_write(stream_, http::make_chunk_last(),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec || !self->stream_keep_) return self->close();
                       self->wait_request();
                     });
  }

 private:
  enum class State { kStarting, kIdle, kReading, kBusy, kWriting, kClosed };

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void start() {
    if constexpr (kIsTls<Stream>) {
      lowest().expires_after(server_->limits.read_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close();
                                self->wait_request();
                              });
    } else {
      wait_request();
    }
  }

  // Waits for the first byte of the next request under the idle timeout; the request's own
  // deadline starts when it begins to arrive.
  void wait_request() {
    if (draining_) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.header_bytes));
    // No body limit while the header is read: Beast checks Content-Length against its default
    // (1 MiB) as soon as the header is parsed, before on_header sets the route's own limit (an
    // upload of 2 MB was refused whatever --max-upload said). Not boost::none: Boost 1.74 compares
    // a length with an empty optional as greater, which refuses every body.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (buffer_.size() > 0) return read_header();
    state_ = State::kIdle;
    lowest().expires_after(server_->limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(8192),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              if (ec || n == 0) return self->close();
                              self->read_header();
                            });
  }

  // The request's deadline has its own timer: the stream's timeout would close the socket, and
  // the client is owed a 408.
  void read_header() {
    state_ = State::kReading;
    lowest().expires_never();
    timed_out_ = false;
    deadline_.expires_after(server_->limits.read_timeout);
    deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->state_ != State::kReading) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->lowest().socket().cancel(ignored);
    });
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec, false);
    const Request& req = parser_->get();
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    std::uint64_t limit = server_->handler.body_limit(req);
    if (auto cl = parser_->content_length(); cl && *cl > limit)
      return refuse(TransportError::kBodyTooLarge, true);
    parser_->body_limit(limit);
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
      http::async_write(stream_, *cont,
                        [self = this->shared_from_this(), cont](beast::error_code ec, size_t) {
                          if (ec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->on_read_error(ec, true);
                       self->dispatch();
                     });
  }

  void on_read_error(beast::error_code ec, bool have_header) {
    deadline_.cancel();
    if (timed_out_) return refuse(TransportError::kReadTimeout, have_header);
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted)
      return close();
    if (ec == http::error::header_limit) return refuse(TransportError::kHeaderTooLarge, false);
    if (ec == http::error::body_limit) return refuse(TransportError::kBodyTooLarge, have_header);
    refuse(TransportError::kMalformed, have_header);
  }

  void dispatch();

  // Answers a request the transport will not take, then closes after draining what the client
  // is still sending (for a short while), so it can read the answer.
  void refuse(TransportError e, bool have_header) {
    Response res = server_->handler.transport_error(e, have_header ? &parser_->get() : nullptr, conn_);
    state_ = State::kWriting;
    res.version(have_header ? version_ : 11);
    res.keep_alive(false);
    res.prepare_payload();
    auto sp = std::make_shared<Response>(std::move(res));
    lowest().expires_after(server_->limits.write_timeout);
    http::async_write(stream_, *sp, [self = this->shared_from_this(), sp](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->linger();
    });
  }

  void linger() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(kLingerTime);
    discard();
  }

  void discard() {
    if (!scratch_) scratch_ = std::make_unique<std::array<char, 16384>>();
    lowest().async_read_some(net::buffer(*scratch_),
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                               if (ec) return self->close();
                               self->discard();
                             });
  }

  void close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    deadline_.cancel();
    beast::error_code ignored;
    if constexpr (kIsTls<Stream>) {
      lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored2;
        self->lowest().socket().close(ignored2);
      });
    } else {
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      lowest().socket().close(ignored);
    }
  }

  std::shared_ptr<HttpServer::Impl> server_;
  Stream stream_;
  Connection conn_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::unique_ptr<std::array<char, 16384>> scratch_;
  net::steady_timer deadline_;
  bool timed_out_ = false;
  State state_ = State::kStarting;
  bool draining_ = false;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool stream_keep_ = false;
  bool stream_failed_ = false;
};

template <class S>
class SessionResponder : public Responder {
 public:
  explicit SessionResponder(std::shared_ptr<S> s) : s_(std::move(s)) {}
  ~SessionResponder() override {
    if (!used_) {  // a handler that dropped its request: never leave the client hanging
      Response res{http::status::internal_server_error, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = R"({"error":{"code":"internal","message":"the request was not answered","field":null}})";
      send(std::move(res));
    }
  }

  void send(Response res) override {
    used_ = true;
    net::post(s_->executor(), [s = s_, r = std::move(res)]() mutable { s->write(std::move(r)); });
  }

  bool start_stream(Response header) override {
    used_ = true;
    return wait([&](std::function<void(bool)> done) {
      net::post(s_->executor(), [s = s_, h = std::move(header), done]() mutable {
        s->write_stream_header(std::move(h), done);
      });
    });
  }

  bool write_chunk(std::string data) override {
    auto d = std::make_shared<std::string>(std::move(data));
    return wait([&](std::function<void(bool)> done) {
      net::post(s_->executor(), [s = s_, d, done] { s->write_chunk(d, done); });
    });
  }

  void finish_stream() override {
    net::post(s_->executor(), [s = s_] { s->finish_stream(); });
  }

 private:
  template <class F>
  static bool wait(F&& start) {
    auto p = std::make_shared<std::promise<bool>>();
    auto f = p->get_future();
    start([p](bool ok) { p->set_value(ok); });
    return f.get();
  }

  std::shared_ptr<S> s_;
  bool used_ = false;
};

template <class Stream>
void Session<Stream>::dispatch() {
  state_ = State::kBusy;
  deadline_.cancel();
  lowest().expires_never();
  Request req = parser_->release();
  auto responder = std::make_shared<SessionResponder<Session<Stream>>>(this->shared_from_this());
  server_->handler.handle(std::move(req), conn_, std::move(responder));
}

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc),
                        [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
                          self->on_accept(ec, std::move(s));
                        });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    // Out of descriptors or similar: try again shortly rather than spin.
    retry.expires_after(std::chrono::milliseconds(20));
    retry.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e && !self->draining) self->accept();
    });
    return;
  }
  if (draining) {
    beast::error_code ignored;
    socket.close(ignored);
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  Connection conn;
  auto ep = socket.remote_endpoint(ignored);
  conn.loopback = ep.address().is_loopback();
  conn.remote = ep.address().to_string() + ":" + std::to_string(ep.port());
  conn.tls = tls != nullptr;
  if (tls) {
    using S = Session<beast::ssl_stream<beast::tcp_stream>>;
    auto s = std::make_shared<S>(
        shared_from_this(), beast::ssl_stream<beast::tcp_stream>(std::move(socket), *tls), std::move(conn));
    add(s.get(), s);
    s->run();
  } else {
    using S = Session<beast::tcp_stream>;
    auto s = std::make_shared<S>(shared_from_this(), beast::tcp_stream(std::move(socket)), std::move(conn));
    add(s.get(), s);
    s->run();
  }
  accept();
}

HttpServer::HttpServer(net::io_context& ioc, Handler& handler, TransportLimits limits, ssl::context* tls)
    : impl_(std::make_shared<Impl>(ioc, handler, limits, tls)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::listen(const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  tcp::resolver resolver(impl_->ioc);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty())
    return Error::BadInput("--listen: cannot resolve '" + host + "': " + ec.message());
  tcp::endpoint ep = results.begin()->endpoint();
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error::Io("--listen " + host + ":" + std::to_string(port) + ": " + ec.message());
  return Status::Ok();
}

std::uint16_t HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::start() {
  net::dispatch(impl_->acceptor.get_executor(), [impl = impl_] { impl->accept(); });
}

void HttpServer::drain() {
  impl_->draining = true;
  net::post(impl_->acceptor.get_executor(), [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->retry.cancel();
  });
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(impl_->mu);
    for (auto& [raw, weak] : impl_->sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->drain();
}

std::size_t HttpServer::open_connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->sessions.size();
}

}  // namespace clearance::server
