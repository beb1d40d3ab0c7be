#include "core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace custody {

std::string ErrnoMessage() { return std::strerror(errno); }

Result<std::string> ReadFile(const std::filesystem::path& path, size_t max_bytes) {
  // O_NONBLOCK keeps open() of a FIFO from blocking; fstat then refuses it.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Error::Input("cannot open " + path.string() + ": " + ErrnoMessage());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string why = ErrnoMessage();
    ::close(fd);
    return Error::Input("cannot stat " + path.string() + ": " + why);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error::Input(path.string() + " is not a regular file");
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Error::Input(path.string() + " is too large (" + std::to_string(st.st_size) +
                        " bytes, limit " + std::to_string(max_bytes) + ")");
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (true) {
    if (done == data.size()) data.resize(data.size() + 4096);  // file may have grown
    ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = ErrnoMessage();
      ::close(fd);
      return Error::Input("cannot read " + path.string() + ": " + why);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
    if (done > max_bytes) {
      ::close(fd);
      return Error::Input(path.string() + " is too large (limit " + std::to_string(max_bytes) + ")");
    }
  }
  ::close(fd);
  data.resize(done);
  return data;
}

Status WriteFileAtomic(const std::filesystem::path& path, const std::string& data, mode_t mode,
                       bool overwrite) {
  if (!overwrite) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
      return Error::Input(path.string() + " already exists; pass --force to overwrite it");
    }
  }
  std::string tmp = path.string() + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Error::Input("cannot create a file beside " + path.string() + ": " + ErrnoMessage());
  auto fail = [&](const std::string& what) -> Status {
    std::string why = ErrnoMessage();
    ::close(fd);
    ::unlink(tmp.c_str());
    return Error::Input(what + " " + path.string() + ": " + why);
  };
  if (::fchmod(fd, mode) != 0) return fail("cannot set the mode of");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot flush");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Error::Input("cannot close " + path.string() + ": " + ErrnoMessage());
  }
  if (!overwrite) {
    // link() fails if the target appeared meanwhile, so nothing is replaced.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      std::string why = errno == EEXIST ? "already exists; pass --force to overwrite it" : ErrnoMessage();
      ::unlink(tmp.c_str());
      return Error::Input(path.string() + ": " + why);
    }
    ::unlink(tmp.c_str());
    return OkStatus();
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = ErrnoMessage();
    ::unlink(tmp.c_str());
    return Error::Input("cannot write " + path.string() + ": " + why);
  }
  return OkStatus();
}

}  // namespace custody
