#!/usr/bin/env bash
# Builds the demo's images on this machine (no Docker daemon: OCI layouts written by images.py)
# and pushes them to Gantry's ECR with skopeo, the seeds' "build and push" CI step.
#
#   build-images.sh                       frontend:v1 and backend:v1
#   build-images.sh frontend:v2           any IMAGE:TAG list (images: frontend, backend)
#
# Environment: GANTRY_ENDPOINT (default http://127.0.0.1:4566), SEED_OUT (layouts; default
# examples/seed-architecture/.out).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=examples/seed-architecture/env.sh
source "$here/env.sh"

refs=("$@")
((${#refs[@]})) || refs=(frontend:v1 backend:v1)
out="${SEED_OUT:-$here/.out}"
mkdir -p "$out"

python3 "$here/images.py" "$out" "${refs[@]}" >/dev/null

# Log skopeo in the way the seeds' CI does (get-login-password | docker login).
aws_ ecr get-login-password |
  skopeo login --tls-verify=false --username AWS --password-stdin "$SEED_REGISTRY" >/dev/null

for ref in "${refs[@]}"; do
  name=${ref%%:*} tag=${ref#*:}
  aws_ ecr describe-repositories --repository-names "$name" >/dev/null 2>&1 ||
    aws_ ecr create-repository --repository-name "$name" >/dev/null
  skopeo --insecure-policy copy --quiet --dest-tls-verify=false \
    "oci:$out/$name:$tag" "docker://$SEED_REGISTRY/$name:$tag"
  digest=$(aws_ ecr describe-images --repository-name "$name" --image-ids "imageTag=$tag" \
    --query 'imageDetails[0].imageDigest' --output text)
  say "pushed $name:$tag ($digest)"
done
