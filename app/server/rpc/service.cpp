#include "rpc/service.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

#include "jobs/parquet_files.hpp"
#include "jobs/parse_process.hpp"
#include "rpc/quote.hpp"
#include "rpc/utf8_check.hpp"
#include "jobs/framing.hpp"
#include "google/rpc/status.pb.h"
#include "rpc/engine_codes.hpp"
#include "observability/log.hpp"
#include "simcore/circuit_model.hpp"

namespace simcore::server {

using ::grpc::Status;
using ::grpc::StatusCode;

namespace {

std::string newId(char prefix) {
  static std::mutex mu;
  static std::random_device rd;
  std::lock_guard<std::mutex> l(mu);
  static const char* hex = "0123456789abcdef";
  std::string s(1, prefix);
  s += '-';
  for (int i = 0; i < 4; ++i) {
    std::uint32_t v = rd();
    for (int k = 0; k < 8; ++k) s += hex[(v >> (4 * k)) & 15];
  }
  return s;
}

// How long a call waits for a stopped job's result files to be rewritten.
constexpr std::chrono::seconds kRewriteWait{120};

bool validName(const std::string& n, std::size_t maxLen, bool dots) {
  if (n.empty() || n.size() > maxLen || n[0] == '.') return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || (dots && c == '.'))) return false;
  return true;
}

// An uploaded model's name is the path a netlist's .include/.lib gives it:
// segments of validName (dots allowed, none starting with '.') joined by '/'.
bool validModelName(const std::string& n) {
  if (n.empty() || n.size() > 128) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = n.find('/', start);
    const std::string seg = n.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!validName(seg, 128, true)) return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}


// Netlist / option errors found by the parse process before a job runs: the
// netlist's own (INVALID_ARGUMENT, the message with file:line:col), a limit of
// the process (RESOURCE_EXHAUSTED), no free parse slot (UNAVAILABLE).
Status parseError(const pb::ParseOutcome& o) {
  const pb::ErrorCode c = codeOf(o.error());
  StatusCode code = c == pb::ERROR_CODE_BUSY       ? StatusCode::UNAVAILABLE
                    : c == pb::ERROR_CODE_INTERNAL ? StatusCode::INTERNAL
                                                   : failureStatus(c);
  Status s = errorStatus(code, o.error());
  return Status(code, o.formatted_error().empty() ? o.error().message() : o.formatted_error(), s.error_details());
}

ParseLimits parseLimits(const Limits& l) {
  return ParseLimits{l.maxMemoryMb, l.maxCpuSeconds, l.maxWallSeconds};
}

// How a finished job ends a StreamWaveforms call.
Status jobStatus(const pb::Job& job) {
  const auto& e = job.error();
  switch (job.state()) {
    case pb::JOB_STATE_SUCCEEDED: return Status::OK;
    case pb::JOB_STATE_CANCELLED: return errorStatus(StatusCode::CANCELLED, e);
    case pb::JOB_STATE_INTERRUPTED: return errorStatus(StatusCode::ABORTED, e);
    case pb::JOB_STATE_FAILED: return errorStatus(failureStatus(codeOf(e)), e);
    default: return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "the job has not finished");
  }
}

bool isFinal(pb::JobState s) {
  return s == pb::JOB_STATE_SUCCEEDED || s == pb::JOB_STATE_FAILED || s == pb::JOB_STATE_CANCELLED ||
         s == pb::JOB_STATE_INTERRUPTED;
}

const char* extOf(pb::ResultFormat f) {
  switch (f) {
    case pb::RESULT_FORMAT_RAW: return "raw";
    case pb::RESULT_FORMAT_JSON: return "json";
    case pb::RESULT_FORMAT_HDF5: return "h5";
    case pb::RESULT_FORMAT_PARQUET: return "parquet";
    default: return "csv";
  }
}

