# The status row of the benchmark: Get-DatamancyStatus on a running 36-service stack (the 33 of
# bench/New-BenchStack.ps1 and three one-shot jobs, as in the bundled stack), warm, against what an
# admin does by hand for the same answer: docker ps and docker inspect for the project, then reading last_pass.json
# and the backup records with ConvertFrom-Json (no hashing, so the peer does less than we do).
param([Parameter(Mandatory)][scriptblock] $AddRow, [string] $Image = 'datamancy-test/busybox:1')

$ErrorActionPreference = 'Stop'
$root = Join-Path ([IO.Path]::GetTempPath()) "dm-statusbench-$PID"
$project = "dmbenchstatus$PID"
& (Join-Path $PSScriptRoot 'New-BenchStack.ps1') -Path $root -Project $project -Image $Image
$jobs = foreach ($name in 'indexer', 'sitebuild', 'runner') {
    "  ${name}:`n    image: $Image`n    profiles: [tools]`n    restart: `"no`"`n    cap_drop: [ALL]`n    command: [`"true`"]`n"
}
# New-BenchStack ends with the services mapping, so the jobs are appended to it. Its healthchecks
# run every second, for the start rows; 33 of them keep both cores of a small host busy and slow
# every engine call, which measures the host, not the status. Every 5 s here (the bundled stack:
# every 30 s).
$compose = Join-Path $root 'docker-compose.yml'
Set-Content $compose (((Get-Content -Raw $compose) -replace 'interval: 1s', 'interval: 5s') + ($jobs -join '')) -NoNewline

. (Join-Path $PSScriptRoot 'Timing.ps1')
. (Join-Path $PSScriptRoot '../build/DockerProject.ps1')

function Read-ByHand([string] $Stack, [string] $Project) {
    # docker inspect for the start times and restart counts that docker ps does not give.
    $containers = docker inspect @(docker ps -aq --filter "label=com.docker.compose.project=$Project") | ConvertFrom-Json
    $passes = foreach ($file in Get-ChildItem (Join-Path $Stack 'data/tests') -Filter last_pass.json -Recurse -ErrorAction Ignore) { Get-Content -Raw $file.FullName | ConvertFrom-Json }
    $backups = foreach ($file in Get-ChildItem (Join-Path $Stack 'data/backup-status') -Filter last_backup.json -Recurse -ErrorAction Ignore) { Get-Content -Raw $file.FullName | ConvertFrom-Json }
    [pscustomobject]@{ Containers = @($containers).Count; Passes = @($passes).Count; Backups = @($backups).Count }
}

try {
    $started = Start-DatamancyProfile -Path $root -Name '*' -Timeout 180
    if ($started.Succeeded -contains $false) { throw 'The status bench stack did not start.' }
    Test-DatamancyService -Path $root -Summary | Out-Null   # writes last_pass.json for the services that pass
    $status = Get-DatamancyStatus -Path $root               # warm-up: JIT and first file reads
    if ($status.Count -ne 36) { throw "Get-DatamancyStatus gave $($status.Count) services, not 36." }
    $hand = Read-ByHand $root $project
    if ($hand.Containers -ne 36) { throw "docker ps listed $($hand.Containers) containers, not 36." }
    $oursTimes = [Collections.Generic.List[double]]::new()
    $peerTimes = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt 7; $i++) {
        $oursTimes.Add((Measure-Seconds { Get-DatamancyStatus -Path $root }))
        $peerTimes.Add((Measure-Seconds { Read-ByHand $root $project }))
    }
    $ours = Get-Median $oursTimes
    & $AddRow 'Status of 36 services, warm (list + inspects + files)' $ours (Get-Median $peerTimes) 'docker ps + inspect, last_pass.json and backup records by hand' '< 0.200 s' ($ours -lt 0.2)
}
finally {
    Remove-DockerProject $project
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
