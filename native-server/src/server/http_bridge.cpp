#include "http_bridge.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "google/rpc/status.pb.h"
#include "http_codec.hpp"

namespace simcore::server {

namespace gp = ::google::protobuf;
using http::EnvelopeStatus;

namespace {

enum class Protocol { GrpcWeb, GrpcWebText, ConnectUnaryJson, ConnectUnaryProto, ConnectStreamJson, ConnectStreamProto,
                      Unsupported };

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The media type without parameters, lower case.
std::string mediaType(const std::string& contentType) {
  std::string t = lower(contentType.substr(0, contentType.find(';')));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
  return t;
}

Protocol protocolOf(const std::string& contentType) {
  std::string t = mediaType(contentType);
  if (t == "application/grpc-web" || t == "application/grpc-web+proto") return Protocol::GrpcWeb;
  if (t == "application/grpc-web-text" || t == "application/grpc-web-text+proto") return Protocol::GrpcWebText;
  if (t == "application/json") return Protocol::ConnectUnaryJson;
  if (t == "application/proto") return Protocol::ConnectUnaryProto;
  if (t == "application/connect+json") return Protocol::ConnectStreamJson;
  if (t == "application/connect+proto") return Protocol::ConnectStreamProto;
  return Protocol::Unsupported;
}

bool isGrpcWeb(Protocol p) { return p == Protocol::GrpcWeb || p == Protocol::GrpcWebText; }
bool isJson(Protocol p) { return p == Protocol::ConnectUnaryJson || p == Protocol::ConnectStreamJson; }
bool isConnectStream(Protocol p) { return p == Protocol::ConnectStreamJson || p == Protocol::ConnectStreamProto; }

// Request headers that are not passed on as call metadata: hop-by-hop,
// HTTP-level, browser and protocol headers (the protocol ones are acted on by
// the bridge itself), and httplib's own pseudo headers.
bool forwardHeader(const std::string& key) {
  static const char* const skip[] = {
      "accept", "accept-encoding", "accept-language", "access-control-request-headers",
      "access-control-request-method", "cache-control", "connection", "content-encoding", "content-length",
      "content-type", "cookie", "dnt", "expect", "host", "keep-alive", "origin", "pragma", "priority",
      "proxy-authorization", "proxy-connection", "referer", "te", "trailer", "transfer-encoding", "upgrade",
      "user-agent", "x-grpc-web", "x-user-agent", "remote_addr", "remote_port", "local_addr", "local_port"};
  for (const char* s : skip)
    if (key == s) return false;
  if (key.rfind("grpc-", 0) == 0 || key.rfind("connect-", 0) == 0 || key.rfind("sec-", 0) == 0) return false;
  if (key.empty() || key.size() > 256) return false;
  for (char c : key)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '_' || c == '.'))
      return false;
  return true;
}