// The id quoted as sent, but never more than 64 bytes of it (quote.hpp).
Status notFound(const std::string& what, const std::string& id) {
  return errorStatus(StatusCode::NOT_FOUND, pb::ERROR_CODE_NOT_FOUND, "no " + what + " " + quoteInput(id));
}

// A circuit_json that is not a circuit model: INVALID_ARGUMENT naming the JSON Pointer of the
// value at fault (jsonToNetlist's messages begin "POINTER: ").
Status circuitModelError(const Error& e) {
  pb::ErrorDetail d;
  setCode(d, pb::ERROR_CODE_PARSE);
  d.set_message("circuit_json: " + e.message);
  d.set_file(e.loc.file);
  const std::size_t colon = e.message.find(": ");
  if (!e.message.empty() && e.message[0] == '/' && colon != std::string::npos)
    d.set_json_pointer(colon == 1 ? "" : e.message.substr(0, colon));
  return errorStatus(StatusCode::INVALID_ARGUMENT, d);
}

}  // namespace

Status errorStatus(StatusCode code, const pb::ErrorDetail& detail) {
  google::rpc::Status s;
  s.set_code(static_cast<int>(code));
  s.set_message(detail.message());
  s.add_details()->PackFrom(detail);
  return Status(code, detail.message(), s.SerializeAsString());
}

Status errorStatus(StatusCode code, pb::ErrorCode errorCode, const std::string& message) {
  pb::ErrorDetail d;
  setCode(d, errorCode);
  d.set_message(message);
  return errorStatus(code, d);
}

Status SimulatorService::call(::grpc::ServerContextBase* ctx, const char* method, const std::function<Status(const Identity&)>& body) {
  Status s = callBody(ctx, method, body);
  if (!s.ok()) metrics_.addError(static_cast<int>(s.error_code()));
  return s;
}

Status SimulatorService::callBody(::grpc::ServerContextBase* ctx, const char* method, const std::function<Status(const Identity&)>& body) {
  Identity who{"local", "admin"};
  if (auth_) {
    std::string why = "no bearer token (send metadata 'authorization: Bearer <token>')";
    bool ok = false;
    auto it = ctx->client_metadata().find("authorization");
    if (it != ctx->client_metadata().end()) {
      std::string v(it->second.data(), it->second.size());
      if (v.rfind("Bearer ", 0) == 0 || v.rfind("bearer ", 0) == 0) {
        if (auto id = auth_->verify(v.substr(7), why)) {
          who = *id;
          ok = true;
        }
      } else {
        why = "the authorization metadata is not 'Bearer <token>'";
      }
    }
    if (!ok) {
      Log("auth.rejected").str("method", method).str("peer", ctx->peer()).str("reason", why).warn();
      return errorStatus(StatusCode::UNAUTHENTICATED, pb::ERROR_CODE_UNAUTHENTICATED, why);
    }
  }
  try {
    return body(who);
  } catch (const std::exception& e) {
    Log("rpc.internal_error").str("method", method).str("user", who.user).str("error", e.what()).error();
    return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    Log("rpc.internal_error").str("method", method).str("user", who.user).error();
    return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "internal error");
  }
}

Status SimulatorService::loadSession(const Identity& who, const std::string& id, pb::Session& out,
                                     std::string* netlist) {
  auto row = store_.getSession(id);
  if (!row || (row->owner != who.user && !who.admin())) return notFound("session", id);
  if (!out.ParseFromString(row->blob)) return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "corrupt session record");
  if (netlist) *netlist = row->netlist;
  return Status::OK;
}

