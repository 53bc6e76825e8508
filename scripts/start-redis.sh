#!/usr/bin/env bash
# Make sure a Redis answers on 127.0.0.1:6379 (the job queue and shared rate limit tests use it):
# if none is listening, start Debian's redis-server in the background, installing it if missing.
set -euo pipefail
PORT=${REDIS_PORT:-6379}
listening() { (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null; }
listening && exit 0
if ! command -v redis-server >/dev/null; then
  PACKAGES="redis-server" "$(dirname "$0")/system-packages.sh"
fi
command -v redis-server >/dev/null || { echo "** redis-server is not installed: Redis tests will be skipped **"; exit 0; }
redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --save "" --appendonly no >/dev/null
for _ in $(seq 1 30); do listening && exit 0; sleep 0.2; done
echo "redis-server did not start on port $PORT" >&2
exit 1
