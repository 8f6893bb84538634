#include "netplane/netns.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cerrno>
#include <exception>
#include <mutex>
#include <thread>

#include "core/check.h"

namespace netplane {
namespace {

constexpr long kNsfsMagic = 0x6e736673;  // NSFS_MAGIC from linux/magic.h

// iproute2's netns_add(): make /run/netns a shared mount point so that namespace mounts made
// here propagate to mount namespaces created later (runc's) and vice versa.
Result<void> prepare_netns_dir() {
  static std::mutex mu;
  static bool done = false;
  std::lock_guard lock(mu);
  if (done) {
    return {};
  }
  if (::mkdir(kNetnsDir, 0755) != 0 && errno != EEXIST) {
    return Error::from_errno(errno, std::string("mkdir ") + kNetnsDir);
  }
  bool made_mount = false;
  while (::mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
    // EINVAL: not a mount point yet; bind it onto itself once and retry.
    if (errno != EINVAL || made_mount) {
      return Error::from_errno(errno, std::string("mount --make-shared ") + kNetnsDir);
    }
    if (::mount(kNetnsDir, kNetnsDir, "none", MS_BIND | MS_REC, nullptr) != 0) {
      return Error::from_errno(errno, std::string("mount --bind ") + kNetnsDir);
    }
    made_mount = true;
  }
  done = true;
  return {};
}

bool is_nsfs(const std::string& path) {
  struct statfs st {};
  return ::statfs(path.c_str(), &st) == 0 && st.f_type == kNsfsMagic;
}

}  // namespace

std::string netns_path(const std::string& name) { return std::string(kNetnsDir) + "/" + name; }

bool netns_exists(const std::string& name) { return is_nsfs(netns_path(name)); }

Result<void> create_netns(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return Error(errc::bad_spec, "bad network namespace name \"" + name + "\"");
  }
  if (Result<void> r = prepare_netns_dir(); !r) {
    return r;
  }
  const std::string path = netns_path(name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0 && errno == EEXIST) {
    if (is_nsfs(path)) {
      return Error(errc::exists, "network namespace " + name + " already exists");
    }
    ::unlink(path.c_str());  // leftover mount point of a crashed create
    fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  }
  if (fd < 0) {
    return Error::from_errno(errno, "create " + path);
  }
  ::close(fd);

  // unshare() applies to the calling thread only, so a throwaway thread makes the namespace and
  // the bind mount keeps it alive after the thread is gone.
  Error error;
  bool failed = false;
  std::thread worker([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      error = Error::from_errno(errno, "unshare(CLONE_NEWNET)");
      failed = true;
      return;
    }
    if (::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0) {
      error = Error::from_errno(errno, "bind-mount network namespace on " + path);
      failed = true;
    }
  });
  worker.join();
  if (failed) {
    ::unlink(path.c_str());
    return error;
  }
  return {};
}

Result<void> delete_netns(const std::string& name) {
  const std::string path = netns_path(name);
  if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    return Error::from_errno(errno, "umount " + path);
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Error::from_errno(errno, "unlink " + path);
  }
  return {};
}

std::vector<std::string> list_netns(const std::string& prefix) {
  std::vector<std::string> out;
  DIR* dir = ::opendir(kNetnsDir);
  if (dir == nullptr) {
    return out;
  }
  while (dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name != "." && name != ".." && name.starts_with(prefix)) {
      out.push_back(std::move(name));
    }
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end());
  return out;
}

Result<UniqueFd> open_netns(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) {
      return Error(errc::not_found, "no network namespace at " + path);
    }
    return Error::from_errno(errno, "open " + path);
  }
  return fd;
}

Result<void> NetnsSwitch::enter(const std::string& path, std::unique_ptr<NetnsSwitch>* out) {
  Result<UniqueFd> target = open_netns(path);
  if (!target) {
    return target.error();
  }
  UniqueFd original(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!original) {
    return Error::from_errno(errno, "open /proc/thread-self/ns/net");
  }
  if (::setns(target->get(), CLONE_NEWNET) != 0) {
    return Error::from_errno(errno, "setns " + path);
  }
  out->reset(new NetnsSwitch(std::move(original)));
  return {};
}

NetnsSwitch::~NetnsSwitch() {
  CHECK(::setns(original_.get(), CLONE_NEWNET) == 0)
      << "cannot return the thread to its network namespace: errno " << errno;
}

Result<void> run_in_netns(const std::string& path, const std::function<void()>& fn) {
  Result<UniqueFd> target = open_netns(path);
  if (!target) {
    return target.error();
  }
  Error error;
  bool failed = false;
  std::exception_ptr thrown;
  std::thread worker([&] {
    if (::setns(target->get(), CLONE_NEWNET) != 0) {
      error = Error::from_errno(errno, "setns " + path);
      failed = true;
      return;
    }
    try {
      fn();
    } catch (...) {
      thrown = std::current_exception();
    }
  });
  worker.join();
  if (thrown) {
    std::rethrow_exception(thrown);
  }
  if (failed) {
    return error;
  }
  return {};
}

