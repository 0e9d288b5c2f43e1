<#
.SYNOPSIS
    Datamancy's benchmarks, each side by side with the peer it is judged against, in one run.
.DESCRIPTION
    Prints one table row per benchmark: the median of several runs for Datamancy and for the peer,
    the target, and whether it was met. Runs are alternated so that machine noise hits both sides.
#>
param(
    [Parameter(Mandatory)][string] $Module,
    [ValidateRange(3, 50)][int] $Runs = 11
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../build/FreshPwsh.ps1')
. (Join-Path $PSScriptRoot 'Timing.ps1')
$pwsh = Get-FreshPwshCommand
$rows = [System.Collections.Generic.List[object]]::new()

function Add-Row($Name, $Ours, $Peer, $PeerName, $Target, [bool] $Met) {
    $rows.Add([pscustomobject]@{
            Benchmark  = $Name
            Datamancy  = '{0:N3} s' -f $Ours
            Peer       = if ($null -eq $Peer) { 'n/a' } else { '{0:N3} s' -f $Peer }
            'Peer tool' = $PeerName
            Target     = $Target
            Met        = if ($Met) { 'yes' } else { 'NO' }
        })
}

# 1. Import-Module cost on top of a bare pwsh -NoProfile start, beside the same cost for an empty
# manifest module: PowerShell's own floor for any Import-Module in a fresh process.
$empty = Join-Path ([IO.Path]::GetTempPath()) "dm-emptymodule-$PID"
New-Item -ItemType Directory -Path $empty -Force | Out-Null
Set-Content (Join-Path $empty 'Empty.psd1') "@{ ModuleVersion = '1.0'; GUID = '$([guid]::NewGuid())'; CmdletsToExport = @() }"
$bare = [Collections.Generic.List[double]]::new()
$import = [Collections.Generic.List[double]]::new()
$floor = [Collections.Generic.List[double]]::new()
try {
    for ($i = 0; $i -lt $Runs; $i++) {
        $bare.Add((Measure-Seconds { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command 'exit' }))
        $import.Add((Measure-Seconds { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$Module'; exit" }))
        $floor.Add((Measure-Seconds { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$(Join-Path $empty 'Empty.psd1')'; exit" }))
    }
}
finally {
    Remove-Item $empty -Recurse -Force
}
$bareMedian = Get-Median $bare
$added = (Get-Median $import) - $bareMedian
Add-Row 'Import-Module (added to pwsh start)' $added ((Get-Median $floor) - $bareMedian) 'an empty manifest module (added to the same start)' '< 0.150 s added' ($added -lt 0.15)

# 2. Listing the bundled stack's services from the compose file (static view), inside pwsh.
Import-Module $Module
$stack = Join-Path ([IO.Path]::GetTempPath()) "dm-bench-$PID"
try {
    New-DatamancyStack -Path $stack | Out-Null
    Get-DatamancyService -Path $stack | Out-Null   # warm-up: JIT and first file reads
    $ours = Measure-Median { Get-DatamancyService -Path $stack } -Runs $Runs
    $peer = $null
    if (Get-Command docker-compose -ErrorAction Ignore) {
        $peer = Measure-Median { docker-compose --project-directory $stack -f (Join-Path $stack "docker-compose.yml") config --services } -Runs $Runs
    }
    Add-Row 'List 36 services from the compose file' $ours $peer 'docker-compose 1.29.2 config --services' 'faster than peer' ($null -eq $peer -or $ours -lt $peer)
}
finally {
    Remove-Item $stack -Recurse -Force -ErrorAction SilentlyContinue
}

# 3. ConfigHash against coreutils and openssl, on data generated for the run.
& (Join-Path $PSScriptRoot 'FingerprintBench.ps1') -AddRow ${function:Add-Row}

# 4. The engine and backup rows, when the test engine answers (build.ps1 -Task Bench starts it).
if (Test-Path /var/run/docker.sock) {
    & (Join-Path $PSScriptRoot 'EngineBench.ps1') -AddRow ${function:Add-Row}
    & (Join-Path $PSScriptRoot 'BackupBench.ps1') -AddRow ${function:Add-Row}
    & (Join-Path $PSScriptRoot 'RecoveryBench.ps1') -AddRow ${function:Add-Row}
    & (Join-Path $PSScriptRoot 'UpdateBench.ps1') -AddRow ${function:Add-Row}
    & (Join-Path $PSScriptRoot 'StatusBench.ps1') -AddRow ${function:Add-Row}
    & (Join-Path $PSScriptRoot 'SwarmBench.ps1') -AddRow ${function:Add-Row}
}
else {
    Write-Warning 'No Docker engine: the engine and backup rows are left out.'
}

$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
if ($rows.Met -contains 'NO') {
    Write-Warning 'At least one benchmark missed its target.'
}