std::string byteBufferToString(const ::grpc::ByteBuffer& bb) {
  std::vector<::grpc::Slice> slices;
  std::string out;
  if (!bb.Dump(&slices).ok()) return out;
  out.reserve(bb.Length());
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// One call on the in-process channel, driven synchronously through its own
// completion queue (one operation outstanding at a time). While an operation
// waits, `alive` and the bridge's stop flag are checked every 100 ms.
class InProcessCall {
 public:
  InProcessCall(::grpc::GenericStub& stub, std::string method, std::function<bool()> alive,
                const std::atomic<bool>& stopping)
      : stub_(stub), method_(std::move(method)), alive_(std::move(alive)), stopping_(stopping) {}
  InProcessCall(const InProcessCall&) = delete;
  InProcessCall& operator=(const InProcessCall&) = delete;

  ~InProcessCall() {
    if (rw_ && !finished_) {
      ctx_.TryCancel();
      finish();
    }
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  ::grpc::ClientContext& context() { return ctx_; }

  // Starts the call and sends the single request message (then half-closes).
  // False when the call already failed (finish() gives the status).
  bool start(const std::string& request) {
    rw_ = stub_.PrepareCall(&ctx_, method_, &cq_);
    if (!rw_) return false;
    rw_->StartCall(this);
    if (!wait()) return false;
    ::grpc::Slice slice(request.data(), request.size());
    ::grpc::ByteBuffer bb(&slice, 1);
    rw_->WriteLast(bb, ::grpc::WriteOptions(), this);
    return wait();
  }

  // The next response message; false at the end of the stream (or on error).
  bool read(std::string& out) {
    if (!rw_) return false;
    ::grpc::ByteBuffer bb;
    rw_->Read(&bb, this);
    if (!wait()) return false;
    out = byteBufferToString(bb);
    return true;
  }

  ::grpc::Status finish() {
    if (finished_) return status_;
    finished_ = true;
    if (!rw_) {
      status_ = ::grpc::Status(::grpc::StatusCode::INTERNAL, "cannot start the in-process call");
      return status_;
    }
    rw_->Finish(&status_, this);
    wait();
    return status_;
  }

 private:
  bool wait() {
    if (!cancelled_ && stopping_.load()) {  // a stream that never waits still sees the stop
      cancelled_ = true;
      ctx_.TryCancel();
    }
    while (true) {
      void* tag = nullptr;
      bool ok = false;
      auto r = cq_.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + std::chrono::milliseconds(100));
      if (r == ::grpc::CompletionQueue::GOT_EVENT) return ok;
      if (r == ::grpc::CompletionQueue::SHUTDOWN) return false;
      if (!cancelled_ && (stopping_.load() || (alive_ && !alive_()))) {
        cancelled_ = true;
        ctx_.TryCancel();
      }
    }
  }

  ::grpc::GenericStub& stub_;
  std::string method_;
  std::function<bool()> alive_;
  const std::atomic<bool>& stopping_;
  ::grpc::ClientContext ctx_;
  ::grpc::CompletionQueue cq_;
  std::unique_ptr<::grpc::GenericClientAsyncReaderWriter> rw_;
  ::grpc::Status status_;
  bool finished_ = false;
  bool cancelled_ = false;
};

const gp::Message* prototypeOf(const gp::Descriptor* d) {
  return gp::MessageFactory::generated_factory()->GetPrototype(d);
}

bool jsonToBinary(const gp::Descriptor* d, const std::string& json, std::string& out, std::string& err) {
  std::unique_ptr<gp::Message> m(prototypeOf(d)->New());
  gp::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  auto st = gp::util::JsonStringToMessage(json.empty() ? std::string("{}") : json, m.get(), opts);
  if (!st.ok()) {
    err = "the request is not valid JSON for " + d->full_name() + ": " + st.ToString();
    return false;
  }
  out = m->SerializeAsString();
  return true;
}

bool binaryToJson(const gp::Descriptor* d, const std::string& bin, std::string& out) {
  std::unique_ptr<gp::Message> m(prototypeOf(d)->New());
  if (!m->ParseFromString(bin)) return false;
  out.clear();
  return gp::util::MessageToJsonString(*m, &out).ok();
}

// The Connect error object of a status: code, message and the details of the
// rich status (each Any as type, base64 value and, when the type is known
// here, its JSON as "debug").
std::string connectErrorJson(int code, const std::string& message, const std::string& detailsBin) {
  std::string j = "{\"code\":" + http::jsonQuote(http::connectCodeName(code));
  if (!message.empty()) j += ",\"message\":" + http::jsonQuote(message);
  google::rpc::Status rich;
  if (!detailsBin.empty() && rich.ParseFromString(detailsBin) && rich.details_size() > 0) {
    j += ",\"details\":[";
    for (int i = 0; i < rich.details_size(); ++i) {
      const auto& any = rich.details(i);
      std::string type = any.type_url().substr(any.type_url().rfind('/') + 1);
      if (i) j += ",";
      j += "{\"type\":" + http::jsonQuote(type) + ",\"value\":" + http::jsonQuote(http::base64Encode(any.value(), false));
      if (const auto* d = gp::DescriptorPool::generated_pool()->FindMessageTypeByName(type)) {
        std::string dbg;
        if (binaryToJson(d, any.value(), dbg)) j += ",\"debug\":" + dbg;
      }
      j += "}";
    }
    j += "]";
  }
  j += "}";
  return j;
}

// How the request's message is wrapped and the response's messages / status
// are written for one protocol.
struct Codec {
  Protocol proto;
  const gp::Descriptor* input;
  const gp::Descriptor* output;
  std::string responseType;

  // One response message as it goes on the wire (empty string on a
  // conversion failure, which cannot happen for messages the service made).
  std::string message(const std::string& bin) const {
    switch (proto) {
      case Protocol::GrpcWeb: return http::envelope(0, bin);
      case Protocol::GrpcWebText: return http::base64Encode(http::envelope(0, bin));
      case Protocol::ConnectStreamProto: return http::envelope(0, bin);
      case Protocol::ConnectStreamJson: {
        std::string j;
        binaryToJson(output, bin, j);
        return http::envelope(0, j);
      }
      default: return {};
    }
  }

  // The end of a streaming response (gRPC-Web also for unary).
  std::string end(const ::grpc::Status& s) const {
    int code = static_cast<int>(s.error_code());
    switch (proto) {
      case Protocol::GrpcWeb:
        return http::envelope(http::kFlagGrpcWebTrailer,
                              http::grpcWebTrailers(code, s.error_message(), s.error_details()));
      case Protocol::GrpcWebText:
        return http::base64Encode(http::envelope(
            http::kFlagGrpcWebTrailer, http::grpcWebTrailers(code, s.error_message(), s.error_details())));
      default:
        return http::envelope(http::kFlagConnectEndStream,
                              s.ok() ? std::string("{}")
                                     : "{\"error\":" + connectErrorJson(code, s.error_message(), s.error_details()) +
                                           "}");
    }
  }
};

void setConnectError(httplib::Response& res, const ::grpc::Status& s) {
  int code = static_cast<int>(s.error_code());
  res.status = http::connectHttpStatus(code);
  res.set_content(connectErrorJson(code, s.error_message(), s.error_details()), "application/json");
}

}  // namespace

