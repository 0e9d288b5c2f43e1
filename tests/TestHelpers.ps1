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

# Points $env:DOCKER_HOST at a socket in $Folder that does not exist, so that no engine answers;
# returns the value it replaced, for Restore-DockerHost.
function Hide-DockerEngine([string] $Folder) {
    $saved = $env:DOCKER_HOST
    $env:DOCKER_HOST = "unix://$(Join-Path $Folder 'no-engine.sock')"
    $saved
}

function Restore-DockerHost([string] $Saved) {
    [Environment]::SetEnvironmentVariable('DOCKER_HOST', $(if ($Saved) { $Saved } else { $null }))
}
