# Runs the Pester suite in this (fresh) pwsh against the built module; exits non-zero on any failure.
# The failures are repeated at the end, so that the tail of a long CI log names them.
$ErrorActionPreference = 'Stop'
if (-not $env:DATAMANCY_PESTER -or -not (Test-Path $env:DATAMANCY_PESTER)) {
    throw 'Pester is missing: run ./build.ps1 -Task Test, which restores it from NuGet (build/TestDependencies.csproj).'
}
Import-Module $env:DATAMANCY_PESTER -MinimumVersion 5.7.1
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $false
$configuration.Should.ErrorAction = 'Continue'
$result = Invoke-Pester -Configuration $configuration
$failed = @($result.Failed) + @($result.FailedBlocks) + @($result.FailedContainers)
if ($failed.Count -eq 0 -and $result.Result -eq 'Passed') { exit 0 }
Write-Host "`n$($failed.Count) failed:"
foreach ($item in $failed) {
    $name = if ($item.PSObject.Properties['ExpandedPath']) { $item.ExpandedPath } else { $item.Item }
    Write-Host "- $name"
    foreach ($record in $item.ErrorRecord) { Write-Host "    $($record.Exception.Message)" }
    if ($item.PSObject.Properties['ScriptBlock'] -and $item.ScriptBlock) {
        Write-Host "    at $($item.ScriptBlock.File):$($item.ScriptBlock.StartPosition.StartLine)"
    }
}
exit 1
