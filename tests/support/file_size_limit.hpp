#pragma once
// Runs a write in a forked child whose files may not grow past a limit
// (RLIMIT_FSIZE, with SIGXFSZ ignored so write() fails with EFBIG instead of
// killing the child): how a full disk or a quota looks to the code, without
// needing either.

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <optional>
#include <string>

namespace abh::test_support {

// What `write` returned in the child (its error line, "" for success), or
// nullopt if the child did not finish normally.
inline std::optional<std::string> with_file_size_limit(rlim_t limit_bytes,
                                                       const std::function<std::string()>& write) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return std::nullopt;
  const pid_t child = fork();
  if (child < 0) return std::nullopt;
  if (child == 0) {
    close(pipe_fds[0]);
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{limit_bytes, limit_bytes};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(3);
    const std::string result = write();
    for (std::size_t done = 0; done < result.size();) {
      const ssize_t n = ::write(pipe_fds[1], result.data() + done, result.size() - done);
      if (n <= 0) _exit(4);
      done += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string result;
  char buffer[512];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    result.append(buffer, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return std::nullopt;
  return result;
}

} // namespace abh::test_support
