#!/usr/bin/env bash
# Builds the local test images without a registry: a static busybox tree through docker import
# (httpd, wget, nc, sh). Idempotent: an image already present is kept.
set -euo pipefail
image=${1:-datamancy-test/busybox:1}
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image already built"
  exit 0
fi
busybox=/bin/busybox
if ! file -L "$busybox" 2>/dev/null | grep -q "statically linked"; then
  busybox=$(dpkg -L busybox-static 2>/dev/null | grep -E '/busybox$' | head -1 || true)
fi
if [ -z "$busybox" ] || [ ! -x "$busybox" ]; then
  echo "a static busybox is missing: apt-get install busybox-static" >&2
  exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/www" "$root/var/run"
cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
echo '<html><body>datamancy test page</body></html>' > "$root/www/index.html"
tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$image" >/dev/null
echo "built $image"
