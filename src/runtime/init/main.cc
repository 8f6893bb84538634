// gantry-init: the init process of a container with linuxParameters.initProcessEnabled, as
// Docker's --init (tini) is. Statically linked and bind-mounted at /sbin/gantry-init, it runs
// `gantry-init -- cmd args...` as PID 1: starts the command, forwards SIGTERM, SIGINT, SIGHUP,
// SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH to it, reaps every zombie, and exits with the command's
// exit code (128+signal when it was killed).

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

int main(int argc, char** argv) {
  int first = 1;
  if (first < argc && strcmp(argv[first], "--") == 0) {
    ++first;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: gantry-init -- command [args...]\n");
    return 2;
  }
  const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  for (int s : forwarded) {
    sigaddset(&set, s);
  }
  sigprocmask(SIG_BLOCK, &set, nullptr);
  pid_t child = fork();
  if (child < 0) {
    perror("gantry-init: fork");
    return 1;
  }
  if (child == 0) {
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    setpgid(0, 0);
    execvp(argv[first], argv + first);
    fprintf(stderr, "gantry-init: exec %s: %s\n", argv[first], strerror(errno));
    _exit(127);
  }
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) {
      continue;
    }
    if (sig != SIGCHLD) {
      kill(child, sig);
      continue;
    }
    int status = 0;
    pid_t pid = 0;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == child) {
        return WIFEXITED(status)     ? WEXITSTATUS(status)
               : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                     : 1;
      }
    }
  }
}
