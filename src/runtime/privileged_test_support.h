#pragma once
// Shared set-up of the runtime's privileged tests: whether real containers can run here, and a
// busybox layer to run them from.

#include <unistd.h>

#include <filesystem>
#include <initializer_list>
#include <string>

#include "runtime/process.h"

namespace runtime::test_support {

// Why real containers cannot run on this machine (not root, no runc, no /bin/busybox), or "".
inline std::string missing_for_containers() {
  if (::geteuid() != 0) return "needs root";
  if (run_process({"runc", "--version"}) != 0 || !std::filesystem::exists("/bin/busybox")) {
    return "needs runc and /bin/busybox";
  }
  return {};
}

// Makes `layer` a busybox layer: /bin/busybox and one symlink per applet.
inline void make_busybox_layer(const std::filesystem::path& layer,
                               std::initializer_list<const char*> applets) {
  std::filesystem::create_directories(layer / "bin");
  std::filesystem::copy_file("/bin/busybox", layer / "bin" / "busybox");
  for (const char* applet : applets) {
    std::filesystem::create_symlink("busybox", layer / "bin" / applet);
  }
}

}  // namespace runtime::test_support
