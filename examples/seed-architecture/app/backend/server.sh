#!/bin/sh
# The backend's HTTP server: `nc -ll -p 8080 -e /app/server.sh` runs this once per connection,
# with the connection on stdin and stdout. It answers one request and closes (HTTP/1.1 with
# "Connection: close", as the seeds' Python API behind its load balancer would for a plain GET).
#
#   GET /stats/burn[?n=N]                burns CPU (N shell loop turns, default 20000, at most
#                                        1000000), then answers like /stats: load.sh drives the
#                                        backend's CPU with it to show autoscaling
#   GET /stats, /stats/..., /stats?...   the task's CPU and memory as JSON (see stats.sh)
#   anything else                        404 in JSON
cr=$(printf '\r')
read -r method target _ || exit 0
target=${target%"$cr"}
# Headers up to the blank line; the body of a GET is empty, and other methods get a 405.
while IFS= read -r line; do
  line=${line%"$cr"}
  [ -z "$line" ] && break
done

reply() { # status, body
  printf 'HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n' "$1" "${#2}"
  printf 'Cache-Control: no-store\r\nConnection: close\r\n\r\n%s' "$2"
  echo "$method $target ${1%% *}" >&2
}

# burn <turns>: keeps this process on the CPU; the task's cgroup quota (its cpu units) caps it.
burn() {
  i=0
  while [ "$i" -lt "$1" ]; do i=$((i + 1)); done
}

case "$target" in
  /stats/burn | /stats/burn\?*)
    n=20000
    case "$target" in *\?n=*) n=${target#*\?n=} n=${n%%&*} ;; esac
    case "$n" in '' | *[!0-9]*) n=20000 ;; esac
    [ "${#n}" -gt 7 ] || [ "$n" -gt 1000000 ] && n=1000000
    burn "$n"
    reply "200 OK" "$("${0%/*}/stats.sh")" ;;
  /stats | /stats/* | /stats\?*)
    case "$method" in
      GET | HEAD) reply "200 OK" "$("${0%/*}/stats.sh")" ;;
      *) reply "405 Method Not Allowed" '{"error":"method not allowed"}' ;;
    esac ;;
  *) reply "404 Not Found" '{"error":"not found","try":"/stats"}' ;;
esac
