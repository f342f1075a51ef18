#include "server/jobs.hpp"

#include <filesystem>
#include <fstream>
#include <random>

#include "server/log.hpp"

namespace clearance::server {

namespace {

// Where a job's answer goes: the streamed chunks (or the whole body) into its result file; each
// line of a streamed answer is a row done.
class JobResponder : public Responder {
 public:
  JobResponder(Job& job, const JobQueue& queue)
      : job_(job), queue_(queue), out_(job.result_path, std::ios::binary) {}
  void send(Response res) override {
    status_ = res.result_int();
    type_ = std::string(sv(res[http::field::content_type]));
    out_ << res.body();
  }
  bool start_stream(Response header) override {
    status_ = header.result_int();
    type_ = std::string(sv(header[http::field::content_type]));
    return out_.good();
  }
  bool write_chunk(std::string data) override {
    for (char c : data) job_.done += c == '\n';
    out_ << data;
    return out_.good() && !queue_.stopping();
  }
  void finish_stream() override { out_.flush(); }
  int status() const { return status_; }
  const std::string& type() const { return type_; }
  bool ok() { return out_.flush().good(); }

 private:
  Job& job_;
  const JobQueue& queue_;
  std::ofstream out_;
  int status_ = 0;
  std::string type_;
};

}  // namespace

std::string_view to_string(Job::State s) {
  switch (s) {
    case Job::State::kQueued:
      return "queued";
    case Job::State::kRunning:
      return "running";
    case Job::State::kDone:
      return "done";
    case Job::State::kFailed:
      return "failed";
  }
  return "failed";
}

JobQueue::JobQueue(std::string dir, unsigned threads)
    : dir_(std::move(dir)), threads_(std::max(1u, threads)) {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06x", rd() & 0xffffff);
  prefix_ = buf;
}

JobQueue::~JobQueue() { stop(); }

Status JobQueue::start() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Error::Io(dir_ + ": cannot create the jobs directory: " + ec.message());
  for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back([this] { work(); });
  return Status::Ok();
}

std::shared_ptr<Job> JobQueue::submit(std::shared_ptr<Job> job) {
  std::lock_guard lock(mu_);
  char buf[48];
  std::snprintf(buf, sizeof buf, "job-%s-%llu", prefix_.c_str(), static_cast<unsigned long long>(++next_));
  job->id = buf;
  job->result_path = dir_ + "/" + job->id + ".out";
  job->created_at = utc_now_ms();
  jobs_[job->id] = job;
  queue_.push_back(job);
  cv_.notify_one();
  return job;
}

std::shared_ptr<Job> JobQueue::find(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second;
}

void JobQueue::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    for (auto& job : queue_) {
      job->error = {
          {"code", "unavailable"}, {"message", "the server stopped before the job ran"}, {"field", nullptr}};
      job->finished_at = utc_now_ms();
      job->state = Job::State::kFailed;
    }
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void JobQueue::work() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = queue_.front();
      queue_.pop_front();
      job->started_at = utc_now_ms();
      job->state = Job::State::kRunning;
    }
    JobResponder out(*job, *this);
    nlohmann::ordered_json error;
    int status = 0;
    try {
      status = job->run(out);
    } catch (const ApiError& e) {
      error = e.to_json()["error"];
    } catch (const std::exception& e) {
      error = {
          {"code", "internal"}, {"message", std::string("internal error: ") + e.what()}, {"field", nullptr}};
    }
    if (error.is_null() && !out.ok())
      error = {
          {"code", "internal"}, {"message", "the job's result could not be written"}, {"field", nullptr}};
    if (error.is_null() && stopping_)
      error = {
          {"code", "unavailable"}, {"message", "the server stopped while the job ran"}, {"field", nullptr}};
    std::lock_guard lock(mu_);
    job->finished_at = utc_now_ms();
    job->content_type = out.type();
    if (!error.is_null() || status >= 400) {
      job->error =
          error.is_null()
              ? nlohmann::ordered_json{{"code", "internal"},
                                       {"message", "the job failed (" + std::to_string(status) + ")"},
                                       {"field", nullptr}}
              : error;
      job->state = Job::State::kFailed;
    } else {
      job->state = Job::State::kDone;
    }
  }
}

nlohmann::ordered_json JobQueue::describe(const Job& job) const {
  std::lock_guard lock(mu_);
  auto state = job.state.load();
  nlohmann::ordered_json j = {
      {"id", job.id},
      {"kind", job.kind},
      {"status", to_string(state)},
      {"progress",
       {{"done", job.done.load()},
        {"total", job.total ? nlohmann::ordered_json(job.total) : nlohmann::ordered_json()}}},
      {"created_at", job.created_at},
      {"started_at",
       job.started_at.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(job.started_at)},
      {"finished_at",
       job.finished_at.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(job.finished_at)},
      {"result", state == Job::State::kDone ? nlohmann::ordered_json("/v1/jobs/" + job.id + "/result")
                                            : nlohmann::ordered_json()},
      {"result_type",
       state == Job::State::kDone ? nlohmann::ordered_json(job.content_type) : nlohmann::ordered_json()},
      {"audit_id", job.audit_id ? nlohmann::ordered_json(job.audit_id.load()) : nlohmann::ordered_json()},
      {"error", job.error}};
  return j;
}

}  // namespace clearance::server
