#include "cli/log_server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <iostream>
#include <thread>

#include "core/encoding.h"
#include "tlog/proof_json.h"
#include "tlog/rekor.h"

namespace custody::cli {
namespace {

// Requests on one keep-alive connection before the server closes it (cpp-httplib's
// default, 5, would make busy clients reconnect every fifth append).
constexpr size_t kKeepAliveRequests = 10000;

void Fail(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(message + "\n", "text/plain; charset=utf-8");
}

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void BlockStopSignals() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Status ServeLog(tlog::Log& log, const std::string& listen, const Options& options, size_t workers) {
  if (workers == 0 || workers > 4096) return Error::Input("--workers must be between 1 and 4096");
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Error::Input("--listen '" + listen + "' must be HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) return Error::Input("--listen '" + listen + "': bad port");

  auto log_id = tlog::LogId(log.verifier());
  if (!log_id.ok()) return log_id.error();
  const std::string log_id_b64 = Base64Encode(*log_id);

  httplib::Server server;
  server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server.set_keep_alive_max_count(kKeepAliveRequests);
  // Answers go out at once: with Nagle's algorithm a response written in two
  // parts waits for the client's delayed ACK (40 ms on Linux).
  server.set_tcp_nodelay(true);
  // cpp-httplib listens with a backlog of 5: many clients connecting at once
  // would overflow it. The listening socket is kept to raise it after binding.
  int listener = -1;
  server.set_socket_options([&listener](socket_t sock) {
    httplib::default_socket_options(sock);
    listener = sock;
  });
  server.set_payload_max_length(tlog::kMaxEntrySize + 1);

  server.Get("/checkpoint", [&](const httplib::Request&, httplib::Response& res) {
    auto note = log.Checkpoint();
    if (!note.ok()) return Fail(res, 500, note.error().message());
    res.set_header("Cache-Control", "no-cache");
    res.set_content(*note, "text/plain; charset=utf-8");
  });
  server.Get(R"(/tile/.+)", [&](const httplib::Request& req, httplib::Response& res) {
    auto tile = tlog::ParseTilePath(std::string_view(req.path).substr(1));
    if (!tile.ok()) return Fail(res, 404, tile.error().message());
    auto size = log.Size();
    if (!size.ok()) return Fail(res, 500, size.error().message());
    int level = tile->entries() ? 0 : tile->level;
    if (tlog::TileWidth(level, tile->index, *size) < tile->width) {
      return Fail(res, 404, req.path + " does not exist yet (tree size " + std::to_string(*size) + ")");
    }
    auto data = log.ReadTile(*tile);
    if (!data.ok()) return Fail(res, 500, data.error().message());
    res.set_header("Cache-Control", tile->width == tlog::kTileWidth ? "public, max-age=31536000, immutable"
                                                                    : "public, max-age=60");
    res.set_content(*data, "application/octet-stream");
  });
  server.Post("/add", [&](const httplib::Request& req, httplib::Response& res) {
    auto appended = log.Append(req.body);
    if (!appended.ok()) {
      return Fail(res, appended.error().kind() == ErrorKind::kInput ? 400 : 500, appended.error().message());
    }
    auto proof = log.ProveInclusion(appended->index, appended->size);
    if (!proof.ok()) return Fail(res, 500, proof.error().message());
    tlog::ProofJson p;
    p.log_index = appended->index;
    p.tree_size = appended->size;
    p.root = appended->root;
    p.hashes = std::move(*proof);
    p.checkpoint = appended->checkpoint;
    Json body = {{"logIndex", std::to_string(appended->index)},
                 {"leafHash", Base64Encode(tlog::AsBytes(appended->leaf))},
                 {"treeSize", std::to_string(appended->size)},
                 {"checkpoint", {{"envelope", appended->checkpoint}}},
                 {"inclusionProof", tlog::ToJson(p)},
                 {"logId", {{"keyId", log_id_b64}}}};
    res.set_content(body.dump(), "application/json");
  });

  if (!server.bind_to_port(host, port)) {
    return Error::Input("cannot listen on " + listen + " (in use, or not an address of this machine)");
  }
  if (listener >= 0) ::listen(listener, SOMAXCONN);
  // Stop on SIGINT/SIGTERM: the signals are taken by a thread of our own.
  BlockStopSignals();
  sigset_t set = StopSignals();
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
  if (options.json()) {
    PrintJson({{"listening", listen}, {"origin", log.origin()}, {"verifier_key", log.verifier().ToString()}});
    std::cout.flush();
  } else if (!options.quiet) {
    std::cerr << "serving log " << log.origin() << " (" << log.engine() << " store " << log.location()
              << ") on http://" << listen << "\n";
  }
  bool ok = server.listen_after_bind();
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!ok) return Error::Input("the server on " + listen + " stopped with an error");
  return OkStatus();
}

}  // namespace custody::cli