struct RpcBridge::Impl {
  std::shared_ptr<::grpc::Channel> channel;
  ::grpc::GenericStub stub;
  explicit Impl(std::shared_ptr<::grpc::Channel> ch) : channel(ch), stub(ch) {}
};

RpcBridge::RpcBridge(std::shared_ptr<::grpc::Channel> inProcess, Metrics& metrics, std::size_t maxMessageBytes)
    : impl_(std::make_unique<Impl>(std::move(inProcess))), metrics_(metrics), maxMessage_(maxMessageBytes) {}

RpcBridge::~RpcBridge() = default;

bool RpcBridge::isRpcPath(const std::string& path) {
  // "/pkg.Service/Method": two non-empty segments, the first with a dot.
  if (path.size() < 4 || path[0] != '/') return false;
  auto slash = path.find('/', 1);
  if (slash == std::string::npos || slash == 1 || slash + 1 >= path.size()) return false;
  if (path.find('/', slash + 1) != std::string::npos) return false;
  return path.substr(1, slash - 1).find('.') != std::string::npos;
}

HttpRoute RpcBridge::routeOf(const std::string& contentType) {
  Protocol p = protocolOf(contentType);
  if (isGrpcWeb(p)) return HttpRoute::GrpcWeb;
  if (p == Protocol::Unsupported) return HttpRoute::Other;
  return HttpRoute::Connect;
}

