# The image rows of the benchmark, against Debian's docker-compose 1.29.2 on the same registry
# (Debian's docker-registry on loopback, tests/env/TestRegistry.ps1) in the same run:
# - Update-DatamancyService of 10 services (pull, recreate in dependency order, wait healthy, run
#   their checks) against `docker-compose pull && docker-compose up -d` of the same 10 (no checks);
# - pulling the 10 images, as a -Pull Always start that finds nothing to change, against
#   `docker-compose pull`.
# Each side has a project of its own from the same compose file. Before each timed run a new version
# of every image is pushed and its tag removed from the engine, so that each side pulls it; the
# sides alternate, and the median of -Runs rounds is reported.
param([Parameter(Mandatory)][scriptblock] $AddRow, [ValidateRange(1, 9)][int] $Runs = 3)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Timing.ps1')
. (Join-Path $PSScriptRoot '../build/DockerProject.ps1')
. (Join-Path $PSScriptRoot '../tests/env/TestRegistry.ps1')

$root = Join-Path ([IO.Path]::GetTempPath()) "dm-updatebench-$PID"
$services = 0..9 | ForEach-Object { "app$_" }
$registry = Start-TestRegistry
$version = 0

# Pushes a new version of all ten images and untags it locally, so the next pull fetches it.
function Publish-Version {
    $script:version++
    foreach ($service in $services) {
        $image = New-TestImageVersion -Registry $registry -Repository $service -Tag 1 -Version "v$script:version"
        docker image rm $image.Reference 2>&1 | Out-Null
    }
}

# Ten services from the registry, a database-like first level and the rest on it, each with its healthcheck.
function New-UpdateStack([string] $Path, [string] $Project) {
    New-Item -ItemType Directory -Path $Path -Force | Out-Null
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('services:')
    foreach ($service in $services) {
        $lines.Add("  $($service):")
        $lines.Add("    image: $($registry.Address)/$($service):1")
        $lines.Add('    init: true')
        $lines.Add('    stop_grace_period: 2s')
        $lines.Add('    healthcheck: {test: ["CMD", "/health.sh"], interval: 1s, timeout: 3s, retries: 3}')
        if ($service -ne 'app0' -and $service -ne 'app1') {
            $lines.Add("    depends_on: {$(if ([int]$service.Substring(3) % 2) { 'app1' } else { 'app0' }): {condition: service_healthy}}")
        }
    }
    Set-Content (Join-Path $Path 'docker-compose.yml') ($lines -join "`n")
    Set-Content (Join-Path $Path '.env') "COMPOSE_PROJECT_NAME=$Project`n"
}

$ours = Join-Path $root 'ours'
$peer = Join-Path $root 'peer'
$oursProject = "dmupdbenchours$PID"
$peerProject = "dmupdbenchpeer$PID"
$compose = @('-p', $peerProject, '--project-directory', $peer, '-f', (Join-Path $peer 'docker-compose.yml'))
try {
    New-UpdateStack $ours $oursProject
    New-UpdateStack $peer $peerProject
    Publish-Version
    $started = Start-DatamancyProfile -Path $ours -Name '*' -Timeout 180
    if ($started.Succeeded -contains $false) { throw 'The update bench stack did not start.' }
    docker-compose @compose up -d 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'docker-compose could not start the update bench stack.' }

    $oursUpdate = [Collections.Generic.List[double]]::new()
    $peerUpdate = [Collections.Generic.List[double]]::new()
    $oursPull = [Collections.Generic.List[double]]::new()
    $peerPull = [Collections.Generic.List[double]]::new()
    for ($run = 0; $run -lt $Runs; $run++) {
        Publish-Version
        $oursUpdate.Add((Measure-Seconds {
                    $results = Update-DatamancyService -Path $ours -Timeout 180 -Confirm:$false
                    if (@($results | Where-Object Status -ne Updated).Count) { throw "Update-DatamancyService did not update all ten: $($results | Out-String)" }
                }))
        # The pull alone, right after each side's update so that its containers run what the registry
        # serves (the other side's update pushes a newer version); the tags are removed first.
        foreach ($service in $services) { docker image rm "$($registry.Address)/$($service):1" 2>&1 | Out-Null }
        $oursPull.Add((Measure-Seconds {
                    $results = Start-DatamancyProfile -Path $ours -Name '*' -Pull Always -Confirm:$false
                    if (@($results | Where-Object Action -ne Unchanged).Count) { throw "The -Pull Always start changed a service: $($results | Out-String)" }
                }))
        Publish-Version
        $peerUpdate.Add((Measure-Seconds {
                    docker-compose @compose pull -q 2>&1 | Out-Null
                    if ($LASTEXITCODE -ne 0) { throw 'docker-compose pull failed.' }
                    docker-compose @compose up -d 2>&1 | Out-Null
                    if ($LASTEXITCODE -ne 0) { throw 'docker-compose up -d failed.' }
                }))
        foreach ($service in $services) { docker image rm "$($registry.Address)/$($service):1" 2>&1 | Out-Null }
        $peerPull.Add((Measure-Seconds { docker-compose @compose pull -q 2>&1 | Out-Null }))
    }

    $ourUpdate = Get-Median $oursUpdate
    $theirUpdate = Get-Median $peerUpdate
    & $AddRow 'Update 10 services, with their checks' $ourUpdate $theirUpdate 'docker-compose pull && up -d (no checks)' ('<= {0:N1} s (1.3 x peer)' -f (1.3 * $theirUpdate)) ($ourUpdate -le 1.3 * $theirUpdate)
    $ourPull = Get-Median $oursPull
    $theirPull = Get-Median $peerPull
    & $AddRow 'Pull 10 images in parallel (-Pull Always start, nothing to change)' $ourPull $theirPull 'docker-compose pull' 'faster than peer' ($ourPull -lt $theirPull)
}
finally {
    Remove-DockerProject $oursProject
    Remove-DockerProject $peerProject
    Stop-TestRegistry $registry
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