Status SimulatorService::loadJob(const Identity& who, const std::string& id, pb::Job& out,
                                 std::shared_ptr<JobRuntime>* rtOut) {
  auto rt = jobs_.find(id);
  if (rt) {
    // A stopped job whose files are being rewritten from its log is shown
    // once they are (their rows and sizes are known then).
    std::unique_lock<std::mutex> l(rt->mu);
    rt->cv.wait_for(l, kRewriteWait, [&] { return !rt->rewriting; });
    out = rt->job;
  } else {
    auto row = store_.getJob(id);
    if (!row) return notFound("job", id);
    if (!out.ParseFromString(row->blob)) return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "corrupt job record");
  }
  if (out.owner() != who.user && !who.admin()) return notFound("job", id);
  if (rtOut) *rtOut = rt;
  return Status::OK;
}

SimulatorService::~SimulatorService() {
  std::unique_lock<std::mutex> l(rawMu_);
  rawCv_.wait(l, [this] { return rawRunning_ == 0; });
}

template <class Req, class Resp>
::grpc::ServerUnaryReactor* SimulatorService::rawUnary(::grpc::CallbackServerContext* ctx,
                                                       const ::grpc::ByteBuffer* in, ::grpc::ByteBuffer* out,
                                                       const char* method,
                                                       Status (SimulatorService::*body)(::grpc::ServerContextBase*,
                                                                                        const Req*, Resp*)) {
  ::grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  std::vector<::grpc::Slice> slices;
  std::string bytes;
  if (in->Dump(&slices).ok())
    for (const auto& sl : slices) bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
  {
    std::lock_guard<std::mutex> l(rawMu_);
    ++rawRunning_;
  }
  std::thread([this, ctx, out, reactor, method, body, bytes = std::move(bytes)] {
    Req req;
    Resp resp;
    Status st;
    if (req.ParseFromString(bytes)) {
      st = (this->*body)(ctx, &req, &resp);
    } else if (auto bad = findInvalidUtf8(Req::descriptor(), bytes)) {
      char b[8];
      std::snprintf(b, sizeof b, "0x%02x", bad->byte);
      pb::ErrorDetail d;
      const bool text = bad->field == "netlist" || bad->field == "text";
      setCode(d, text ? pb::ERROR_CODE_PARSE : pb::ERROR_CODE_BAD_REQUEST);
      d.set_message("the " + bad->field + " field is not UTF-8 text: byte " + b + " at line " +
                    std::to_string(bad->line) + ", column " + std::to_string(bad->column) +
                    " (send text as UTF-8; convert Latin-1 or another encoding first)");
      if (text) {
        d.set_file(bad->field == "netlist" ? "<netlist>" : req.GetDescriptor()->name());
        d.set_line(bad->line);
        d.set_column(bad->column);
      }
      st = call(ctx, method, [&](const Identity&) { return errorStatus(StatusCode::INVALID_ARGUMENT, d); });
    } else {
      st = call(ctx, method, [&](const Identity&) {
        return errorStatus(StatusCode::INVALID_ARGUMENT, pb::ERROR_CODE_BAD_REQUEST,
                           std::string("the request is not a ") + Req::descriptor()->full_name() + " message");
      });
    }
    if (st.ok()) {
      std::string wire = resp.SerializeAsString();
      ::grpc::Slice slice(wire);
      *out = ::grpc::ByteBuffer(&slice, 1);
    }
    reactor->Finish(st);
    std::lock_guard<std::mutex> l(rawMu_);
    if (--rawRunning_ == 0) rawCv_.notify_all();
  }).detach();
  return reactor;
}

::grpc::ServerUnaryReactor* SimulatorService::CreateSession(::grpc::CallbackServerContext* ctx,
                                                            const ::grpc::ByteBuffer* in, ::grpc::ByteBuffer* out) {
  return rawUnary(ctx, in, out, "CreateSession", &SimulatorService::createSession);
}

::grpc::ServerUnaryReactor* SimulatorService::UploadModel(::grpc::CallbackServerContext* ctx,
                                                          const ::grpc::ByteBuffer* in, ::grpc::ByteBuffer* out) {
  return rawUnary(ctx, in, out, "UploadModel", &SimulatorService::uploadModel);
}

