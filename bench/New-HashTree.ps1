<#
.SYNOPSIS
    Writes the ConfigHash benchmark's stack: 12 services whose config folders hold 10,000 files of
    about 280 MB in all, in nested folders, with random contents (so no file hashes like another).
#>
param(
    [Parameter(Mandatory)][string] $Path,
    [int] $Services = 12,
    [int] $Files = 10000,
    [long] $TotalBytes = 280MB
)

$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Path $Path -Force | Out-Null
$random = [Random]::new(4)
$names = 1..$Services | ForEach-Object { 'svc{0:D2}' -f $_ }
$compose = @('services:') + ($names | ForEach-Object { "  ${_}:`n    image: datamancy-test/busybox:1" })
Set-Content -Path (Join-Path $Path 'docker-compose.yml') -Value ($compose -join "`n")
# Sizes spread from a few bytes to ~2x the mean, scaled so that they add up to TotalBytes.
$weights = 1..$Files | ForEach-Object { $random.NextDouble() * $random.NextDouble() * 4 }
$scale = $TotalBytes / ($weights | Measure-Object -Sum).Sum
# One random pool, each file a slice at its own offset: contents differ without generating 280 MB of randomness.
$pool = [byte[]]::new(64MB)
$random.NextBytes($pool)
foreach ($service in $names) { foreach ($d in 0..6) { foreach ($e in 0..4) { [IO.Directory]::CreateDirectory((Join-Path $Path "$service/d$d/e$e")) | Out-Null } } }
for ($i = 0; $i -lt $Files; $i++) {
    $folder = Join-Path $Path "$($names[$i % $Services])/d$($i % 7)/e$($i % 5)"
    $size = [Math]::Min([int][Math]::Max(1, $weights[$i] * $scale), 4MB)
    $stream = [IO.File]::Create((Join-Path $folder "file $i.conf"))
    try { $stream.Write($pool, $random.Next(0, $pool.Length - $size), $size) } finally { $stream.Dispose() }
}
$names
