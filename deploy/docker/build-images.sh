#!/usr/bin/env bash
# Builds pgsplit's images from Debian's packages only, with whatever engine DOCKER_HOST names; nothing is pulled.
#
#   deploy/docker/build-images.sh [postgres] [pgsplit]      # no argument: both
#
#   pgsplit-debian:bookworm  a minimal Debian root filesystem (debootstrap --variant=minbase), the base of the others
#   pgsplit-postgres:15      + postgresql-15 and pg-node: the servers of the container test cluster and compose demo
#   pgsplit-jre:17           + openjdk-17-jre-headless: the base of the pgsplit image here
#   pgsplit:latest           deploy/docker/Dockerfile on pgsplit-jre:17 with proxy-core/target/pgsplit.jar (built
#                            first with Maven when it is missing)
#
# Idempotent: every image carries a label with the hash of what it was built from (its files and its base image), and
# an image whose label still matches is kept. The debootstrap root filesystem is cached as a tarball in
# PGSPLIT_IMAGE_CACHE (default ~/.cache/pgsplit-images), so a new engine imports it instead of bootstrapping again.
# Making that tarball needs root and debootstrap; the package downloads come from DEBIAN_MIRROR.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${PGSPLIT_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pgsplit-images}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=bookworm
# Bump when slim_rootfs changes: the cached tarball and the base image are then made again.
base_version=1
label=io.pgsplit.recipe
# The classic builder: it works with a Docker 20.10 engine and any client, and uses a local base image as it is.
export DOCKER_BUILDKIT=0

log() { printf 'build-images: %s\n' "$*" >&2; }

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

recipe_of() { docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null || true; }

# up_to_date IMAGE RECIPE: the image exists and was built from RECIPE.
up_to_date() {
  if [ "$(recipe_of "$1")" = "$2" ]; then
    log "$1 is up to date"
    return 0
  fi
  return 1
}

require_image() {
  [ -n "$(image_id "$1")" ] || { log "$1 is missing"; exit 1; }
}

# The dpkg and apt settings of Debian's slim images: no documentation, no manual pages, no translations.
slim_rootfs() {
  local rootfs=$1
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/pgsplit-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs/usr/share/man/"* "$rootfs/usr/share/info/"* "$rootfs/usr/share/locale/"*
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"* "$rootfs/var/log/"*.log
  cat > "$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
}

base_tarball() {
  local tarball=$cache/debian-$suite-minbase-v$base_version.tar
  if [ -s "$tarball" ]; then
    echo "$tarball"
    return
  fi
  [ "$(id -u)" -eq 0 ] || { log "debootstrap needs root (or a cached $tarball)"; exit 1; }
  command -v debootstrap >/dev/null || { log "debootstrap is not installed: apt-get install debootstrap"; exit 1; }
  mkdir -p "$cache"
  local rootfs
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  log "debootstrap --variant=minbase $suite from $mirror"
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { log "debootstrap failed; see $cache/debootstrap.log"; rm -rf "$rootfs"; exit 1; }
  slim_rootfs "$rootfs"
  tar --numeric-owner -C "$rootfs" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rm -rf "$rootfs"
  echo "$tarball"
}

build_base() {
  local recipe
  recipe=$(hash_of <(echo "$suite $base_version $mirror $security_mirror"))
  up_to_date pgsplit-debian:$suite "$recipe" && return
  local tarball
  tarball=$(base_tarball)
  log "importing $tarball as pgsplit-debian:$suite"
  docker import --change "LABEL $label=$recipe" --change 'CMD ["/bin/bash"]' "$tarball" "pgsplit-debian:$suite" >/dev/null
}

# build_on BASE IMAGE CONTEXT DOCKERFILE FILES…: docker build of IMAGE on the local BASE, unless nothing changed.
build_on() {
  local base=$1 image=$2 context=$3 dockerfile=$4
  shift 4
  require_image "$base"
  local recipe
  recipe=$(hash_of "$dockerfile" "$@" <(image_id "$base"))
  up_to_date "$image" "$recipe" && return
  log "building $image on $base"
  docker build --network host --build-arg "BASE=$base" --label "$label=$recipe" -f "$dockerfile" -t "$image" \
    "$context" >"$cache/$(echo "$image" | tr ':/' '__').log" 2>&1 \
    || { log "building $image failed; see $cache/$(echo "$image" | tr ':/' '__').log"; exit 1; }
}

build_postgres() {
  build_on "pgsplit-debian:$suite" pgsplit-postgres:15 "$here/postgres" "$here/postgres/Dockerfile" \
    "$here/postgres/pg-node"
}

build_pgsplit() {
  build_on "pgsplit-debian:$suite" pgsplit-jre:17 "$here/jre" "$here/jre/Dockerfile"
  local jar=$root/proxy-core/target/pgsplit.jar
  if [ ! -s "$jar" ]; then
    log "packaging $jar"
    (cd "$root" && mvn -B -q package -DskipTests -pl proxy-core -am)
  fi
  build_on pgsplit-jre:17 pgsplit:latest "$root" "$here/Dockerfile" "$here/pgsplit-healthcheck" "$jar"
}

main() {
  docker version --format '{{.Server.Version}}' >/dev/null \
    || { log "no Docker engine answers at ${DOCKER_HOST:-the default socket}"; exit 1; }
  mkdir -p "$cache"
  local targets=("$@")
  [ ${#targets[@]} -gt 0 ] || targets=(postgres pgsplit)
  build_base
  for target in "${targets[@]}"; do
    case $target in
      postgres) build_postgres ;;
      pgsplit) build_pgsplit ;;
      *) log "unknown image '$target' (postgres, pgsplit)"; exit 2 ;;
    esac
  done
}

main "$@"
