# The swarm row of the benchmark: the 33-service bench stack (bench/New-BenchStack.ps1) deployed on a
# real two-node swarm (tests/env/TestNodes.ps1, its image in the test registry so both nodes pull it),
# timed until every task runs healthy (a swarm task with a healthcheck is "running" only once
# healthy), against `docker stack deploy` of the same services to the same point.
# - Datamancy: Start-DatamancyProfile -Orchestrator Swarm over every profile, which keeps the
#   depends_on order (each service waits for its dependencies' tasks) and pins each image to its digest.
# - Peer: `docker stack deploy --detach=true` of the same compose file exported for it (version 3.8,
#   no profiles, short depends_on, which it ignores; dnsrr and the same placement constraints), then
#   `docker service ls` every 500 ms until every service has its desired tasks running.
# - Ordered peer: the floor that keeping the depends_on order costs with the peer's own tool. One
#   `docker stack deploy` per depth of the depends_on graph, each file holding the services of depth
#   <= k (so it adds the next wave and leaves the others), then the same polling until that wave runs.
# Four datastores keep a named volume, so both sides pin them: a node label per service
# (Set-DatamancyNode), two on each node. Between runs (not timed) the stack is removed with its
# volumes and its tasks and networks waited out on both nodes. Sides alternate; medians of -Runs.
# Alone (as root, with the engine and tests/env/build-images.sh's image):
#   dotnet pwsh bench/SwarmBench.ps1 -Module out/Datamancy/Datamancy.psd1 [-Runs 3]
param(
    # How Invoke-Bench.ps1 takes the row; alone, the row is written out.
    [scriptblock] $AddRow = { param($Name, $Ours, $Peer, $PeerName, $Target, $Met) [pscustomobject]@{ Benchmark = $Name; Datamancy = $Ours; Peer = $Peer; 'Peer tool' = $PeerName; Target = $Target; Met = $Met } },
    # The built module to import (Invoke-Bench.ps1 has imported it already).
    [string] $Module,
    [ValidateRange(1, 9)][int] $Runs = 3,
    # The bench stack checks every second, for the Compose start rows; 33 checks a second on 2 cores
    # that also run two dockerd and their registries measure the host (see StatusBench.ps1).
    [ValidatePattern('^\d+s$')][string] $HealthInterval = '2s',
    [string] $Image = 'datamancy-test/busybox:1'
)

$ErrorActionPreference = 'Stop'
if ($Module) { Import-Module (Resolve-Path $Module).Path }
. (Join-Path $PSScriptRoot 'Timing.ps1')
. (Join-Path $PSScriptRoot '../tests/env/TestNodes.ps1')

$id = [guid]::NewGuid().ToString('N').Substring(0, 6)
$root = Join-Path ([IO.Path]::GetTempPath()) "dm-swarmbench-$id"
$oursProject = "dmswbours$id"
$peerProject = "dmswbpeer$id"
$orderedProject = "dmswbord$id"
# Pinned datastore -> node index (1 = manager).
$pinned = [ordered]@{ sql = 1; pg1 = 1; docs = 2; pg2 = 2 }

# Adds the volumes and, for the peer, the swarm keys to New-BenchStack's file.
# -Drop: services left out (the ordered peer's later waves).
function ConvertTo-SwarmBenchFile([string[]] $Lines, [switch] $Peer, [string[]] $Drop) {
    $out = [Collections.Generic.List[string]]::new()
    if ($Peer) { $out.Add('version: "3.8"') }
    $service = $null
    foreach ($line in $Lines) {
        if ($line -match '^  ([a-z0-9]+):$') { $service = $Matches[1] }
        if ($service -and $Drop -contains $service) { continue }
        if ($Peer -and $line -match '^    profiles:') { continue }
        if ($Peer -and $line -match '^      ([a-z0-9]+): \{condition: service_healthy\}$') { $out.Add("      - $($Matches[1])"); continue }
        $out.Add(($line -replace 'interval: 1s', "interval: $HealthInterval"))
        if ($Peer -and $line -eq '  stop_grace_period: 5s') { $out.Add('  deploy: {endpoint_mode: dnsrr}') }
        if ($line -eq '    <<: *base' -and $pinned.Contains($service)) {
            $out.Add("    volumes: [$service-data:/data]")
            if ($Peer) { $out.Add("    deploy: {endpoint_mode: dnsrr, placement: {constraints: [node.labels.datamancy.$service==true]}}") }
        }
    }
    $out.Add('volumes:')
    foreach ($name in $pinned.Keys) { $out.Add("  $name-data: {}") }
    $out
}

