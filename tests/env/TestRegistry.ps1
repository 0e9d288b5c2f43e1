# A throwaway image registry (Debian's docker-registry, distribution 2.8) for the tests, and test
# images to push to it. Dot-source it, then:
#   $registry = Start-TestRegistry [-Htpasswd]
#       .Address      '127.0.0.1:PORT', the registry part of every image reference the host engine uses
#       .Port, .Pid, .Folder (config.yml, storage/, registry.log), .Config (the config file)
#       .Credential   with -Htpasswd: a PSCredential of a generated user (its password is never printed)
#       .DockerConfig with -Htpasswd: a docker CLI config folder already logged in to the registry
#                     (point DOCKER_CONFIG at it; ~/.docker is never touched)
#   $image = New-TestImageVersion -Registry $registry -Repository app -Tag 1 -Version v1 [-HealthFails] [-Http500]
#       .Reference '127.0.0.1:PORT/app:1', .Digest 'sha256:...', .PinnedReference '127.0.0.1:PORT/app@sha256:...',
#       .ImageId, .Version, .Repository, .Tag
#   Stop-TestRegistry $registry   # stops exactly its pid, removes the local images it built and the folder
#   Clear-StaleTestRegistry       # removes registries whose owning pwsh is gone (Start- calls it)
#
# Images from New-TestImageVersion: the file tree of datamancy-test/busybox:1 (tests/env/
# build-images.sh) plus an app, made by one `docker import` (one layer, about 2 MB): an httpd on
# port 80 serving /app (the base's /www has an index.html of its own): /version holds the
# version ('v1'), / an index page naming it. A shell is PID 1 and stops at once on SIGTERM (busybox
# httpd as PID 1 ignores it), so no init: is needed. The healthcheck asks /version through nc
# (busybox wget crashes on an IP literal) every second, 3 retries: healthy about 1 s after start.
# -HealthFails: the healthcheck always fails (unhealthy after about 4 s; the pages still serve).
# -Http500: healthy, but / answers "HTTP/1.1 500" (a CGI: busybox httpd runs cgi-bin/index.cgi for
# a folder without index.html, and passes on a status line the script writes itself).
# Each version differs in content, so each has its own digest; pushing a version under a tag moves
# the tag in the registry and on the engine (the older image keeps its digest reference).
#
# Facts seen on this machine (Engine 20.10, CLI 28 without buildx): the engine pushes to and
# pulls from 127.0.0.1:PORT without TLS (loopback is an insecure registry by default), and `docker
# image inspect` lists '127.0.0.1:PORT/app@sha256:...' in RepoDigests after a push or a pull.
# Building and pushing one version takes 1.5-2.5 s (10 in 14-25 s) with the machine's load average
# at 7-30 (other sessions' work); `docker import` is about 3 times faster than the classic builder
# (DOCKER_BUILDKIT=0, one commit per Dockerfile instruction) or create+cp+commit; the push is the
# larger part. With htpasswd the registry answers 401 without credentials or with a wrong
# password, and the docker CLI's login then fails with "unauthorized".
#
# Engines in network namespaces (tests/env/TestNodes.ps1) reach the same storage through a registry
# process of their own on THEIR 127.0.0.1:PORT (Start-TestNode -Registry): the reference
# '127.0.0.1:PORT/app@sha256:...' then means the same image on the host engine and on every node.

. (Join-Path $PSScriptRoot 'TestProcess.ps1')

$script:RegistryImageBase = 'datamancy-test/busybox:1'

function Assert-TestRegistryPrerequisite([switch] $Htpasswd) {
    $missing = @('/usr/bin/docker-registry') + $(if ($Htpasswd) { '/usr/bin/htpasswd' }) | Where-Object { -not (Test-Path $_) }
    if ($missing) {
        throw "The registry tests need Debian's docker-registry and apache2-utils (missing: $($missing -join ', ')). Run: bash tests/env/install-checkers.sh"
    }
    if (-not (Get-Command docker -ErrorAction SilentlyContinue)) { throw 'The registry tests need the docker CLI (Debian package docker.io).' }
}

function Clear-StaleTestRegistry {
    foreach ($state in Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'dm-registry-*' -Directory -ErrorAction SilentlyContinue) {
        $file = Join-Path $state.FullName 'state.json'
        if (-not (Test-Path $file)) { continue }
        $record = Get-Content $file -Raw | ConvertFrom-Json
        if (-not (Test-TestOwnerAlive $record)) { Stop-TestRegistry $record }
    }
}

