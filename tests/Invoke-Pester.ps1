# Runs the Pester suite in this (fresh) pwsh against the built module; exits non-zero on any failure.
$ErrorActionPreference = 'Stop'
if (-not $env:DATAMANCY_PESTER -or -not (Test-Path $env:DATAMANCY_PESTER)) {
    throw 'Pester is missing: run ./build.ps1 -Task Test, which restores it from NuGet (build/TestDependencies.csproj).'
}
Import-Module $env:DATAMANCY_PESTER -MinimumVersion 5.7.1
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.Exit = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $false
$configuration.Should.ErrorAction = 'Continue'
Invoke-Pester -Configuration $configuration
