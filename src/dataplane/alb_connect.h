#pragma once
// Runs the data plane's blocking Connector (connector.h) off a worker's event loop: the call runs
// on a connect thread while the worker keeps serving other connections (a security group that
// drops silently makes a connect block for its whole timeout). Internal to alb_proxy.cc.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <string>

#include "dataplane/connector.h"

namespace dataplane {

// Calls `connector` on `pool` and resumes on `ioc` (the caller's worker) with its fd, or -1 when
// it failed or did not return within `timeout`; `timed_out` then tells a timeout (ALB's 504)
// from a refusal (502). A connect that finishes after the caller gave up has its fd closed.
// `pool` and `connector` must outlive the call; stopping `ioc` closes late fds too.
boost::asio::awaitable<int> connect_off_loop(boost::asio::thread_pool& pool,
                                             boost::asio::io_context& ioc,
                                             const Connector& connector, std::string lb_arn,
                                             std::string ip, uint16_t port,
                                             std::chrono::milliseconds timeout, bool& timed_out);

}  // namespace dataplane