function Start-TestRegistry {
    [CmdletBinding()]
    param([switch] $Htpasswd)
    Assert-TestRegistryPrerequisite -Htpasswd:$Htpasswd
    Clear-StaleTestRegistry
    $folder = Join-Path ([IO.Path]::GetTempPath()) "dm-registry-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
    New-Item -ItemType Directory -Path "$folder/storage" -Force | Out-Null
    $registry = [pscustomobject]@{
        Address = $null; Port = 0; Pid = 0; Folder = $folder; Config = "$folder/config.yml"; Log = "$folder/registry.log"
        Credential = $null; DockerConfig = $null; Images = [Collections.Generic.List[string]]::new()
        OwnerPid = $PID; OwnerStartTick = (New-TestOwnerRecord).OwnerStartTick
    }
    Save-TestRegistryState $registry
    try {
        $password = $null
        if ($Htpasswd) {
            $user = "dm-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
            $password = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(16)).ToLowerInvariant()
            # htpasswd reads the password on stdin (-i), so it never shows in a process list.
            $line = $password | & /usr/bin/htpasswd -niB $user 2>$null
            if ($LASTEXITCODE -ne 0 -or "$line" -notmatch '^[^:]+:\$2') { throw 'htpasswd did not write a bcrypt entry.' }
            Set-TestPrivateFile "$folder/htpasswd" ("$line".Trim() + "`n")
            $registry.Credential = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
        }
        # A port can be taken between the probe and the registry's bind: try a few.
        foreach ($attempt in 1..3) {
            $port = Get-FreeLoopbackPort
            Set-TestPrivateFile $registry.Config (New-TestRegistryConfig $folder "127.0.0.1:$port" -Htpasswd:$Htpasswd)
            $registry.Pid = Start-TestBackgroundProcess -ArgumentList '/usr/bin/docker-registry', 'serve', $registry.Config -LogPath $registry.Log
            $registry.Port = $port
            $registry.Address = "127.0.0.1:$port"
            Save-TestRegistryState $registry
            if (Wait-TestRegistry $registry.Address $registry.Pid) { break }
            Stop-TestProcess $registry.Pid $folder | Out-Null
            $registry.Pid = 0
        }
        if (-not $registry.Pid) { throw "docker-registry did not start on 127.0.0.1; its log: $(Get-Content $registry.Log -Tail 5 -ErrorAction SilentlyContinue)" }
        if ($Htpasswd) {
            $registry.DockerConfig = "$folder/docker"
            New-Item -ItemType Directory -Path $registry.DockerConfig | Out-Null
            [IO.File]::SetUnixFileMode($registry.DockerConfig, 'UserRead, UserWrite, UserExecute')
            $output = $password | & docker --config $registry.DockerConfig login $registry.Address --username $registry.Credential.UserName --password-stdin 2>&1
            if ($LASTEXITCODE -ne 0) { throw "docker login to the test registry failed: $output" }
        }
        Save-TestRegistryState $registry
        $registry
    }
    catch {
        Stop-TestRegistry $registry
        throw
    }
}

function Save-TestRegistryState($Registry) {
    $Registry | Select-Object Address, Port, Pid, Folder, Images, OwnerPid, OwnerStartTick | ConvertTo-Json | Set-Content (Join-Path $Registry.Folder 'state.json')
}

function Set-TestPrivateFile([string] $Path, [string] $Content) {
    [IO.File]::WriteAllText($Path, '')
    [IO.File]::SetUnixFileMode($Path, 'UserRead, UserWrite')
    [IO.File]::WriteAllText($Path, $Content)
}

# Also used by TestNodes.ps1 for the registry processes inside the nodes (same storage, same users).
function New-TestRegistryConfig([string] $Folder, [string] $ListenAddress, [switch] $Htpasswd) {
    # No blob descriptor cache: several registry processes share this storage, and an in-memory
    # cache in one would not see a delete made through another.
    $auth = if ($Htpasswd) { "auth:`n  htpasswd:`n    realm: datamancy-test`n    path: $Folder/htpasswd`n" } else { '' }
    @"
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $Folder/storage
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $ListenAddress
  secret: $([Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(16)))
$auth
"@
}