# Service -> its depth in New-BenchStack's depends_on graph (0: no dependencies).
function Get-BenchServiceDepth([string[]] $Lines) {
    $deps = [ordered]@{}
    foreach ($line in $Lines | Select-Object -Skip ([array]::IndexOf($Lines, 'services:'))) {
        if ($line -match '^  ([a-z0-9]+):$') { $service = $Matches[1]; $deps[$service] = @() }
        if ($line -match '^      ([a-z0-9]+): \{condition: service_healthy\}$') { $deps[$service] += $Matches[1] }
    }
    $depth = [ordered]@{}
    while ($depth.Count -lt $deps.Count) {
        foreach ($name in @($deps.Keys | Where-Object { -not $depth.Contains($_) -and -not @($deps[$_] | Where-Object { -not $depth.Contains($_) }) })) {
            $depth[$name] = 1 + (@($deps[$name] | ForEach-Object { $depth[$_] }) + -1 | Measure-Object -Maximum).Maximum
        }
    }
    $depth
}

# `docker stack deploy` of a file, then until the stack's $Count services run.
function Invoke-StackDeploy([string] $File, [string] $Stack, [int] $Count = 33) {
    $output = & docker -H $nodes.Manager.Socket stack deploy --detach=true -c $File $Stack 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker stack deploy failed: $output" }
    Wait-StackRunning $Stack -Count $Count
}

function Get-StackServiceReplicas([string] $Stack) {
    @(Invoke-TestNodeDocker $nodes.Manager service ls --filter "label=com.docker.stack.namespace=$Stack" --format '{{.Replicas}}') | Where-Object { $_ }
}

# Until all $Count services have their desired tasks running ("1/1").
function Wait-StackRunning([string] $Stack, [int] $Seconds = 300, [int] $Count = 33) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ($true) {
        $replicas = @(Get-StackServiceReplicas $Stack)
        $running = @($replicas | Where-Object { $_ -match '^(\d+)/\1\b' })
        if ($replicas.Count -eq $Count -and $running.Count -eq $Count) { return }
        if ([DateTime]::UtcNow -ge $deadline) { throw "Stack $Stack`: $($running.Count) of $Count services running after $Seconds s ($($replicas -join ' '))." }
        Start-Sleep -Milliseconds 500
    }
}

# Removes a stack (Datamancy's too: a stack is its namespace label) and waits until its containers,
# networks and volumes are gone on both nodes.
function Remove-SwarmBenchStack([string] $Stack) {
    if (-not $nodes) { return }
    & docker -H $nodes.Manager.Socket stack rm $Stack 2>&1 | Out-Null
    $deadline = [DateTime]::UtcNow.AddSeconds(120)
    while ($true) {
        $left = foreach ($node in $nodes.Nodes) {
            & docker -H $node.Socket ps -aq --filter "label=com.docker.stack.namespace=$Stack" 2>$null
            & docker -H $node.Socket network ls -q --filter "label=com.docker.stack.namespace=$Stack" 2>$null
        }
        if (-not @($left | Where-Object { $_ })) { break }
        if ([DateTime]::UtcNow -ge $deadline) { throw "Stack $Stack was not gone 120 s after docker stack rm." }
        Start-Sleep -Milliseconds 500
    }
    foreach ($node in $nodes.Nodes) {
        $volumes = @(& docker -H $node.Socket volume ls -q --filter "label=com.docker.stack.namespace=$Stack" 2>$null | Where-Object { $_ })
        if ($volumes) { & docker -H $node.Socket volume rm $volumes 2>&1 | Out-Null }
    }
}