Status SimulatorService::createSession(::grpc::ServerContextBase* ctx, const pb::CreateSessionRequest* req,
                                       pb::Session* resp) {
  return call(ctx, "CreateSession", [&](const Identity& who) -> Status {
    std::string text;
    std::string fileName = "<netlist>";
    if (req->source_case() == pb::CreateSessionRequest::kModelName) {
      auto m = store_.getModel(who.user, req->model_name());
      if (!m) return notFound("model", req->model_name());
      text = m->text;
      fileName = m->name;
    } else if (req->source_case() == pb::CreateSessionRequest::kCircuitJson) {
      text = req->circuit_json();
    } else {
      text = req->netlist();
    }
    if (!req->file_name().empty()) {
      const std::string& f = req->file_name();
      const bool ok = f.size() <= 256 && validUtf8(f) == f &&
                      std::none_of(f.begin(), f.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; });
      if (!ok)
        return errorStatus(StatusCode::INVALID_ARGUMENT, pb::ERROR_CODE_BAD_REQUEST,
                           "file_name must be at most 256 bytes of UTF-8 without control characters");
      fileName = f;
    }
    const Limits lim = jobs_.limitsFor(who.user, who.role);
    if (std::int64_t(text.size()) > lim.maxNetlistBytes)
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_LIMIT,
                         "the netlist has " + std::to_string(text.size()) + " bytes; the limit is " +
                             std::to_string(lim.maxNetlistBytes));
    if (text.empty()) return errorStatus(StatusCode::INVALID_ARGUMENT, pb::ERROR_CODE_PARSE, "the netlist is empty");
    if (req->source_case() == pb::CreateSessionRequest::kCircuitJson) {
      auto netlist = model::jsonToNetlist(text, {fileName});
      if (!netlist) return circuitModelError(netlist.error());
      text = std::move(netlist.value());
    }
    if (std::string why; !jobs_.diskAllows(who.user, lim, why))
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_QUOTA, why);
    std::string name = req->name().empty() ? "circuit" : req->name();
    if (!validName(name, 64, false))
      return errorStatus(StatusCode::INVALID_ARGUMENT, pb::ERROR_CODE_BAD_REQUEST,
                         "session name must be 1-64 characters of [A-Za-z0-9_-]");
    pb::ParseRequest preq;
    preq.set_netlist(text);
    preq.set_file_name(fileName);
    for (const auto& [k, v] : req->params()) (*preq.mutable_params())[k] = v;
    auto lookup = [&](const std::string& n) -> std::optional<std::string> {
      auto m = store_.getModel(who.user, n);
      if (!m) return std::nullopt;
      return m->text;
    };
    ParseAnswer ans = jobs_.parser().run(preq, lookup, parseLimits(lim), ctx->deadline());
    if (!ans.outcome.ok()) return parseError(ans.outcome);
    pb::Session s;
    s.set_id(newId('s'));
    s.set_owner(who.user);
    s.set_name(name);
    s.set_title(ans.outcome.title());
    s.set_created_unix_ms(nowUnixMs());
    *s.mutable_analyses() = ans.outcome.analyses();
    for (const auto& [k, v] : req->params()) (*s.mutable_params())[k] = v;
    *s.mutable_warnings() = ans.outcome.warnings();
    s.set_device_count(ans.outcome.device_count());
    s.set_file_name(fileName);
    if (!store_.putSession({s.id(), s.owner(), s.created_unix_ms(), text, s.SerializeAsString()}))
      return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "cannot store the session: " + store_.lastError());
    // The stored netlist of a model-based session is the model's text at creation.
    Log("session.created").str("session", s.id()).str("user", who.user).num("bytes", std::int64_t(text.size())).info();
    *resp = s;
    return Status::OK;
  });
}

Status SimulatorService::GetSession(Ctx* ctx, const pb::GetSessionRequest* req, pb::Session* resp) {
  return call(ctx, "GetSession", [&](const Identity& who) { return loadSession(who, req->session_id(), *resp, nullptr); });
}

