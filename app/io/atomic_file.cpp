#include "app/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace abh {

namespace fs = std::filesystem;

std::string cannot_write(const std::string& path, int error) {
  return "cannot write " + path + ": " + std::strerror(error);
}

namespace {

// An error as the one line the caller returns.
struct Failure {
  std::string message;
};

std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string name_of(const std::string& path) { return fs::path(path).filename().string(); }

// The folder, locked against other writers until destroyed.
class FolderLock {
public:
  explicit FolderLock(const std::string& folder)
      : fd_(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) {
      error_ = errno;
      return;
    }
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) break; // a folder that cannot be locked is written unlocked
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_); // also releases the lock
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  int error() const { return error_; }
  void sync() const {
    if (fd_ >= 0) ::fsync(fd_);
  }

private:
  int fd_ = -1;
  int error_ = 0;
};

mode_t new_file_mode() {
  static mode_t mode = [] {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
  }();
  return mode;
}

// A temporary file's name for `path`: ".NAME.XXXXXX" + suffix, in its folder.
std::string temp_pattern(const std::string& path, const char* suffix) {
  return (fs::path(folder_of(path)) / ("." + name_of(path) + ".XXXXXX" + suffix)).string();
}

// Removes what a writer killed mid-way left for `path` (we hold the folder's lock).
void remove_leftovers(const std::string& path) {
  const std::string prefix = "." + name_of(path) + ".";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder_of(path), ec)) {
    const std::string name = entry.path().filename().string();
    const bool ours = name.size() == prefix.size() + 6 + 5 && name.rfind(prefix, 0) == 0 &&
                      (name.ends_with(".part") || name.ends_with(".orig"));
    if (ours) fs::remove(entry.path(), ec);
  }
}

// Writes `bytes` to a new temporary file beside `path`, flushed to disk.
std::string write_temp(const std::string& path, std::string_view bytes) {
  std::string temp = temp_pattern(path, ".part");
  const int fd = ::mkostemps(temp.data(), 5, O_CLOEXEC);
  if (fd < 0) throw Failure{cannot_write(path, errno)};
  const auto fail = [&](int error) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw Failure{cannot_write(path, error)};
  };
  struct stat old {};
  const mode_t mode = ::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode) ? (old.st_mode & 07777)
                                                                              : new_file_mode();
  if (::fchmod(fd, mode) != 0) fail(errno);
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw Failure{cannot_write(path, error)};
  }
  return temp;
}

// A hard link to the file at `path` under a new unique name, or "" if there
// is no file there (or the file system has no hard links).
std::string keep_old(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return "";
  std::string backup = temp_pattern(path, ".orig");
  const int fd = ::mkostemps(backup.data(), 5, O_CLOEXEC);
  if (fd < 0) return "";
  ::close(fd);
  ::unlink(backup.c_str());
  return ::link(path.c_str(), backup.c_str()) == 0 ? backup : "";
}

} // namespace

std::string write_files_together(const std::vector<std::pair<std::string, std::string_view>>& files) {
  // Lock each folder once, in a fixed order (no two writers wait on each other).
  std::vector<std::string> folders;
  for (const auto& [path, bytes] : files) folders.push_back(folder_of(path));
  std::sort(folders.begin(), folders.end());
  folders.erase(std::unique(folders.begin(), folders.end()), folders.end());
  std::vector<std::unique_ptr<FolderLock>> locks;
  for (const std::string& folder : folders) {
    locks.push_back(std::make_unique<FolderLock>(folder));
    if (const int error = locks.back()->error()) {
      for (const auto& [path, bytes] : files)
        if (folder_of(path) == folder) return cannot_write(path, error);
    }
  }
  for (const auto& [path, bytes] : files) remove_leftovers(path);

  std::vector<std::string> temps, backups;
  std::vector<bool> existed;
  const auto discard = [](const std::vector<std::string>& names) {
    for (const std::string& name : names)
      if (!name.empty()) ::unlink(name.c_str());
  };
  try {
    for (const auto& [path, bytes] : files) temps.push_back(write_temp(path, bytes));
  } catch (const Failure& f) {
    discard(temps);
    return f.message;
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i].first;
    struct stat old {};
    existed.push_back(::lstat(path.c_str(), &old) == 0);
    backups.push_back(keep_old(path));
    if (::rename(temps[i].c_str(), path.c_str()) == 0) continue;
    const std::string error = cannot_write(path, errno);
    // Put back what was already replaced, newest first.
    for (std::size_t j = i; j-- > 0;) {
      const std::string& replaced = files[j].first;
      if (!backups[j].empty()) ::rename(backups[j].c_str(), replaced.c_str());
      else if (!existed[j]) ::unlink(replaced.c_str());
      backups[j].clear();
    }
    discard(std::vector<std::string>(temps.begin() + static_cast<std::ptrdiff_t>(i), temps.end()));
    discard(backups);
    return error;
  }
  discard(backups);
  for (const auto& lock : locks) lock->sync();
  return "";
}

std::string write_file_atomically(const std::string& path, std::string_view bytes) {
  return write_files_together({{path, bytes}});
}

} // namespace abh
