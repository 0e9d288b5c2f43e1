# The README's main job: a stack made from the bundled configs, its profiles and services.
param([Parameter(Mandatory)][string] $Module)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$stack = Join-Path ([IO.Path]::GetTempPath()) "datamancy-show-$PID"
try {
    # A wide page: the tables have more columns than a non-interactive console's 80.
    New-DatamancyStack -Path $stack | Format-Table | Out-String -Width 200 | Out-Host
    Get-DatamancyProfile -Path $stack | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
    Get-DatamancyService -Path $stack | Format-Table | Out-String -Width 200 | Out-Host
}
finally {
    Remove-Item $stack -Recurse -Force -ErrorAction SilentlyContinue
}
