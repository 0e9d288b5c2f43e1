# The engine rows of the benchmark: a 33-service stack (bench/New-BenchStack.ps1) brought up, re-started,
# listed and removed by Datamancy and by Debian's docker-compose 1.29.2, in the same run, one after the other.
param([Parameter(Mandatory)][scriptblock] $AddRow, [string] $Image = 'datamancy-test/busybox:1')

$ErrorActionPreference = 'Stop'
$root = Join-Path ([IO.Path]::GetTempPath()) "dm-enginebench-$PID"
$ours = Join-Path $root 'ours'
$peer = Join-Path $root 'peer'
& (Join-Path $PSScriptRoot 'New-BenchStack.ps1') -Path $ours -Project "dmbenchours$PID" -Image $Image
& (Join-Path $PSScriptRoot 'New-BenchStack.ps1') -Path $peer -Project "dmbenchpeer$PID" -Image $Image

. (Join-Path $PSScriptRoot 'Timing.ps1')
. (Join-Path $PSScriptRoot '../build/DockerProject.ps1')

function Wait-AllHealthy([string] $Project, [int] $Count) {
    $deadline = [DateTime]::UtcNow.AddMinutes(3)
    while ((@(docker ps -q --filter "label=com.docker.compose.project=$Project" --filter health=healthy)).Count -lt $Count) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "$Project did not become healthy within 3 minutes." }
        Start-Sleep -Milliseconds 100
    }
}

$compose = @('--project-directory', $peer, '-f', (Join-Path $peer 'docker-compose.yml'))
try {
    # The floor: one container from run to healthy, five times over for the chain of five.
    $single = Measure-Seconds {
        $id = docker run -d --init --health-cmd 'wget -q -O /dev/null http://127.0.0.1:8080/' --health-interval 1s --health-timeout 1s --health-retries 3 $Image httpd -f -p 8080 -h /www
        while ((docker inspect --format '{{.State.Health.Status}}' $id) -ne 'healthy') { Start-Sleep -Milliseconds 50 }
        docker rm -f $id | Out-Null
    }
    $critical = 5 * $single

    $oursCold = Measure-Seconds { $r = Start-DatamancyProfile -Path $ours -Name '*' -Timeout 180; if ($r.Succeeded -contains $false) { throw 'Datamancy cold start failed.' } }
    $oursNoop = Measure-Seconds { Start-DatamancyProfile -Path $ours -Name '*' }
    Get-DatamancyService -Path $ours | Out-Null
    $oursList = Measure-Median { if ((Get-DatamancyService -Path $ours).Count -ne 33) { throw 'list' } }
    $oursDown = Measure-Seconds { Stop-DatamancyProfile -Path $ours -Name '*' -Remove }

    $peerCold = Measure-Seconds { docker-compose @compose up -d 2>$null; Wait-AllHealthy "dmbenchpeer$PID" 33 }
    $peerNoop = Measure-Seconds { docker-compose @compose up -d 2>$null }
    $peerList = Measure-Median { docker-compose @compose ps 2>$null }
    $peerDown = Measure-Seconds { docker-compose @compose down 2>$null }

    & $AddRow 'Cold start to all healthy (33 services)' $oursCold $peerCold 'docker-compose up -d + wait healthy' ('<= {0:N1} s (1.3 x critical path {1:N1} s)' -f (1.3 * $critical), $critical) ($oursCold -le 1.3 * $critical)
    & $AddRow 'No-op second start (33 services)' $oursNoop $peerNoop 'docker-compose up -d' '< 0.500 s' ($oursNoop -lt 0.5)
    & $AddRow 'List 33 services with live state' $oursList $peerList 'docker-compose ps' '< 0.100 s' ($oursList -lt 0.1)
    & $AddRow 'Stop and remove (33 services)' $oursDown $peerDown 'docker-compose down' 'faster than peer' ($oursDown -lt $peerDown)
}
finally {
    foreach ($project in "dmbenchours$PID", "dmbenchpeer$PID") {
        Remove-DockerProject $project
    }
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