Status SimulatorService::ListSessions(Ctx* ctx, const pb::ListSessionsRequest*, pb::ListSessionsResponse* resp) {
  return call(ctx, "ListSessions", [&](const Identity& who) {
    for (const auto& row : store_.listSessions(who.admin() ? "" : who.user))
      resp->add_sessions()->ParseFromString(row.blob);
    return Status::OK;
  });
}

Status SimulatorService::StartSimulation(Ctx* ctx, const pb::StartSimulationRequest* req, pb::Job* resp) {
  return call(ctx, "StartSimulation", [&](const Identity& who) -> Status {
    pb::Session session;
    std::string netlist;
    if (Status s = loadSession(who, req->session_id(), session, &netlist); !s.ok()) return s;
    const auto& o = req->options();
    if (o.chunk_rows() > 65536)
      return errorStatus(StatusCode::INVALID_ARGUMENT, pb::ERROR_CODE_BAD_REQUEST, "chunk_rows must be at most 65536");
    const Limits lim = jobs_.limitsFor(who.user, who.role);
    if (o.analyses_size() > lim.maxAnalyses)
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_LIMIT,
                         "the options name " + std::to_string(o.analyses_size()) + " analyses; the limit is " +
                             std::to_string(lim.maxAnalyses) + " per job");
    if (std::int64_t(o.threads()) > lim.maxThreads)
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_LIMIT,
                         "the options ask for " + std::to_string(o.threads()) + " threads; the limit is " +
                             std::to_string(lim.maxThreads) + " per job");
    std::int64_t cardBytes = 0;
    for (const auto& a : o.analyses()) cardBytes += std::int64_t(a.size());
    if (cardBytes > lim.maxNetlistBytes)
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_LIMIT,
                         "the analysis cards have " + std::to_string(cardBytes) + " bytes; the limit is " +
                             std::to_string(lim.maxNetlistBytes));
    if (std::string why; !jobs_.diskAllows(who.user, lim, why))
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_QUOTA, why);
    std::map<std::string, double> params;
    for (const auto& [k, v] : session.params()) params[k] = v;
    for (const auto& [k, v] : o.params()) params[k] = v;
    pb::ParseRequest preq;
    preq.set_netlist(netlist);
    preq.set_file_name(session.file_name().empty() ? "<netlist>" : session.file_name());
    for (const auto& [k, v] : params) (*preq.mutable_params())[k] = v;
    *preq.mutable_options() = o;
    preq.mutable_options()->clear_params();
    auto lookup = [&](const std::string& n) -> std::optional<std::string> {
      auto m = store_.getModel(session.owner(), n);
      if (!m) return std::nullopt;
      return m->text;
    };
    ParseAnswer ans = jobs_.parser().run(preq, lookup, parseLimits(lim), ctx->deadline());
    if (!ans.outcome.ok()) return parseError(ans.outcome);
    const auto& includes = ans.includes;

    auto rt = std::make_shared<JobRuntime>();
    pb::Job& job = rt->job;
    job.set_id(newId('j'));
    job.set_session_id(session.id());
    job.set_owner(who.user);
    job.set_state(pb::JOB_STATE_QUEUED);
    *job.mutable_options() = o;
    job.set_created_unix_ms(nowUnixMs());
    auto& r = rt->request;
    r.set_job_id(job.id());
    r.set_netlist(netlist);
    r.set_file_name(preq.file_name());
    for (const auto& [k, v] : includes) (*r.mutable_includes())[k] = v;
    for (const auto& [k, v] : params) (*r.mutable_params())[k] = v;
    *r.mutable_options() = o;
    r.mutable_options()->clear_params();
    r.set_stem(session.name());
    rt->limits = lim;
    r.set_max_unknowns(rt->limits.maxUnknowns);
    r.set_max_time_points(rt->limits.maxTimePoints);
    std::string why;
    if (!jobs_.submit(rt, why)) {
      Log("job.rejected").str("user", who.user).str("reason", why).warn();
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_QUOTA, why);
    }
    std::lock_guard<std::mutex> l(rt->mu);
    *resp = rt->job;
    return Status::OK;
  });
}