# Ready when GET /v2/ answers 200 (open) or 401 (htpasswd); $false if the process died first.
function Wait-TestRegistry([string] $Address, [int] $ProcessId, [int] $TimeoutSeconds = 15, [string] $Namespace = '') {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $client = [System.Net.Http.HttpClient]::new()
    $client.Timeout = [TimeSpan]::FromSeconds(2)
    try {
        while ([DateTime]::UtcNow -lt $deadline) {
            if (-not (Get-Process -Id $ProcessId -ErrorAction SilentlyContinue)) { return $false }
            if ($Namespace) {
                # Inside a node's namespace its own loopback is asked, with busybox-free tools: bash's /dev/tcp.
                $status = & /usr/bin/nsenter "--net=/run/netns/$Namespace" /bin/bash -c "exec 3<>/dev/tcp/$($Address.Replace(':', '/')) && printf 'GET /v2/ HTTP/1.0\r\n\r\n' >&3 && head -c 12 <&3" 2>$null
                if ("$status" -match ' (200|401)$') { return $true }
            }
            else {
                try {
                    $response = $client.GetAsync("http://$Address/v2/").GetAwaiter().GetResult()
                    if ([int]$response.StatusCode -in 200, 401) { return $true }
                }
                catch { }
            }
            Start-Sleep -Milliseconds 100
        }
        $false
    }
    finally { $client.Dispose() }
}

# The base image's file tree as a tar, exported once per registry folder.
function Get-TestImageBaseTar($Registry) {
    $path = Join-Path $Registry.Folder 'base.tar'
    if (Test-Path $path) { return $path }
    $container = (& docker create $script:RegistryImageBase 2>&1 | Select-Object -Last 1)
    if ($LASTEXITCODE -ne 0) { throw "docker create from $script:RegistryImageBase failed (build it with tests/env/build-images.sh): $container" }
    try {
        $output = & docker export -o "$path.part" $container 2>&1
        if ($LASTEXITCODE -ne 0) { throw "docker export of $script:RegistryImageBase failed: $output" }
        Move-Item "$path.part" $path
    }
    finally { & docker rm -f $container 2>&1 | Out-Null }
    $path
}

# The files of one test app version, name => (mode, content).
function Get-TestImageFile([string] $Version, [switch] $HealthFails, [switch] $Http500) {
    $executable = [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
    $plain = [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead'
    $files = [ordered]@{
        'app/version' = $plain, $Version
        'serve.sh'    = $executable, @"
#!/bin/sh
# PID 1 of the test app: a shell that stops at once on SIGTERM, which busybox httpd as PID 1 ignores.
# One line on each stream at start, so that tests can read the log (httpd itself writes none).
trap 'kill `$child 2>/dev/null; exit 0' TERM INT
echo 'datamancy test app $Version serving /app on port 80'
echo 'datamancy test app $Version has no TLS' >&2
httpd -f -p 80 -h /app &
child=`$!
wait `$child
"@
        'health.sh'   = $executable, $(if ($HealthFails) { "#!/bin/sh`necho 'this version fails its healthcheck on purpose'`nexit 1`n" }
            else { "#!/bin/sh`nprintf 'GET /version HTTP/1.0\r\n\r\n' | nc 127.0.0.1 80 | head -n 1 | grep -q ' 200 '`n" })
    }
    if ($Http500) {
        $files['app/cgi-bin/index.cgi'] = $executable, "#!/bin/sh`nprintf 'HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\ndatamancy test app $Version fails on purpose\n'`n"
    }
    else {
        $files['app/index.html'] = $plain, "<html><body>datamancy test app $Version</body></html>`n"
    }
    $files
}

function New-TestImageVersion {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Registry,
        [string] $Repository = 'app',
        [string] $Tag = 'latest',
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9._-]+$')][string] $Version,
        [switch] $HealthFails,
        [switch] $Http500
    )
    $files = [ordered]@{ 'app/' = $null; 'app/cgi-bin/' = $null }
    foreach ($file in (Get-TestImageFile $Version -HealthFails:$HealthFails -Http500:$Http500).GetEnumerator()) { $files[$file.Key] = $file.Value }
    $image = Publish-TestImage -Registry $Registry -Repository $Repository -Tag $Tag -Files $files -Change 'ENV PATH=/bin', 'CMD ["/serve.sh"]', 'EXPOSE 80',
        "LABEL io.datamancy.test.version=$Version", 'HEALTHCHECK --interval=1s --timeout=3s --retries=3 CMD ["/health.sh"]'
    $image | Add-Member -NotePropertyName Version -NotePropertyValue $Version -PassThru
}

