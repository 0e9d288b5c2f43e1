# The ConfigHash rows of the benchmark, each side by side with its peer in the same run, runs alternated:
# - 10,000 files (~280 MB) in 12 service folders: Get-DatamancyFingerprint against the coreutils
#   pipeline that defines ConfigHash, run in each folder (same hashes, checked);
# - one 1 GiB file: Get-DatamancyFingerprint against openssl dgst -sha256 (same digest, checked).
# The data is generated in a temporary folder, read once before timing (so both sides read from the
# file cache), and removed.
param([Parameter(Mandatory)][scriptblock] $AddRow, [ValidateRange(3, 50)][int] $Runs = 5)

$ErrorActionPreference = 'Stop'
$root = Join-Path ([IO.Path]::GetTempPath()) "dm-hashbench-$PID"

. (Join-Path $PSScriptRoot 'Timing.ps1')

function Invoke-Pipeline([string] $Folder) {
    $out = bash -c 'cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum' _ $Folder
    'sha256:' + ($out -split ' ')[0]
}

try {
    # 1. The tree.
    $tree = Join-Path $root 'tree'
    $services = & (Join-Path $PSScriptRoot 'New-HashTree.ps1') -Path $tree
    $ours = Get-DatamancyFingerprint -Path $tree -WarningAction SilentlyContinue
    $peer = $services | ForEach-Object { Invoke-Pipeline (Join-Path $tree $_) }
    if ((@($ours.ConfigHash) -join ',') -ne ($peer -join ',')) { throw 'ConfigHash differs from the coreutils pipeline on the benchmark tree.' }
    $oursTimes = [Collections.Generic.List[double]]::new()
    $peerTimes = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Runs; $i++) {
        $oursTimes.Add((Measure-Seconds { Get-DatamancyFingerprint -Path $tree -WarningAction SilentlyContinue }))
        $peerTimes.Add((Measure-Seconds { bash -c 'for s in "$@"; do (cd "$s" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum); done' _ @($services | ForEach-Object { Join-Path $tree $_ }) }))
    }
    $oursMedian = Get-Median $oursTimes
    $peerMedian = Get-Median $peerTimes
    & $AddRow 'ConfigHash: 10,000 files, 280 MB, 12 services' $oursMedian $peerMedian 'find | sort -z | xargs sha256sum | sha256sum' ('>= 3x faster (here {0:N1}x)' -f ($peerMedian / $oursMedian)) ($peerMedian / $oursMedian -ge 3)
    Remove-Item $tree -Recurse -Force

    # 2. One 1 GiB file.
    $big = Join-Path $root 'big'
    New-Item -ItemType Directory -Path (Join-Path $big 'blob') -Force | Out-Null
    Set-Content (Join-Path $big 'docker-compose.yml') "services:`n  blob:`n    image: datamancy-test/busybox:1`n"
    $file = Join-Path $big 'blob/one-gib.bin'
    $chunk = [byte[]]::new(64MB)
    [Random]::new(5).NextBytes($chunk)
    $stream = [IO.File]::Create($file)
    try { for ($i = 0; $i -lt 16; $i++) { $chunk[0] = [byte]$i; $stream.Write($chunk, 0, $chunk.Length) } } finally { $stream.Dispose() }
    $digest = ((openssl dgst -sha256 -r $file) -split ' ')[0]
    $expected = 'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes("$digest  ./one-gib.bin`n"))).ToLowerInvariant()
    if ((Get-DatamancyFingerprint -Path $big -WarningAction SilentlyContinue).ConfigHash -ne $expected) { throw 'ConfigHash of the 1 GiB file does not match openssl dgst.' }
    $oursTimes.Clear(); $peerTimes.Clear()
    for ($i = 0; $i -lt $Runs; $i++) {
        $oursTimes.Add((Measure-Seconds { Get-DatamancyFingerprint -Path $big -WarningAction SilentlyContinue }))
        $peerTimes.Add((Measure-Seconds { openssl dgst -sha256 $file }))
    }
    $oursMedian = Get-Median $oursTimes
    $peerMedian = Get-Median $peerTimes
    $ratio = $peerMedian / $oursMedian
    & $AddRow 'SHA-256 of one 1 GiB file (ConfigHash)' $oursMedian $peerMedian 'openssl dgst -sha256' ('>= 0.8x its throughput (here {0:N2}x, {1:N0} MB/s)' -f $ratio, (1024 / $oursMedian)) ($ratio -ge 0.8)
}
finally {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