Status SimulatorService::StreamWaveforms(Ctx* ctx, const pb::StreamWaveformsRequest* req,
                                         ::grpc::ServerWriter<pb::WaveformChunk>* writer) {
  Metrics::ActiveStream active(metrics_);
  return call(ctx, "StreamWaveforms", [&](const Identity& who) -> Status {
    pb::Job job;
    std::shared_ptr<JobRuntime> rt;
    if (Status s = loadJob(who, req->job_id(), job, &rt); !s.ok()) return s;
    const std::string path = jobs_.jobDir(job.id()) + "/stream.frames";
    int fd = -1;
    std::int64_t offset = 0;
    FrameDecoder dec;
    Frame f;
    std::string buf(1 << 20, '\0');
    pb::WaveformChunk chunk;
    while (true) {
      std::int64_t avail;
      bool finished;
      if (rt) {
        std::unique_lock<std::mutex> lk(rt->mu);
        rt->cv.wait_for(lk, std::chrono::milliseconds(200), [&] { return rt->committed > offset || rt->finished; });
        avail = rt->committed;
        finished = rt->finished;
        if (finished) job = rt->job;
      } else {
        if (!isFinal(job.state()))
          return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "the job is neither active nor finished");
        avail = INT64_MAX;
        finished = true;
      }
      if (ctx->IsCancelled()) return Status(StatusCode::CANCELLED, "the client went away");
      if (avail > offset) {
        if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
          if (finished) break;  // failed before the first chunk
          continue;
        }
        while (offset < avail) {
          std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(avail - offset, buf.size()));
          ssize_t n = ::pread(fd, buf.data(), want, offset);
          if (n <= 0) {
            avail = offset;  // end of file (replay) or error
            break;
          }
          offset += n;
          dec.feed(buf.data(), static_cast<std::size_t>(n));
          ReadStatus st;
          while ((st = dec.next(f)) == ReadStatus::Frame) {
            if (!chunk.ParseFromString(f.payload)) continue;
            if (!writer->Write(chunk)) {
              ::close(fd);
              return Status(StatusCode::CANCELLED, "the client went away");
            }
            metrics_.addRowsStreamed(chunk.rows());
          }
          if (st != ReadStatus::Eof) {
            ::close(fd);
            return errorStatus(StatusCode::DATA_LOSS, pb::ERROR_CODE_INTERNAL,
                               std::string("the job's waveform log is corrupt: ") + readStatusName(st));
          }
        }
      }
      if (finished && offset >= avail) break;
    }
    if (fd >= 0) ::close(fd);
    return jobStatus(job);
  });
}

