// `custody log serve`: the log over HTTP, as C2SP tlog-tiles describes.
#pragma once

#include <cstddef>
#include <string>

#include "cli/output.h"
#include "tlog/log.h"

namespace custody::cli {

// Serves until SIGINT or SIGTERM:
//   GET  /checkpoint            the latest signed checkpoint (text/plain)
//   GET  /tile/L/N[.p/W]        hash tiles (application/octet-stream)
//   GET  /tile/entries/N[.p/W]  entry bundles
//   POST /add                   body = the entry; JSON with logIndex, leafHash,
//                               treeSize, checkpoint, inclusionProof and logId
//                               (the log ID of tlog/rekor.h, as Sigstore bundles name a log)
// Full tiles never change and are served as immutable.
// Call before any thread starts (the log's sequencer): blocks SIGINT and SIGTERM
// so that only ServeLog's waiting thread receives them.
void BlockStopSignals();
// Requests handled at once: POST /add waits for its batch to be durable, and
// one keep-alive connection holds a worker, so this bounds how many appends one
// integration can gather from HTTP clients (and how many clients are served at
// once; the others wait for a free worker).
constexpr size_t kDefaultLogWorkers = 128;
Status ServeLog(tlog::Log& log, const std::string& listen, const Options& options,
                size_t workers = kDefaultLogWorkers);

}  // namespace custody::cli