# The base tree plus $Files, imported as <registry>/<Repository>:<Tag> with the Dockerfile lines
# $Change, and pushed. $Files: name => $null (a folder, name ending in '/'), or (mode, content),
# content a string or a [IO.FileInfo] whose bytes are copied. Returns .Reference, .Digest,
# .PinnedReference, .ImageId, .Repository, .Tag.
function Publish-TestImage {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Registry,
        [Parameter(Mandatory)][string] $Repository,
        [Parameter(Mandatory)][string] $Tag,
        [Parameter(Mandatory)][Collections.IDictionary] $Files,
        [string[]] $Change = @()
    )
    $reference = "$($Registry.Address)/$($Repository):$Tag"
    # One `docker import` of the base tree plus the files: one layer, one call, about three times
    # faster than docker build or create+cp+commit on this machine.
    $tar = Join-Path $Registry.Folder "image-$([guid]::NewGuid().ToString('N')).tar"
    try {
        $base = [IO.File]::OpenRead((Get-TestImageBaseTar $Registry))
        $out = [IO.File]::Create($tar)
        try {
            $reader = [System.Formats.Tar.TarReader]::new($base)
            $writer = [System.Formats.Tar.TarWriter]::new($out, [System.Formats.Tar.TarEntryFormat]::Pax, $false)
            while ($entry = $reader.GetNextEntry($true)) { $writer.WriteEntry($entry) }
            foreach ($name in $Files.Keys) {
                if ($null -eq $Files[$name]) {
                    $entry = [System.Formats.Tar.PaxTarEntry]::new([System.Formats.Tar.TarEntryType]::Directory, $name)
                    $entry.Mode = 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
                    $writer.WriteEntry($entry)
                    continue
                }
                $mode, $content = $Files[$name]
                $entry = [System.Formats.Tar.PaxTarEntry]::new([System.Formats.Tar.TarEntryType]::RegularFile, $name)
                $entry.Mode = $mode
                $entry.DataStream = if ($content -is [IO.FileInfo]) { $content.OpenRead() } else { [IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes($content)) }
                try { $writer.WriteEntry($entry) } finally { $entry.DataStream.Dispose() }
            }
            $writer.Dispose()
        }
        finally { $out.Dispose(); $base.Dispose() }
        $changes = foreach ($line in $Change) { '-c'; $line }
        $output = & docker import @changes $tar $reference 2>&1
        if ($LASTEXITCODE -ne 0) { throw "docker import of $reference failed: $output" }
    }
    finally { Remove-Item $tar -ErrorAction SilentlyContinue }
    $imageId = "$output".Trim()
    $Registry.Images.Add($imageId)
    # Recorded at once, so that the clean-up after a killed run removes this image too.
    Save-TestRegistryState $Registry
    $configArgs = if ($Registry.DockerConfig) { @('--config', $Registry.DockerConfig) } else { @() }
    $output = & docker @configArgs push $reference 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker push of $reference failed: $output" }
    $digest = (& docker image inspect --format '{{json .RepoDigests}}' $reference | ConvertFrom-Json) |
        Where-Object { $_ -like "$($Registry.Address)/$Repository@*" } | Select-Object -First 1
    if (-not $digest) { throw "docker push of $reference left no RepoDigest for $($Registry.Address)/$Repository." }
    [pscustomobject]@{
        Reference       = $reference
        Repository      = $Repository
        Tag             = $Tag
        Digest          = $digest.Split('@')[1]
        PinnedReference = $digest
        ImageId         = $imageId
    }
}

function Stop-TestRegistry($Registry) {
    if (-not $Registry -or -not $Registry.Folder) { return }
    Stop-TestProcess $Registry.Pid $Registry.Folder | Out-Null
    # The images New-TestImageVersion built, with every tag and digest of this registry's address.
    $ids = @($Registry.Images | Select-Object -Unique)
    if ($ids -and $Registry.Address) {
        $references = foreach ($line in & docker image ls --digests --format '{{.Repository}} {{.Tag}} {{.Digest}}' 2>$null) {
            $repository, $tag, $digest = $line.Split(' ')
            if ($repository -notlike "$($Registry.Address)/*") { continue }
            if ($tag -ne '<none>') { "$($repository):$tag" }
            if ($digest -ne '<none>') { "$repository@$digest" }
        }
        if ($references) { & docker image rm $references 2>$null | Out-Null }
        & docker image rm $ids 2>$null | Out-Null
    }
    Remove-TestFolder $Registry.Folder
}
