#!/bin/sh
# Prints the task's CPU and memory as one JSON object, read the way a Fargate task reads them:
# from the task metadata endpoint v4 ($ECS_CONTAINER_METADATA_URI_V4, /task and /stats).
# busybox's wget crashes in an image without libc's NSS files, so HTTP is spoken through nc.
# Outside ECS (no metadata endpoint) it falls back to the cgroup files the container sees.

meta() { # GET <metadata uri><path>, body only
  uri=$ECS_CONTAINER_METADATA_URI_V4
  hostport=${uri#http://}
  path=/${hostport#*/}
  hostport=${hostport%%/*}
  host=${hostport%:*}
  port=80
  [ "$host" != "$hostport" ] && port=${hostport##*:}
  printf 'GET %s%s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$1" "$hostport" |
    nc -w 3 "$host" "$port" 2>/dev/null | sed '1,/^\r*$/d'
}

# num <json> <key>: the first number after "key": in the text.
num() {
  printf '%s' "$1" | awk -v k="\"$2\":" '{
    i = index($0, k); if (!i) exit
    s = substr($0, i + length(k)); if (match(s, /^-?[0-9][0-9.eE+-]*/)) print substr(s, 1, RLENGTH)
  }'
}
# str <json> <key>: the first string value of "key".
str() {
  printf '%s' "$1" | awk -v k="\"$2\":\"" '{
    i = index($0, k); if (!i) exit
    s = substr($0, i + length(k)); print substr(s, 1, index(s, "\"") - 1)
  }'
}
# after <json> <key>: the text after "key": (to read a nested object's fields).
after() {
  printf '%s' "$1" | awk -v k="\"$2\":" '{ i = index($0, k); if (i) print substr($0, i + length(k)) }'
}

hostname=$(hostname)
if [ -n "$ECS_CONTAINER_METADATA_URI_V4" ] && task=$(meta /task) && [ -n "$task" ]; then
  stats=$(meta /stats)
  cpu=$(after "$stats" cpu_stats)
  pre=$(after "$stats" precpu_stats)
  if [ "$(num "$pre" system_cpu_usage)" = "" ] || [ "$(num "$pre" system_cpu_usage)" = 0 ]; then
    # First read of this container: the endpoint keeps the previous read as precpu_stats.
    sleep 1
    stats=$(meta /stats)
    cpu=$(after "$stats" cpu_stats)
    pre=$(after "$stats" precpu_stats)
  fi
  limits=$(after "$task" Limits)
  awk -v arn="$(str "$task" TaskARN)" -v family="$(str "$task" Family)" \
      -v revision="$(str "$task" Revision)" -v az="$(str "$task" AvailabilityZone)" \
      -v ip="$(after "$task" IPv4Addresses | awk -F'"' '{print $2}')" -v host="$hostname" \
      -v vcpu="$(num "$limits" CPU)" -v mem_mib="$(num "$limits" Memory)" \
      -v used="$(num "$cpu" total_usage)" -v pre_used="$(num "$pre" total_usage)" \
      -v sys="$(num "$cpu" system_cpu_usage)" -v pre_sys="$(num "$pre" system_cpu_usage)" \
      -v cpus="$(num "$cpu" online_cpus)" -v mem="$(num "$stats" usage)" \
      -v mem_max="$(num "$stats" max_usage)" -v pids="$(num "$stats" current)" \
      -v read_at="$(str "$stats" read)" 'BEGIN {
    cpus += 0; if (cpus < 1) cpus = 1
    host_pct = (sys - pre_sys > 0) ? (used - pre_used) / (sys - pre_sys) * cpus * 100 : 0
    if (host_pct < 0) host_pct = 0
    limit_pct = (vcpu > 0) ? host_pct / vcpu : 0
    mem_limit = mem_mib * 1048576
    printf "{\"service\":\"backend\",\"source\":\"task-metadata-v4\",\"read\":\"%s\",", read_at
    printf "\"task\":{\"arn\":\"%s\",\"family\":\"%s\",\"revision\":\"%s\",", arn, family, revision
    printf "\"availabilityZone\":\"%s\",\"address\":\"%s\",\"hostname\":\"%s\"},", az, ip, host
    printf "\"cpu\":{\"limitVcpu\":%g,\"onlineCpus\":%d,\"usageSeconds\":%.3f,", vcpu, cpus, used / 1e9
    printf "\"percentOfHost\":%.2f,\"percentOfLimit\":%.2f},", host_pct, limit_pct
    printf "\"memory\":{\"limitMiB\":%d,\"usageMiB\":%.1f,\"maxUsageMiB\":%.1f,", mem_mib, mem / 1048576, mem_max / 1048576
    printf "\"percentOfLimit\":%.2f},\"pids\":%d}\n", (mem_limit > 0 ? mem / mem_limit * 100 : 0), pids
  }'
  exit 0
fi

# Not on ECS: cgroup v2, then v1 files.
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
