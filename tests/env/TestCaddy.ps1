# A Caddy image for the test registry, so that swarm nodes pull a real TLS front door as they pull
# the test app: the base busybox tree (tests/env/build-images.sh) plus Debian's /usr/bin/caddy
# (package caddy, tests/env/install-checkers.sh) and the libraries it links (libc, libzstd and the
# loader; `ldd /usr/bin/caddy`), one `docker import` of about 40 MB. Dot-source it, then:
#   $caddy = New-TestCaddyImage -Registry $registry    # .Reference, .Digest, .PinnedReference, ...
# Its command is `caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`, state under /tmp.

. (Join-Path $PSScriptRoot 'TestRegistry.ps1')

function New-TestCaddyImage {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Registry, [string] $Tag = 'test')
    if (-not (Test-Path /usr/bin/caddy)) { throw "Debian's caddy is not installed: apt-get install caddy (tests/env/install-checkers.sh)." }
    $executable = [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
    $files = [ordered]@{ 'lib/' = $null; 'lib/x86_64-linux-gnu/' = $null; 'lib64/' = $null; 'usr/' = $null; 'usr/bin/' = $null; 'etc/caddy/' = $null }
    $files['usr/bin/caddy'] = $executable, [IO.FileInfo]::new('/usr/bin/caddy')
    # What the loader needs, copied from where the host resolves it (ldd's "name => path" lines, and the loader itself).
    foreach ($line in & ldd /usr/bin/caddy) {
        if ($line -match '^\s*(\S+) => (/\S+)') { $files["lib/x86_64-linux-gnu/$($Matches[1])"] = $executable, [IO.FileInfo]::new((& readlink -f $Matches[2])) }
        elseif ($line -match '^\s*(/lib64/\S+)') { $files[$Matches[1].TrimStart('/')] = $executable, [IO.FileInfo]::new((& readlink -f $Matches[1])) }
    }
    Publish-TestImage -Registry $Registry -Repository caddy -Tag $Tag -Files $files -Change 'ENV PATH=/bin:/usr/bin', 'ENV LD_LIBRARY_PATH=/lib/x86_64-linux-gnu',
        'ENV XDG_DATA_HOME=/tmp/caddy/data', 'ENV XDG_CONFIG_HOME=/tmp/caddy/config', 'EXPOSE 80 443',
        'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]'
}
