#!/bin/sh
# The backend's HTTP server: `nc -ll -p 8080 -e /app/server.sh` runs this once per connection,
# with the connection on stdin and stdout. It answers one request and closes (HTTP/1.1 with
# "Connection: close", as the seeds' Python API behind its load balancer would for a plain GET).
#
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

case "$target" in
  /stats | /stats/* | /stats\?*)
    case "$method" in
      GET | HEAD) reply "200 OK" "$("${0%/*}/stats.sh")" ;;
      *) reply "405 Method Not Allowed" '{"error":"method not allowed"}' ;;
    esac ;;
  *) reply "404 Not Found" '{"error":"not found","try":"/stats"}' ;;
esac
