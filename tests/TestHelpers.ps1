# Shared by the Pester files: the built module, fresh stack folders, and Remove-DockerProject.
$script:ModulePath = $env:DATAMANCY_MODULE
if (-not $script:ModulePath -or -not (Test-Path $script:ModulePath)) {
    throw 'DATAMANCY_MODULE does not point at the built module: run ./build.ps1 -Task Test.'
}
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
. (Join-Path $script:RepoRoot 'build/DockerProject.ps1')

function New-TestFolder([string] $Prefix = 'dm-pester') {
    $path = Join-Path ([IO.Path]::GetTempPath()) "$Prefix-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

# The error id part of a FullyQualifiedErrorId ("StackNotFound,Datamancy.Commands...").
function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) {
    $Record.FullyQualifiedErrorId.Split(',')[0]
}
