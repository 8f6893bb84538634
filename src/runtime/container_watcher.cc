// ContainerManager's watcher thread: re-reads a container's status.json when the shim rewrites it
// (inotify) and at every resync, sends the SIGTERMs and SIGKILLs that came due, runs health checks
// with `runc exec`, and reports changes to the on_change callbacks.

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "runtime/container_entry.h"
#include "runtime/container_manager.h"
#include "runtime/process.h"

namespace runtime {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kResync{1000};   // re-read every status even without inotify
constexpr milliseconds kCheckPoll{50};  // while a health check runs

core::TimePoint from_ms(std::int64_t ms) { return core::from_epoch_millis(ms); }

bool process_alive(int pid) {
  if (pid <= 0) {
    return false;
  }
  (void)::waitpid(pid, nullptr, WNOHANG);  // reaps it when it happens to be our child
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

bool ContainerManager::refresh(Entry& e) {
  ContainerStatus before = e.status;
  HealthStatus health_before = e.status.health;
  // Liveness first: a shim that is gone and left no final status will never write one.
  bool shim_alive = process_alive(e.shim_pid);
  std::optional<ShimStatus> s = read_shim_status(container_dir(e.status.id) / "status.json");
  if (!s) {
    return false;
  }
  e.shim_pid = s->shim_pid;
  if (e.shim_pid != 0 && before.phase != ContainerPhase::Exited && !shim_alive &&
      !process_alive(e.shim_pid) &&
      (s->state == ShimStatus::State::Starting || s->state == ShimStatus::State::Running)) {
    s->state = ShimStatus::State::Failed;
    s->error = "the container's shim exited unexpectedly";
    s->exit_code.reset();
  }
  switch (s->state) {
    case ShimStatus::State::Starting:
      e.status.phase = ContainerPhase::Created;
      break;
    case ShimStatus::State::Running:
      e.status.phase = ContainerPhase::Running;
      break;
    case ShimStatus::State::Exited:
    case ShimStatus::State::Failed:
      e.status.phase = ContainerPhase::Exited;
      break;
  }
  e.status.pid = s->pid;
  e.status.exit_code = s->exit_code;
  e.status.oom_killed = s->oom_killed;
  e.status.error = s->error;
  if (s->started_at_ms) {
    e.status.started_at = from_ms(s->started_at_ms);
  }
  if (s->finished_at_ms) {
    e.status.finished_at = from_ms(s->finished_at_ms);
  }
  if (e.status.phase == ContainerPhase::Running && e.health_spec && !e.health) {
    e.health.emplace(*e.health_spec, clock_.now());
  }
  if (e.status.phase == ContainerPhase::Exited) {
    e.kill_at.reset();
  }
  return before.phase != e.status.phase || before.exit_code != e.status.exit_code ||
         health_before != e.status.health || before.error != e.status.error;
}

void ContainerManager::notify(const std::vector<ContainerStatus>& changed) {
  if (changed.empty()) {
    return;
  }
  std::vector<std::function<void(const ContainerStatus&)>> callbacks;
  {
    std::lock_guard lock(mu_);
    callbacks = callbacks_;
  }
  for (const ContainerStatus& s : changed) {
    for (const auto& cb : callbacks) {
      cb(s);
    }
  }
}

void ContainerManager::run_due_work(std::vector<ContainerStatus>& changed) {
  core::TimePoint now = clock_.now();
  for (auto& [id, ptr] : entries_) {
    Entry& e = *ptr;
    if (e.term_pending && e.status.phase == ContainerPhase::Running && e.status.pid > 0) {
      ::kill(e.status.pid, SIGTERM);
      e.term_pending = false;
    }
    if (e.kill_at && now >= *e.kill_at && e.status.phase == ContainerPhase::Running) {
      ::kill(e.status.pid, SIGKILL);
      e.kill_at.reset();
    }
    if (!e.health || e.status.phase != ContainerPhase::Running) {
      if (e.check_pid > 0) {
        ::kill(e.check_pid, SIGKILL);
        ::waitpid(e.check_pid, nullptr, 0);
        e.check_pid = 0;
      }
      continue;
    }
    if (e.check_pid > 0) {
      int wstatus = 0;
      pid_t done = ::waitpid(e.check_pid, &wstatus, WNOHANG);
      bool timed_out = done == 0 && now >= e.check_deadline;
      if (timed_out) {
        ::kill(e.check_pid, SIGKILL);
        ::waitpid(e.check_pid, nullptr, 0);
      }
      if (done != 0 || timed_out) {
        bool passed = done > 0 && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
        e.check_pid = 0;
        if (e.health->record(passed, now)) {
          e.status.health = e.health->status();
          changed.push_back(e.status);
        }
      }
    } else if (now >= e.health->next_check() && !e.health->spec().command.empty()) {
      std::vector<std::string> args = {options_.runc.string(), "--root", runc_root_.string(),
                                       "exec", id};
      args.insert(args.end(), e.health->spec().command.begin(), e.health->spec().command.end());
      e.check_pid = spawn_process(args);
      e.check_deadline = now + e.health->spec().timeout;
      if (e.check_pid < 0) {
        e.check_pid = 0;
        if (e.health->record(false, now)) {
          e.status.health = e.health->status();
          changed.push_back(e.status);
        }
      }
    }
  }
}

void ContainerManager::watch_loop() {
  core::TimePoint last_resync = clock_.now();
  for (;;) {
    milliseconds timeout = kResync;
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        return;
      }
      core::TimePoint now = clock_.now();
      for (const auto& [id, e] : entries_) {
        std::optional<core::TimePoint> due = e->kill_at;
        if (e->check_pid > 0) {
          timeout = std::min(timeout, kCheckPoll);
        } else if (e->health && e->status.phase == ContainerPhase::Running) {
          due = due ? std::min(*due, e->health->next_check()) : e->health->next_check();
        }
        if (due) {
          timeout = std::min(
              timeout,
              std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(*due - now)));
        }
      }
    }
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    ::poll(fds, 2, static_cast<int>(timeout.count()) + 1);
    std::uint64_t counter = 0;
    (void)::read(wake_fd_, &counter, sizeof counter);
    std::vector<int> touched;
    alignas(inotify_event) char buf[8192];
    ssize_t n = 0;
    while ((n = ::read(inotify_fd_, buf, sizeof buf)) > 0) {
      for (char* p = buf; p < buf + n;) {
        auto* ev = reinterpret_cast<inotify_event*>(p);
        if (ev->len > 0 && std::string_view(ev->name) == "status.json") {
          touched.push_back(ev->wd);
        }
        p += sizeof(inotify_event) + ev->len;
      }
    }
    std::vector<ContainerStatus> changed;
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        return;
      }
      core::TimePoint now = clock_.now();
      bool resync = now - last_resync >= kResync;
      if (resync) {
        last_resync = now;
      }
      for (auto& [id, e] : entries_) {
        bool was_touched = std::find(touched.begin(), touched.end(), e->watch) != touched.end();
        if ((was_touched || (resync && e->status.phase != ContainerPhase::Exited)) && refresh(*e)) {
          changed.push_back(e->status);
        }
      }
      run_due_work(changed);
    }
    if (!changed.empty()) {
      changed_.notify_all();
    }
    notify(changed);
  }
}

}  // namespace runtime