void RpcBridge::handle(const httplib::Request& req, httplib::Response& res, std::function<bool()> alive) {
  const Protocol proto = protocolOf(req.get_header_value("Content-Type"));
  if (proto == Protocol::Unsupported) {
    res.status = 415;
    res.set_header("Accept-Post",
                   "application/grpc-web+proto, application/grpc-web-text+proto, application/json, "
                   "application/proto, application/connect+json, application/connect+proto");
    res.set_content("unsupported content type '" + req.get_header_value("Content-Type") +
                        "' (gRPC-Web: application/grpc-web[-text][+proto]; Connect: application/json, "
                        "application/proto, application/connect+json, application/connect+proto)\n",
                    "text/plain; charset=utf-8");
    return;
  }

  // An error found before the call, in the protocol's own form.
  auto fail = [&](::grpc::StatusCode code, const std::string& msg, int connectHttp = 0) {
    metrics_.addError(static_cast<int>(code));
    ::grpc::Status s(code, msg);
    if (isGrpcWeb(proto) || isConnectStream(proto)) {
      Codec c{proto, nullptr, nullptr, {}};
      res.status = 200;
      std::string ct = isGrpcWeb(proto) ? mediaType(req.get_header_value("Content-Type"))
                                        : mediaType(req.get_header_value("Content-Type"));
      res.set_content(c.end(s), ct);
    } else {
      setConnectError(res, s);
      if (connectHttp) res.status = connectHttp;
    }
  };

  const std::string& path = req.path;
  auto slash = path.find('/', 1);
  std::string serviceName = path.substr(1, slash - 1), methodName = path.substr(slash + 1);
  const gp::ServiceDescriptor* service = gp::DescriptorPool::generated_pool()->FindServiceByName(serviceName);
  const gp::MethodDescriptor* method = service ? service->FindMethodByName(methodName) : nullptr;
  if (!method || serviceName != "simcore.v1.Simulator")
    return fail(::grpc::StatusCode::UNIMPLEMENTED, "unknown method " + path, 404);
  if (method->client_streaming())
    return fail(::grpc::StatusCode::UNIMPLEMENTED, "client-streaming methods are not served over HTTP/1.1");
  const bool streaming = method->server_streaming();
  if ((streaming && (proto == Protocol::ConnectUnaryJson || proto == Protocol::ConnectUnaryProto)) ||
      (!streaming && isConnectStream(proto))) {
    res.status = 415;
    res.set_content(std::string(streaming ? "a server-streaming method needs application/connect+json or "
                                            "application/connect+proto"
                                          : "a unary method needs application/json or application/proto") +
                        " (or gRPC-Web)\n",
                    "text/plain; charset=utf-8");
    return;
  }

  // Request compression is not supported (httplib already undid a
  // Content-Encoding of the whole body).
  std::string enc = lower(req.get_header_value(isGrpcWeb(proto) ? "grpc-encoding" : "connect-content-encoding"));
  if (!enc.empty() && enc != "identity")
    return fail(::grpc::StatusCode::UNIMPLEMENTED, "request compression '" + enc + "' is not supported");

  // The request message, as protobuf bytes.
  std::string request;
  if (proto == Protocol::ConnectUnaryProto) {
    request = req.body;
  } else if (proto == Protocol::ConnectUnaryJson) {
    std::string err;
    if (!jsonToBinary(method->input_type(), req.body, request, err))
      return fail(::grpc::StatusCode::INVALID_ARGUMENT, err);
  } else {
    std::string bytes;
    if (proto == Protocol::GrpcWebText) {
      auto d = http::base64Decode(req.body);
      if (!d) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "the grpc-web-text body is not valid base64");
      bytes = std::move(*d);
    } else {
      bytes = req.body;
    }
    http::EnvelopeReader reader(maxMessage_);
    reader.feed(bytes);
    http::Envelope env;
    int count = 0;
    EnvelopeStatus st;
    while ((st = reader.next(env)) == EnvelopeStatus::Envelope) {
      if (env.flags & http::kFlagCompressed)
        return fail(::grpc::StatusCode::UNIMPLEMENTED, "compressed request messages are not supported");
      if (env.flags != 0) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "unexpected frame flags in the request");
      if (++count > 1) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "more than one request message");
      request = std::move(env.payload);
    }
    if (st == EnvelopeStatus::TooLarge)
      return fail(::grpc::StatusCode::RESOURCE_EXHAUSTED,
                  "the request message declares " + std::to_string(reader.declaredLength()) +
                      " bytes; the limit is " + std::to_string(maxMessage_));
    if (reader.pending())
      return fail(::grpc::StatusCode::INVALID_ARGUMENT,
                  "truncated request frame (" + std::to_string(reader.pending()) + " bytes left over)");
    if (count == 0) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "no request message in the body");
    if (proto == Protocol::ConnectStreamJson) {
      std::string bin, err;
      if (!jsonToBinary(method->input_type(), request, bin, err))
        return fail(::grpc::StatusCode::INVALID_ARGUMENT, err);
      request = std::move(bin);
    }
  }
  if (!isJson(proto)) {
    // Reject bytes that are not a message of the input type before the call.
    std::unique_ptr<gp::Message> m(prototypeOf(method->input_type())->New());
    if (!m->ParseFromString(request))
      return fail(::grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid " +
                                                            method->input_type()->full_name() + " message");
  }
  if (stopping_.load()) return fail(::grpc::StatusCode::UNAVAILABLE, "the server is shutting down");

  // A stream may wait long without writing: let `alive` find its connection
  // now, while the peer is still there to be matched.
  if (streaming && alive && !alive()) return;
  auto call = std::make_shared<InProcessCall>(impl_->stub, path, std::move(alive), stopping_);
  auto& ctx = call->context();
  for (const auto& [k, v] : req.headers) {
    std::string key = lower(k);
    if (!forwardHeader(key)) continue;
    bool bin = key.size() > 4 && key.compare(key.size() - 4, 4, "-bin") == 0;
    if (bin) {
      if (auto d = http::base64Decode(v)) ctx.AddMetadata(key, *d);
      continue;
    }
    if (std::all_of(v.begin(), v.end(), [](char c) { return c >= 0x20 && c <= 0x7e; })) ctx.AddMetadata(key, v);
  }
  std::optional<std::chrono::nanoseconds> timeout;
  if (isGrpcWeb(proto) && req.has_header("grpc-timeout")) {
    timeout = http::parseGrpcTimeout(req.get_header_value("grpc-timeout"));
    if (!timeout) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "malformed grpc-timeout header");
  } else if (!isGrpcWeb(proto) && req.has_header("connect-timeout-ms")) {
    timeout = http::parseConnectTimeoutMs(req.get_header_value("connect-timeout-ms"));
    if (!timeout) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "malformed connect-timeout-ms header");
  }
  if (timeout)
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::duration_cast<std::chrono::system_clock::duration>(*timeout));

  auto codec = std::make_shared<Codec>(Codec{proto, method->input_type(), method->output_type(), {}});
  std::string ct = mediaType(req.get_header_value("Content-Type"));
  if (proto == Protocol::GrpcWeb) ct = "application/grpc-web+proto";
  if (proto == Protocol::GrpcWebText) ct = "application/grpc-web-text+proto";

  if (!streaming) {
    std::string msg;
    bool got = call->start(request) && call->read(msg);
    ::grpc::Status s = call->finish();
    if (isGrpcWeb(proto)) {
      std::string body;
      if (s.ok() && got) body = codec->message(msg);
      body += codec->end(s);
      res.status = 200;
      res.set_content(body, ct);
    } else if (!s.ok()) {
      setConnectError(res, s);
    } else if (proto == Protocol::ConnectUnaryProto) {
      res.status = 200;
      res.set_content(msg, "application/proto");
    } else {
      std::string j;
      if (!binaryToJson(method->output_type(), msg, j))
        return fail(::grpc::StatusCode::INTERNAL, "cannot convert the response to JSON");
      res.status = 200;
      res.set_content(j, "application/json");
    }
    return;
  }

  // Server streaming: each message is one HTTP chunk, written as it arrives.
  struct StreamState {
    std::shared_ptr<InProcessCall> call;
    std::shared_ptr<Codec> codec;
    std::string request;
    const std::atomic<bool>* stopping = nullptr;
    std::atomic<int>* open = nullptr;
    bool started = false;
    bool ended = false;
    ~StreamState() { open->fetch_sub(1); }
  };
  openStreams_.fetch_add(1);
  auto st = std::make_shared<StreamState>();  // built in place: its destructor counts the stream as closed
  st->call = call;
  st->codec = codec;
  st->request = std::move(request);
  st->stopping = &stopping_;
  st->open = &openStreams_;
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      ct,
      [st](std::size_t, httplib::DataSink& sink) -> bool {
        if (!st->started) {
          st->started = true;
          if (!st->call->start(st->request)) st->ended = true;
          st->request.clear();
        }
        std::string msg;
        if (!st->ended && st->call->read(msg)) {
          std::string out = st->codec->message(msg);
          return sink.write(out.data(), out.size());
        }
        st->ended = true;
        ::grpc::Status status = st->call->finish();
        if (status.error_code() == ::grpc::StatusCode::CANCELLED && st->stopping->load())
          status = ::grpc::Status(::grpc::StatusCode::UNAVAILABLE, "the server is shutting down");
        std::string tail = st->codec->end(status);
        sink.write(tail.data(), tail.size());
        sink.done();
        return true;
      },
      [st](bool) { st->call.reset(); });  // cancels an unfinished call
}

}  // namespace simcore::server
