#!/bin/sh
# Prints the task's CPU and memory as one JSON object, read the way a Fargate task reads them:
# from the task metadata endpoint v4 ($ECS_CONTAINER_METADATA_URI_V4, /task and /stats).
# busybox's wget crashes in an image without libc's NSS files, so HTTP is spoken through nc.
# It also answers the ALB's health checks, so it stays cheap: two requests and one awk.
# CPU percentages compare this read with the previous one (the endpoint's precpu_stats, as
# `docker stats` does); the first read after a start has none and reports null.
# Outside ECS (no metadata endpoint) it falls back to the cgroup files the container sees.

read -r hostname </proc/sys/kernel/hostname

if [ -n "$ECS_CONTAINER_METADATA_URI_V4" ]; then
  hostport=${ECS_CONTAINER_METADATA_URI_V4#http://}
  path=/${hostport#*/}
  hostport=${hostport%%/*}
  host=${hostport%:*}
  port=80
  [ "$host" != "$hostport" ] && port=${hostport##*:}
  get() { # the raw HTTP/1.0 response to GET <metadata uri><path>
    printf 'GET %s%s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$1" "$hostport" |
      nc -w 3 "$host" "$port" 2>/dev/null
  }
  task=$(get /task)
  stats=$(get /stats)
  case "$task" in
    "HTTP/1."?" 200"*)
      exec awk -v task="$task" -v stats="$stats" -v hostname="$hostname" '
        function body(r,   i) { i = index(r, "\r\n\r\n"); return i ? substr(r, i + 4) : "" }
        # The text after the first "key": in s.
        function after(s, k,   i) { i = index(s, "\"" k "\":"); return i ? substr(s, i + length(k) + 3) : "" }
        function num(s, k,   t) {
          t = after(s, k)
          return match(t, /^-?[0-9][0-9.eE+-]*/) ? substr(t, 1, RLENGTH) + 0 : 0
        }
        function str(s, k,   t) {
          t = after(s, k)
          if (substr(t, 1, 1) != "\"") return ""
          t = substr(t, 2)
          return substr(t, 1, index(t, "\"") - 1)
        }
        function pct(x) { return x == "" ? "null" : sprintf("%.2f", x) }
        BEGIN {
          task = body(task); stats = body(stats)
          limits = after(task, "Limits"); vcpu = num(limits, "CPU"); mem_mib = num(limits, "Memory")
          ip = after(task, "IPv4Addresses"); ip = substr(ip, 3); ip = substr(ip, 1, index(ip, "\"") - 1)
          cpu = after(stats, "cpu_stats"); pre = after(stats, "precpu_stats")
          used = num(cpu, "total_usage"); sys = num(cpu, "system_cpu_usage")
          cpus = num(cpu, "online_cpus"); if (cpus < 1) cpus = 1
          host_pct = limit_pct = ""
          if (num(pre, "system_cpu_usage") > 0 && sys > num(pre, "system_cpu_usage")) {
            host_pct = (used - num(pre, "total_usage")) / (sys - num(pre, "system_cpu_usage")) * cpus * 100
            if (host_pct < 0) host_pct = 0
            if (vcpu > 0) limit_pct = host_pct / vcpu
          }
          mem = num(stats, "usage"); mem_max = num(stats, "max_usage"); mem_limit = mem_mib * 1048576
          printf "{\"service\":\"backend\",\"source\":\"task-metadata-v4\",\"read\":\"%s\",", str(stats, "read")
          printf "\"task\":{\"arn\":\"%s\",\"family\":\"%s\",", str(task, "TaskARN"), str(task, "Family")
          printf "\"revision\":\"%s\",\"availabilityZone\":\"%s\",", str(task, "Revision"), str(task, "AvailabilityZone")
          printf "\"address\":\"%s\",\"hostname\":\"%s\"},", ip, hostname
          printf "\"cpu\":{\"limitVcpu\":%g,\"onlineCpus\":%d,\"usageSeconds\":%.3f,", vcpu, cpus, used / 1e9
          printf "\"percentOfHost\":%s,\"percentOfLimit\":%s},", pct(host_pct), pct(limit_pct)
          printf "\"memory\":{\"limitMiB\":%d,\"usageMiB\":%.1f,\"maxUsageMiB\":%.1f,", mem_mib, mem / 1048576, mem_max / 1048576
          printf "\"percentOfLimit\":%s},", pct(mem_limit > 0 ? mem / mem_limit * 100 : "")
          printf "\"pids\":%d}\n", num(stats, "current")
        }'
      ;;
  esac
fi

# Not on ECS, or the endpoint did not answer: cgroup v2, then v1 files.
read_first() { for f in "$@"; do [ -r "$f" ] && { cat "$f"; return; }; done; echo 0; }
mem=$(read_first /sys/fs/cgroup/memory.current /sys/fs/cgroup/memory/memory.usage_in_bytes)
limit=$(read_first /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes)
usage=$(read_first /sys/fs/cgroup/cpuacct/cpuacct.usage)
if [ -r /sys/fs/cgroup/cpu.stat ]; then
  usage=$(awk '$1 == "usage_usec" { print $2 * 1000 }' /sys/fs/cgroup/cpu.stat)
fi
awk -v mem="$mem" -v limit="$limit" -v usage="$usage" -v host="$hostname" 'BEGIN {
  if (limit == "max" || limit + 0 > 1e18) limit = 0
  printf "{\"service\":\"backend\",\"source\":\"cgroup\",\"task\":{\"hostname\":\"%s\"},", host
  printf "\"cpu\":{\"usageSeconds\":%.3f},", usage / 1e9
  printf "\"memory\":{\"limitMiB\":%d,\"usageMiB\":%.1f}}\n", limit / 1048576, mem / 1048576
}'