Result<UniqueFd> socket_in_netns(const std::string& path, int domain, int type, int protocol) {
  Result<int> fd =
      with_netns(path, [&] { return ::socket(domain, type | SOCK_CLOEXEC, protocol); });
  if (!fd) {
    return fd.error();
  }
  if (*fd < 0) {
    return Error::from_errno(errno, "socket in " + path);
  }
  return UniqueFd(*fd);
}

Result<sockaddr_in> make_sockaddr(const std::string& ip, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (::inet_pton(AF_INET, ip.c_str(), &sa.sin_addr) != 1) {
    return Error(errc::bad_spec, "bad IPv4 address \"" + ip + "\"");
  }
  return sa;
}

Result<UniqueFd> listen_in_netns(const std::string& path, const std::string& ip, uint16_t port,
                                 int backlog, bool nonblocking) {
  Result<sockaddr_in> sa = make_sockaddr(ip, port);
  if (!sa) {
    return sa.error();
  }
  Result<UniqueFd> fd =
      socket_in_netns(path, AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0));
  if (!fd) {
    return fd.error();
  }
  int one = 1;
  ::setsockopt(fd->get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd->get(), reinterpret_cast<const sockaddr*>(&*sa), sizeof(*sa)) != 0) {
    return Error::from_errno(errno, "bind " + ip + ":" + std::to_string(port) + " in " + path);
  }
  if (::listen(fd->get(), backlog) != 0) {
    return Error::from_errno(errno, "listen in " + path);
  }
  return fd;
}

Result<UniqueFd> connect_in_netns(const std::string& path, const std::string& ip, uint16_t port,
                                  std::chrono::milliseconds timeout) {
  Result<sockaddr_in> sa = make_sockaddr(ip, port);
  if (!sa) {
    return sa.error();
  }
  Result<UniqueFd> fd = socket_in_netns(path, AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
  if (!fd) {
    return fd.error();
  }
  const std::string where = ip + ":" + std::to_string(port) + " from " + path;
  if (::connect(fd->get(), reinterpret_cast<const sockaddr*>(&*sa), sizeof(*sa)) != 0) {
    if (errno != EINPROGRESS) {
      return Error::from_errno(errno, "connect " + where);
    }
    pollfd p{fd->get(), POLLOUT, 0};
    int n;
    do {
      n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      return Error::from_errno(errno, "poll " + where);
    }
    if (n == 0) {
      return Error(errc::timed_out, "connect " + where + ": no answer");
    }
    int err = 0;
    socklen_t len = sizeof(err);
    ::getsockopt(fd->get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      return Error::from_errno(err, "connect " + where);
    }
  }
  int flags = ::fcntl(fd->get(), F_GETFL);
  ::fcntl(fd->get(), F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

Result<uint16_t> local_port(int fd) {
  sockaddr_in sa{};
  socklen_t len = sizeof(sa);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    return Error::from_errno(errno, "getsockname");
  }
  return ntohs(sa.sin_port);
}

Result<void> announce_address(const std::string& path, const std::string& ifname,
                              const std::array<uint8_t, 6>& mac, uint32_t ip) {
  Result<UniqueFd> fd = socket_in_netns(path, AF_PACKET, SOCK_RAW, htons(ETH_P_ARP));
  if (!fd) {
    return fd.error();
  }
  Result<unsigned> index = with_netns(path, [&] { return ::if_nametoindex(ifname.c_str()); });
  if (!index) {
    return index.error();
  }
  if (*index == 0) {
    return Error::from_errno(errno, ifname + " in " + path);
  }
  // Ethernet header, then the ARP packet of RFC 826 (Ethernet/IPv4): a gratuitous request
  // (RFC 5227 2.3) has the sender's address as both sender and target protocol address.
  uint8_t frame[42] = {};
  std::memset(frame, 0xff, 6);
  std::memcpy(frame + 6, mac.data(), 6);
  const uint8_t arp_head[] = {0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01};
  std::memcpy(frame + 12, arp_head, sizeof arp_head);
  uint32_t ip_be = htonl(ip);
  std::memcpy(frame + 22, mac.data(), 6);
  std::memcpy(frame + 28, &ip_be, 4);
  std::memcpy(frame + 38, &ip_be, 4);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_ARP);
  to.sll_ifindex = static_cast<int>(*index);
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);
  if (::sendto(fd->get(), frame, sizeof frame, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) !=
      static_cast<ssize_t>(sizeof frame)) {
    return Error::from_errno(errno, "gratuitous ARP on " + ifname + " in " + path);
  }
  return {};
}

}  // namespace netplane