Status SimulatorService::GetResult(Ctx* ctx, const pb::GetResultRequest* req,
                                   ::grpc::ServerWriter<pb::ResultChunk>* writer) {
  return call(ctx, "GetResult", [&](const Identity& who) -> Status {
    pb::Job job;
    std::shared_ptr<JobRuntime> rt;
    if (Status s = loadJob(who, req->job_id(), job, &rt); !s.ok()) return s;
    if (rt) {
      // A stopped job's files may still be being rewritten (JobRuntime::rewriting).
      std::unique_lock<std::mutex> l(rt->mu);
      if (!rt->cv.wait_for(l, kRewriteWait, [&] { return !rt->rewriting; }))
        return errorStatus(StatusCode::UNAVAILABLE, pb::ERROR_CODE_BUSY, "the job's result files are still being written; retry");
      job = rt->job;
    }
    pb::ResultFormat fmt = req->format() == pb::RESULT_FORMAT_UNSPECIFIED ? pb::RESULT_FORMAT_CSV : req->format();
#ifndef SIMCORE_HAVE_HDF5
    if (fmt == pb::RESULT_FORMAT_HDF5)
      return errorStatus(StatusCode::UNIMPLEMENTED, pb::ERROR_CODE_UNIMPLEMENTED,
                         "this server was built without HDF5 (install libhdf5-dev and rebuild); ask for CSV, RAW or JSON");
#endif
    if (std::string why; fmt == pb::RESULT_FORMAT_PARQUET && !parquetAvailable(&why))
      return errorStatus(StatusCode::UNIMPLEMENTED, pb::ERROR_CODE_UNIMPLEMENTED, why + "; ask for CSV, RAW or JSON");
    if (!isFinal(job.state()))
      return errorStatus(StatusCode::FAILED_PRECONDITION, pb::ERROR_CODE_NOT_FINISHED,
                         "job " + job.id() + " has not finished; stream its waveforms or wait");
    std::vector<const pb::ResultFile*> files;
    for (const auto& r : job.results())
      if (r.format() == fmt && (req->analysis().empty() || r.analysis() == req->analysis())) files.push_back(&r);
    if (files.empty())
      return errorStatus(StatusCode::NOT_FOUND, pb::ERROR_CODE_NOT_FOUND,
                         std::string("job ") + job.id() + " has no " + extOf(fmt) + " result" +
                             (req->analysis().empty() ? "" : " for analysis " + quoteInput(req->analysis())));
    std::string buf(64 * 1024, '\0');
    for (const auto* r : files) {
      std::string path = jobs_.jobDir(job.id()) + "/" + r->name();
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return errorStatus(StatusCode::DATA_LOSS, pb::ERROR_CODE_INTERNAL, "the result file " + r->name() + " is gone");
      bool first = true;
      while (true) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0) {
          ::close(fd);
          return errorStatus(StatusCode::DATA_LOSS, pb::ERROR_CODE_INTERNAL, "cannot read " + r->name());
        }
        pb::ResultChunk c;
        if (first) {
          c.set_file_name(r->name());
          c.set_analysis(r->analysis());
          first = false;
        }
        c.set_data(buf.data(), static_cast<std::size_t>(n));
        c.set_end_of_file(n == 0);
        if (!writer->Write(c)) {
          ::close(fd);
          return Status(StatusCode::CANCELLED, "the client went away");
        }
        if (n == 0) break;
      }
      ::close(fd);
    }
    return Status::OK;
  });
}

Status SimulatorService::StopSimulation(Ctx* ctx, const pb::StopSimulationRequest* req, pb::Job* resp) {
  return call(ctx, "StopSimulation", [&](const Identity& who) -> Status {
    std::shared_ptr<JobRuntime> rt;
    if (Status s = loadJob(who, req->job_id(), *resp, &rt); !s.ok()) return s;
    if (rt) *resp = jobs_.stop(rt);
    return Status::OK;
  });
}

Status SimulatorService::GetJob(Ctx* ctx, const pb::GetJobRequest* req, pb::Job* resp) {
  return call(ctx, "GetJob", [&](const Identity& who) { return loadJob(who, req->job_id(), *resp, nullptr); });
}

Status SimulatorService::ListJobs(Ctx* ctx, const pb::ListJobsRequest* req, pb::ListJobsResponse* resp) {
  return call(ctx, "ListJobs", [&](const Identity& who) {
    for (const auto& row : store_.listJobs(who.admin() ? "" : who.user, req->session_id())) {
      auto* j = resp->add_jobs();
      if (auto rt = jobs_.find(row.id)) {
        std::unique_lock<std::mutex> l(rt->mu);
        rt->cv.wait_for(l, kRewriteWait, [&] { return !rt->rewriting; });
        *j = rt->job;
      } else {
        j->ParseFromString(row.blob);
      }
    }
    return Status::OK;
  });
}

