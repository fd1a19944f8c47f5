#include "transport/http_bridge.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

#include "google/rpc/status.pb.h"
#include "rpc/quote.hpp"
#include "transport/http_codec.hpp"
#include "transport/in_process_call.hpp"

namespace simcore::server {

namespace gp = ::google::protobuf;
using http::EnvelopeStatus;

namespace {

// What clients use: the browser's RemoteEngine speaks binary gRPC-Web
// (connect-web's grpc-web transport), curl and scripts Connect unary JSON.
enum class Protocol { GrpcWeb, ConnectUnaryJson, Unsupported };

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
  if (t == "application/json") return Protocol::ConnectUnaryJson;
  return Protocol::Unsupported;
}

constexpr const char* kAccepted = "application/grpc-web+proto, application/json";

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

const gp::Message* prototypeOf(const gp::Descriptor* d) {
  return gp::MessageFactory::generated_factory()->GetPrototype(d);
}

bool jsonToBinary(const gp::Descriptor* d, const std::string& json, std::string& out, std::string& err) {
  std::unique_ptr<gp::Message> m(prototypeOf(d)->New());
  gp::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  auto st = gp::util::JsonStringToMessage(json.empty() ? std::string("{}") : json, m.get(), opts);
  if (!st.ok()) {
    err = "the request is not valid JSON for " + d->full_name() + ": " + clipInput(st.ToString());
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
  nlohmann::ordered_json j = {{"code", http::connectCodeName(code)}};
  if (!message.empty()) j["message"] = message;
  google::rpc::Status rich;
  if (!detailsBin.empty() && rich.ParseFromString(detailsBin) && rich.details_size() > 0) {
    nlohmann::ordered_json details = nlohmann::ordered_json::array();
    for (const auto& any : rich.details()) {
      std::string type = any.type_url().substr(any.type_url().rfind('/') + 1);
      nlohmann::ordered_json d = {{"type", type}, {"value", http::base64Encode(any.value(), false)}};
      if (const auto* desc = gp::DescriptorPool::generated_pool()->FindMessageTypeByName(type)) {
        std::string dbg;
        if (binaryToJson(desc, any.value(), dbg)) d["debug"] = nlohmann::ordered_json::parse(dbg, nullptr, false);
      }
      details.push_back(std::move(d));
    }
    j["details"] = std::move(details);
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// gRPC-Web: each message in an envelope, the status in a trailer envelope.
std::string grpcWebMessage(const std::string& bin) { return http::envelope(0, bin); }
std::string grpcWebEnd(const ::grpc::Status& s) {
  return http::envelope(http::kFlagGrpcWebTrailer,
                        http::grpcWebTrailers(static_cast<int>(s.error_code()), s.error_message(), s.error_details()));
}

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
  switch (protocolOf(contentType)) {
    case Protocol::GrpcWeb: return HttpRoute::GrpcWeb;
    case Protocol::ConnectUnaryJson: return HttpRoute::Connect;
    default: return HttpRoute::Other;
  }
}

void RpcBridge::handle(const httplib::Request& req, httplib::Response& res, std::function<bool()> alive) {
  const Protocol proto = protocolOf(req.get_header_value("Content-Type"));
  if (proto == Protocol::Unsupported) {
    res.status = 415;
    res.set_header("Accept-Post", kAccepted);
    res.set_content("unsupported content type " + quoteInput(req.get_header_value("Content-Type")) +
                        " (gRPC-Web: application/grpc-web+proto; Connect unary: application/json)\n",
                    "text/plain; charset=utf-8");
    return;
  }
  const bool grpcWeb = proto == Protocol::GrpcWeb;

  // An error found before the call, in the protocol's own form.
  auto fail = [&](::grpc::StatusCode code, const std::string& msg, int connectHttp = 0) {
    metrics_.addError(static_cast<int>(code));
    ::grpc::Status s(code, msg);
    if (grpcWeb) {
      res.status = 200;
      res.set_content(grpcWebEnd(s), mediaType(req.get_header_value("Content-Type")));
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
    return fail(::grpc::StatusCode::UNIMPLEMENTED, "unknown method " + quoteInput(path, 128), 404);
  if (method->client_streaming())
    return fail(::grpc::StatusCode::UNIMPLEMENTED, "client-streaming methods are not served over HTTP/1.1");
  const bool streaming = method->server_streaming();
  if (streaming && !grpcWeb) {
    res.status = 415;
    res.set_header("Accept-Post", "application/grpc-web+proto");
    res.set_content("a server-streaming method needs gRPC-Web (application/grpc-web+proto)\n",
                    "text/plain; charset=utf-8");
    return;
  }

  // Request compression is not supported (httplib already undid a
  // Content-Encoding of the whole body).
  std::string enc = lower(req.get_header_value(grpcWeb ? "grpc-encoding" : "connect-content-encoding"));
  if (!enc.empty() && enc != "identity")
    return fail(::grpc::StatusCode::UNIMPLEMENTED, "request compression " + quoteInput(enc) + " is not supported");

  // The request message, as protobuf bytes.
  std::string request;
  if (!grpcWeb) {
    std::string err;
    if (!jsonToBinary(method->input_type(), req.body, request, err))
      return fail(::grpc::StatusCode::INVALID_ARGUMENT, err);
  } else {
    http::EnvelopeReader reader(maxMessage_);
    reader.feed(req.body);
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
  if (grpcWeb && req.has_header("grpc-timeout")) {
    timeout = http::parseGrpcTimeout(req.get_header_value("grpc-timeout"));
    if (!timeout) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "malformed grpc-timeout header");
  } else if (!grpcWeb && req.has_header("connect-timeout-ms")) {
    timeout = http::parseConnectTimeoutMs(req.get_header_value("connect-timeout-ms"));
    if (!timeout) return fail(::grpc::StatusCode::INVALID_ARGUMENT, "malformed connect-timeout-ms header");
  }
  if (timeout)
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::duration_cast<std::chrono::system_clock::duration>(*timeout));

  const char* grpcWebType = "application/grpc-web+proto";
  if (!streaming) {
    std::string msg;
    bool got = call->start(request) && call->read(msg);
    ::grpc::Status s = call->finish();
    if (grpcWeb) {
      std::string body;
      if (s.ok() && got) body = grpcWebMessage(msg);
      body += grpcWebEnd(s);
      res.status = 200;
      res.set_content(body, grpcWebType);
    } else if (!s.ok()) {
      setConnectError(res, s);
    } else {
      std::string j;
      if (!binaryToJson(method->output_type(), msg, j))
        return fail(::grpc::StatusCode::INTERNAL, "cannot convert the response to JSON");
      res.status = 200;
      res.set_content(j, "application/json");
    }
    return;
  }

  // Server streaming (gRPC-Web): each message is one HTTP chunk, written as it arrives.
  struct StreamState {
    std::shared_ptr<InProcessCall> call;
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
  st->request = std::move(request);
  st->stopping = &stopping_;
  st->open = &openStreams_;
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      grpcWebType,
      [st](std::size_t, httplib::DataSink& sink) -> bool {
        if (!st->started) {
          st->started = true;
          if (!st->call->start(st->request)) st->ended = true;
          st->request.clear();
        }
        std::string msg;
        if (!st->ended && st->call->read(msg)) {
          std::string out = grpcWebMessage(msg);
          return sink.write(out.data(), out.size());
        }
        st->ended = true;
        ::grpc::Status status = st->call->finish();
        if (status.error_code() == ::grpc::StatusCode::CANCELLED && st->stopping->load())
          status = ::grpc::Status(::grpc::StatusCode::UNAVAILABLE, "the server is shutting down");
        std::string tail = grpcWebEnd(status);
        sink.write(tail.data(), tail.size());
        sink.done();
        return true;
      },
      [st](bool) { st->call.reset(); });  // cancels an unfinished call
}

}  // namespace simcore::server
