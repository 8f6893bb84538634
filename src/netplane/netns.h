#pragma once
// Named network namespaces, made the way `ip netns add` makes them: a thread unshares a new
// network namespace and bind-mounts /proc/thread-self/ns/net onto /run/netns/<name>, which keeps
// it alive with no process inside. /run/netns is made a shared mount first (as iproute2 does) so
// the namespaces are visible to runc and to `ip netns exec`.
//
// Sockets belong to the namespace they were created in, for their whole life, whichever thread
// uses them later. So the server's acceptors, the ALB proxy and health checks create their sockets
// here (listen_in_netns, socket_in_netns, connect_in_netns) and then use them from any thread or
// io_context like any other fd. Nothing here ever opens a socket toward a VPC address from the
// host's own namespace.
//
// Thread-safety: every function may be called from any thread. with_netns() switches the CALLING
// thread into the namespace for the duration of `fn` and always switches it back (a failure to
// switch back aborts: the thread would otherwise keep running in the wrong namespace).

#include <netinet/in.h>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "netplane/result.h"
#include "netplane/unique_fd.h"

namespace netplane {

inline constexpr const char* kNetnsDir = "/run/netns";

// "/run/netns/<name>".
std::string netns_path(const std::string& name);

// Makes /run/netns/<name>. errc::exists if a live namespace of that name is already mounted there;
// a leftover empty file (a crash between create and mount) is replaced.
Result<void> create_netns(const std::string& name);
// Unmounts and unlinks /run/netns/<name>. A name that does not exist is not an error. The kernel
// frees the namespace (and its interfaces) once no process or open fd refers to it.
Result<void> delete_netns(const std::string& name);
// True if /run/netns/<name> is a mounted network namespace.
bool netns_exists(const std::string& name);
// Names under /run/netns starting with `prefix`, sorted.
std::vector<std::string> list_netns(const std::string& prefix);

// An open fd of the namespace at `path` (O_RDONLY|O_CLOEXEC), e.g. for a veth peer's
// IFLA_NET_NS_FD.
Result<UniqueFd> open_netns(const std::string& path);

// Switches the calling thread into a namespace and back; used by with_netns(). Prefer with_netns.
class NetnsSwitch {
 public:
  NetnsSwitch(const NetnsSwitch&) = delete;
  NetnsSwitch& operator=(const NetnsSwitch&) = delete;
  ~NetnsSwitch();  // switches back; aborts if it cannot
  static Result<void> enter(const std::string& path, std::unique_ptr<NetnsSwitch>* out);

 private:
  explicit NetnsSwitch(UniqueFd original) : original_(std::move(original)) {}
  UniqueFd original_;
};

// Runs `fn` on the calling thread while it is inside the namespace at `path`. Keep `fn` short and
// non-blocking: it is meant for creating sockets and netlink/nftables handles.
template <class F>
auto with_netns(const std::string& path, F&& fn) -> Result<std::invoke_result_t<F>> {
  std::unique_ptr<NetnsSwitch> guard;
  if (Result<void> r = NetnsSwitch::enter(path, &guard); !r) {
    return Result<std::invoke_result_t<F>>(boost::system::in_place_error, r.error());
  }
  if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
    fn();
    return {};
  } else {
    return fn();
  }
}

// Runs `fn` on a new thread that joined the namespace at `path`, and waits for it. For work that
// may block or that spawns children which must inherit the namespace.
Result<void> run_in_netns(const std::string& path, const std::function<void()>& fn);

// A socket (SOCK_CLOEXEC added) created inside the namespace at `path`.
Result<UniqueFd> socket_in_netns(const std::string& path, int domain, int type, int protocol = 0);

// A TCP socket inside the namespace, bound to ip:port (SO_REUSEADDR; port 0 picks one) and
// listening. `ip` is dotted IPv4, "0.0.0.0" for any. The fd is blocking unless `nonblocking`.
Result<UniqueFd> listen_in_netns(const std::string& path, const std::string& ip, uint16_t port,
                                 int backlog = 1024, bool nonblocking = false);

// A TCP connection made from inside the namespace to ip:port, waiting at most `timeout`.
// errc::timed_out when no answer came (a security group drops silently, as in AWS);
// ECONNREFUSED when the peer answered with a reset. The returned fd is blocking.
Result<UniqueFd> connect_in_netns(const std::string& path, const std::string& ip, uint16_t port,
                                  std::chrono::milliseconds timeout);

// Sends one gratuitous ARP (a request for `ip` from `ip`, broadcast) out of interface `ifname`
// of the namespace at `path`, whose address is `ip` and MAC `mac`. Neighbours that still map
// `ip` to the MAC of an earlier owner (an address is reused as soon as a task stops) update
// their entry at once instead of sending to a MAC that is gone until the entry ages out.
Result<void> announce_address(const std::string& path, const std::string& ifname,
                              const std::array<uint8_t, 6>& mac, uint32_t ip);

// The port a bound socket got (for port 0).
Result<uint16_t> local_port(int fd);

// Parses dotted IPv4 into a sockaddr_in.
Result<sockaddr_in> make_sockaddr(const std::string& ip, uint16_t port);

}  // namespace netplane