Status SimulatorService::uploadModel(::grpc::ServerContextBase* ctx, const pb::UploadModelRequest* req,
                                     pb::Model* resp) {
  return call(ctx, "UploadModel", [&](const Identity& who) -> Status {
    if (!validModelName(req->name()))
      return errorStatus(StatusCode::INVALID_ARGUMENT, pb::ERROR_CODE_BAD_REQUEST,
                         "model name must be 1-128 characters of [A-Za-z0-9_.-/]: '/'-separated parts, none empty "
                         "or starting with '.'");
    const std::int64_t maxBytes = jobs_.limitsFor(who.user, who.role).maxNetlistBytes;
    if (std::int64_t(req->text().size()) > maxBytes)
      return errorStatus(StatusCode::RESOURCE_EXHAUSTED, pb::ERROR_CODE_LIMIT,
                         "the model has " + std::to_string(req->text().size()) + " bytes; the limit is " +
                             std::to_string(maxBytes));
    ModelRow m{req->name(), who.user, nowUnixMs(), req->text()};
    if (!store_.putModel(m))
      return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "cannot store the model: " + store_.lastError());
    resp->set_name(m.name);
    resp->set_owner(m.owner);
    resp->set_size_bytes(static_cast<std::int64_t>(m.text.size()));
    resp->set_created_unix_ms(m.createdMs);
    return Status::OK;
  });
}

Status SimulatorService::ListModels(Ctx* ctx, const pb::ListModelsRequest*, pb::ListModelsResponse* resp) {
  return call(ctx, "ListModels", [&](const Identity& who) {
    for (const auto& m : store_.listModels(who.admin() ? "" : who.user)) {
      auto* o = resp->add_models();
      o->set_name(m.name);
      o->set_owner(m.owner);
      o->set_size_bytes(m.sizeBytes);
      o->set_created_unix_ms(m.createdMs);
    }
    return Status::OK;
  });
}

Status SimulatorService::DeleteJob(Ctx* ctx, const pb::DeleteJobRequest* req, pb::DeleteJobResponse* resp) {
  return call(ctx, "DeleteJob", [&](const Identity& who) -> Status {
    pb::Job job;
    if (Status s = loadJob(who, req->job_id(), job, nullptr); !s.ok()) return s;
    std::int64_t freed = 0;
    std::string err;
    if (!jobs_.deleteJob(job.id(), freed, err))
      return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "cannot delete the job: " + err);
    Log("job.deleted").str("job", job.id()).str("user", who.user).num("bytes", freed).info();
    resp->set_freed_bytes(freed);
    return Status::OK;
  });
}

Status SimulatorService::DeleteSession(Ctx* ctx, const pb::DeleteSessionRequest* req,
                                       pb::DeleteSessionResponse* resp) {
  return call(ctx, "DeleteSession", [&](const Identity& who) -> Status {
    pb::Session session;
    if (Status s = loadSession(who, req->session_id(), session, nullptr); !s.ok()) return s;
    std::int64_t freed = 0;
    int n = 0;
    for (const auto& row : store_.listJobs("", session.id())) {
      std::int64_t f = 0;
      std::string err;
      if (!jobs_.deleteJob(row.id, f, err))
        return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL, "cannot delete job " + row.id + ": " + err);
      freed += f;
      ++n;
    }
    if (!store_.deleteSession(session.id()))
      return errorStatus(StatusCode::INTERNAL, pb::ERROR_CODE_INTERNAL,
                         "cannot delete the session: " + store_.lastError());
    Log("session.deleted").str("session", session.id()).str("user", who.user).num("jobs", std::int64_t(n))
        .num("bytes", freed).info();
    resp->set_jobs_deleted(n);
    resp->set_freed_bytes(freed);
    return Status::OK;
  });
}

}  // namespace simcore::server
