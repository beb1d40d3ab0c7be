#include "manifest/walk.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/encoding.h"
#include "core/file.h"
#include "manifest/path_order.h"

namespace custody {
namespace {

const char* KindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

bool Ignored(const std::string& name, const WalkOptions& options) {
  for (const auto& p : options.ignore_paths) {
    if (PathIsUnder(name, p)) return true;
  }
  return false;
}

// Resolves a symlink (when allowed) and checks what it points at.
Result<struct stat> FollowLink(const std::filesystem::path& path, const WalkOptions& options) {
  if (!options.allow_symlinks) {
    return Error::Input(path.string() +
                        " is a symbolic link; pass --allow-symlinks to hash its target's bytes under the link's name");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ELOOP) return Error::Input(path.string() + " is a symbolic link loop");
    return Error::Input("cannot follow symbolic link " + path.string() + ": " + ErrnoMessage());
  }
  if (S_ISDIR(st.st_mode)) {
    return Error::Input(path.string() + " is a symbolic link to a directory; only links to files are supported");
  }
  if (!S_ISREG(st.st_mode)) {
    return Error::Input(path.string() + " is a symbolic link to " + KindOf(st.st_mode) +
                        "; a model may only contain regular files");
  }
  return st;
}

Status Walk(const std::filesystem::path& dir, const std::string& rel, const WalkOptions& options,
            std::vector<ModelFile>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return Error::Input("cannot read directory " + dir.string() + ": " + ErrnoMessage());
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  int read_errno = errno;
  ::closedir(d);
  if (read_errno != 0) return Error::Input("cannot read directory " + dir.string() + ": " + std::strerror(read_errno));

  for (const auto& entry : names) {
    std::string name = rel.empty() ? entry : rel + "/" + entry;
    if (Ignored(name, options)) continue;
    std::filesystem::path path = dir / entry;
    if (!IsValidUtf8(entry)) {
      return Error::Input(path.string() + ": file name is not valid UTF-8 and cannot be recorded in a manifest; rename it or pass --ignore");
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return Error::Input("cannot access " + path.string() + ": " + ErrnoMessage());
    if (S_ISDIR(st.st_mode)) {
      CUSTODY_RETURN_IF_ERROR(Walk(path, name, options, out));
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      CUSTODY_ASSIGN_OR_RETURN(st, FollowLink(path, options));
    } else if (!S_ISREG(st.st_mode)) {
      return Error::Input(path.string() + " is " + KindOf(st.st_mode) + "; a model may only contain regular files");
    }
    out.push_back({name, path, static_cast<uint64_t>(st.st_size)});
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<ModelFile>> ListModelFiles(const std::filesystem::path& model, const WalkOptions& options) {
  struct stat st {};
  if (::lstat(model.c_str(), &st) != 0) return Error::Input("cannot access " + model.string() + ": " + ErrnoMessage());
  std::vector<ModelFile> files;
  if (S_ISLNK(st.st_mode)) {
    CUSTODY_ASSIGN_OR_RETURN(st, FollowLink(model, options));
  }
  if (S_ISDIR(st.st_mode)) {
    CUSTODY_RETURN_IF_ERROR(Walk(model, "", options, files));
    return files;
  }
  if (!S_ISREG(st.st_mode)) {
    return Error::Input(model.string() + " is " + KindOf(st.st_mode) + "; a model is a directory or a regular file");
  }
  files.push_back({".", model, static_cast<uint64_t>(st.st_size)});
  return files;
}

std::string NormalizeIgnorePath(const std::filesystem::path& model, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute()) {
    std::error_code ec;
    auto root = std::filesystem::weakly_canonical(model, ec);
    auto abs = std::filesystem::weakly_canonical(p, ec);
    auto rel = abs.lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..") p = rel;
  }
  std::string s = p.lexically_normal().generic_string();
  while (s.size() > 2 && s.compare(0, 2, "./") == 0) s.erase(0, 2);
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace custody
