#!/usr/bin/env bash
# Builds, once, the base image images/Dockerfile starts FROM, where no container registry is reachable:
# Debian bookworm (debootstrap minbase, from the machine's Debian mirror) plus the very Node.js build this
# machine runs (node and npm copied from the host), laid out as the official image lays it out
# (/usr/local/bin/node, user `node` with uid 1000). It is tagged with the name the Dockerfile's FROM
# uses, so the Dockerfile stays the one production builds against the official image. Idempotent: an
# image already present under that name (built here or pulled) is kept.
#   bash scripts/build-base-image.sh        prints the image name
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/images/containers.conf}
image=$(sed -n 's/^ARG NODE_IMAGE=//p' images/Dockerfile)
node_version=$(node --version)
case "$image" in
*":${node_version#v}-"*) ;;
*)
  echo "build-base-image: images/Dockerfile's base $image is not the Node $node_version this machine runs" >&2
  exit 2
  ;;
esac
if podman image exists "$image"; then
  echo "$image"
  exit 0
fi
mirror=${INFLOW_DEBIAN_MIRROR:-http://deb.debian.org/debian}
rootfs=$(mktemp -d /tmp/inflow-base-XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "build-base-image: debootstrap bookworm from $mirror (a few minutes, once)" >&2
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
node_bin=$(command -v node)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" /usr/sbin/groupadd --gid 1000 node
chroot "$rootfs" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$rootfs" node --version >/dev/null
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --message "debootstrap minbase bookworm + node $node_version from the host (scripts/build-base-image.sh)" \
  - "$image" >/dev/null
echo "$image"