$registry = $null
$nodes = $null
$pushed = $null
try {
    $registry = Start-TestRegistry
    $pushed = "$($registry.Address)/bench-busybox:1"
    & docker tag $Image $pushed 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "No image $Image on the engine: build it with tests/env/build-images.sh." }
    $output = & docker push $pushed 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker push $pushed failed: $output" }
    $nodes = Start-TestNode -Count 2 -Swarm -Registry $registry
    # Both sides find the image on the nodes, rather than the first run pulling it for the others.
    foreach ($node in $nodes.Nodes) { Invoke-TestNodeDocker $node pull $pushed | Out-Null }

    $ours = Join-Path $root 'ours'
    & (Join-Path $PSScriptRoot 'New-BenchStack.ps1') -Path $ours -Project $oursProject -Image $pushed
    $generated = Get-Content (Join-Path $ours 'docker-compose.yml')
    Set-Content (Join-Path $ours 'docker-compose.yml') (ConvertTo-SwarmBenchFile $generated)
    $peerFile = Join-Path $root 'peer.yml'
    Set-Content $peerFile (ConvertTo-SwarmBenchFile $generated -Peer)
    $depth = Get-BenchServiceDepth $generated
    $waves = foreach ($k in 0..($depth.Values | Measure-Object -Maximum).Maximum) {
        $file = Join-Path $root "ordered-$k.yml"
        Set-Content $file (ConvertTo-SwarmBenchFile $generated -Peer -Drop @($depth.Keys | Where-Object { $depth[$_] -gt $k }))
        @{ File = $file; Count = @($depth.Values | Where-Object { $_ -le $k }).Count }
    }
    $engine = @{ Path = $ours; DockerHost = $nodes.Manager.Socket }
    foreach ($index in 1, 2) {
        Set-DatamancyNode @engine -Name $nodes.Nodes[$index - 1].Name -Service @($pinned.Keys | Where-Object { $pinned[$_] -eq $index }) | Out-Null
    }

    $oursTimes = [Collections.Generic.List[double]]::new()
    $peerTimes = [Collections.Generic.List[double]]::new()
    $orderedTimes = [Collections.Generic.List[double]]::new()
    for ($run = 0; $run -lt $Runs; $run++) {
        $oursTimes.Add((Measure-Seconds {
                    $results = Start-DatamancyProfile @engine -Name '*' -Orchestrator Swarm -Timeout 300 -Confirm:$false
                    if (@($results).Count -ne 33 -or $results.Succeeded -contains $false) { throw "The swarm deploy of the bench stack failed: $($results | Where-Object { -not $_.Succeeded } | Out-String)" }
                }))
        Wait-StackRunning $oursProject 10   # not timed: the results said so; the peer's measure must agree
        Remove-SwarmBenchStack $oursProject
        $peerTimes.Add((Measure-Seconds { Invoke-StackDeploy $peerFile $peerProject }))
        Remove-SwarmBenchStack $peerProject
        $orderedTimes.Add((Measure-Seconds { foreach ($wave in $waves) { Invoke-StackDeploy $wave.File $orderedProject $wave.Count } }))
        Remove-SwarmBenchStack $orderedProject
        Write-Host ('Swarm bench run {0}: Datamancy {1:N1} s, docker stack deploy {2:N1} s, in {3} depends_on waves {4:N1} s' -f ($run + 1), $oursTimes[-1], $peerTimes[-1], $waves.Count, $orderedTimes[-1])
    }

    $ourMedian = Get-Median $oursTimes
    $peerMedian = Get-Median $peerTimes
    $orderedMedian = Get-Median $orderedTimes
    Write-Host ('Swarm bench medians: Datamancy {0:N1} s, docker stack deploy {1:N1} s, in depends_on waves {2:N1} s' -f $ourMedian, $peerMedian, $orderedMedian)
    $name = "Deploy 33 services on a 2-node swarm, healthy, in depends_on order (checks every $HealthInterval)"
    & $AddRow $name $ourMedian $peerMedian `
        'docker stack deploy (ignores depends_on) + service ls until all run' ('<= {0:N1} s (1.2 x peer)' -f (1.2 * $peerMedian)) ($ourMedian -le 1.2 * $peerMedian)
    & $AddRow "$name, against the peer kept in that order" $ourMedian $orderedMedian `
        "docker stack deploy once per depends_on depth ($($waves.Count) waves) + service ls until each wave runs" ('<= {0:N1} s (1.2 x peer)' -f (1.2 * $orderedMedian)) ($ourMedian -le 1.2 * $orderedMedian)
}
finally {
    foreach ($stack in $oursProject, $peerProject, $orderedProject) { try { Remove-SwarmBenchStack $stack } catch { Write-Warning $_ } }
    Stop-TestNode $nodes
    Stop-TestRegistry $registry
    if ($pushed) { & docker image rm $pushed 2>&1 | Out-Null }
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
