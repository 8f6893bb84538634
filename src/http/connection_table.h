#pragma once
// The server's open client connections, counted against a limit, and which of them are idle
// (waiting for the first byte of a request). When a new client arrives and the table is full,
// the acceptor closes the connection that has been idle the longest to make room, the way
// HAProxy and nginx reuse idle keep-alive slots; a connection in the middle of a request is never
// closed this way (its own deadlines bound it). Free of Beast and Asio: a connection is closed
// through the function it gave set_idle().
//
// Thread-safe: connections on any I/O thread add, remove and mark themselves; the acceptor calls
// full() and evict_oldest_idle().

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>

namespace http {

class ConnectionTable {
 public:
  using Id = uint64_t;
  // Asks a connection to close. Called once at most, on the evicting thread, without the table's
  // lock held; it must hand the close to the connection's own strand and check there that the
  // connection is still idle.
  using Closer = std::function<void()>;

  explicit ConnectionTable(std::size_t limit) : limit_(limit) {}

  // Registers a new connection (busy until set_idle). Never refuses: the acceptor asks full()
  // before it accepts.
  Id add();
  // Forgets a connection that has closed.
  void remove(Id id);
  // The connection waits for its next request and may be closed through `close` until set_busy().
  void set_idle(Id id, Closer close);
  // The connection's next request has started arriving.
  void set_busy(Id id);

  bool full() const;
  bool has_idle() const;
  std::size_t size() const;
  std::size_t limit() const { return limit_; }
  // Closes the connection idle the longest. False when no connection is idle.
  bool evict_oldest_idle();

 private:
  struct Entry {
    bool idle = false;
    uint64_t idle_seq = 0;  // key in idle_ while idle
    Closer close;
  };

  const std::size_t limit_;
  mutable std::mutex mu_;
  Id next_id_ = 1;
  uint64_t next_idle_seq_ = 1;
  std::unordered_map<Id, Entry> entries_;
  std::map<uint64_t, Id> idle_;  // by the moment each became idle, oldest first
};

// The default connection limit under a file descriptor limit of `nofile`: half of it, so that the
// rest stays for the store, the containers' pipes and the load balancers' proxied connections
// (two descriptors each), and at most 10 000.
std::size_t default_connection_limit(uint64_t nofile);

}  // namespace http
