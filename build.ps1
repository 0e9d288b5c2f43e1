#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The one entry point of the Datamancy build.
.DESCRIPTION
    Build  compiles the module into out/Datamancy (manifest, cmdlets, formats, bundled configs,
           dependencies in their own folder).
    Help   Build, then turns en-US/*.md into the module's MAML help.
    Install  Build + Help, then copies out/Datamancy to <ModulePath>/Datamancy/<version>, so that
           Import-Module Datamancy finds it by name (default: the current user's module folder,
           ~/.local/share/powershell/Modules on Linux and macOS).
    UnitTest  builds and runs the xUnit tests that need nothing installed: no root, no packages,
           no engine (the tests marked Category=Integration, which run Debian's restic, are left out).
    Test   tests/env (Debian packages, dockerd unless one answers, test images), Build + Help,
           all of xUnit, then Pester in a fresh pwsh against out/Datamancy; stops the dockerd it started.
    Bench  Build and tests/env, then the benchmark harness in bench/ (prints a table).
    Show   Build + Help, then shows the bundled stack's profiles and services from a fresh pwsh.
    Clean  removes out/ and the bin/obj folders.
    Exits non-zero on any failure.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Help', 'Install', 'UnitTest', 'Test', 'Bench', 'Show', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Install: the modules folder to install into; it should be on $env:PSModulePath.
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out/Datamancy'
. (Join-Path $root 'build/FreshPwsh.ps1')

function Invoke-Native([string] $what, [scriptblock] $command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "$what failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $root 'src/Datamancy/Datamancy.csproj') -c $Configuration --nologo -v q }
    $bin = Join-Path $root "src/Datamancy/bin/$Configuration/net8.0"
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    $deps = New-Item -ItemType Directory -Path (Join-Path $out 'dependencies') -Force
    Copy-Item (Join-Path $root 'Datamancy.psd1') $out
    Copy-Item (Join-Path $root 'src/Datamancy/Datamancy.Format.ps1xml') $out
    # The cmdlets and the output types load in the session's default context ...
    $shared = 'Datamancy.dll', 'Datamancy.Types.dll'
    $shared | ForEach-Object { Copy-Item (Join-Path $bin $_) $out }
    # ... everything else from dependencies/, in the module's own load context.
    Get-ChildItem $bin -Filter *.dll | Where-Object Name -NotIn $shared | Copy-Item -Destination $deps
    # OS-specific builds of a dependency (runtimes/<os>/lib/net8.0) keep their layout; the load context prefers them.
    $runtimes = Join-Path $bin 'runtimes'
    if (Test-Path $runtimes) { Copy-Item $runtimes (Join-Path $deps 'runtimes') -Recurse }
    Copy-Item (Join-Path $root 'configs') (Join-Path $out 'configs') -Recurse
    Remove-Item (Join-Path $out 'configs/README.md') -ErrorAction SilentlyContinue
    Write-Host "Built $out"
}

function Invoke-Help {
    . (Join-Path $root 'build/HelpBuilder.ps1')
    Build-DatamancyHelp -SourcePath (Join-Path $root 'en-US') -OutputPath (Join-Path $out 'en-US')
    Write-Host "Help written to $(Join-Path $out 'en-US')"
}

function Restore-TestDependency {
    Invoke-Native 'restore of the test dependencies' { dotnet restore (Join-Path $root 'build/TestDependencies.csproj') --nologo -v q }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $env:DATAMANCY_PESTER = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    $env:DATAMANCY_OLD_YAMLDOTNET = Join-Path $packages 'yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
}

# The real checkers (docker-compose, caddy, promtool, amtool, slapd) come from Debian's packages.
function Install-TestEnvironment {
    if (-not $IsLinux) { throw 'The tests need Linux with Debian packages (docker-compose, caddy, prometheus, slapd).' }
    Invoke-Native 'tests/env/install-checkers.sh' { bash (Join-Path $root 'tests/env/install-checkers.sh') }
}

# The engine the end-to-end tests use: Debian's dockerd, started here unless one answers already.
# Returns the pid it started (or nothing), so that exactly that process is stopped afterwards.
function Start-TestEngine {
    $started = bash (Join-Path $root 'tests/env/start-engine.sh')
    if ($LASTEXITCODE -ne 0) { throw 'The Docker engine for the tests could not be started (tests/env/start-engine.sh).' }
    # Their output goes to the host: this function's only output is the pid.
    Invoke-Native 'tests/env/build-images.sh' { bash (Join-Path $root 'tests/env/build-images.sh') } | Out-Host
    Invoke-Native 'tests/env/build-debian-image.sh' { bash (Join-Path $root 'tests/env/build-debian-image.sh') } | Out-Host
    if ($started) { [int]$started }
}

function Stop-TestEngine([int] $ProcessId) {
    if (-not $ProcessId) { return }
    $process = Get-Process -Id $ProcessId -ErrorAction SilentlyContinue
    if ($process) {
        kill -TERM $ProcessId
        if (-not $process.WaitForExit(30000)) { kill -KILL $ProcessId }
    }
}

function Invoke-UnitTest {
    Invoke-Native 'xUnit (unit tests)' { dotnet test (Join-Path $root 'tests/Datamancy.Tests/Datamancy.Tests.csproj') -c $Configuration --nologo -v q --filter 'Category!=Integration' }
}

function Invoke-Test {
    Install-TestEnvironment
    Invoke-Native 'xUnit' { dotnet test (Join-Path $root 'tests/Datamancy.Tests/Datamancy.Tests.csproj') -c $Configuration --nologo -v q }
    Restore-TestDependency
    $env:DATAMANCY_MODULE = Join-Path $out 'Datamancy.psd1'
    $engine = Start-TestEngine
    try {
        Invoke-Native 'Pester' { Invoke-FreshPwsh -File (Join-Path $root 'tests/Invoke-Pester.ps1') }
    }
    finally {
        Stop-TestEngine $engine
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Help' { Invoke-Build; Invoke-Help }
    'UnitTest' { Invoke-UnitTest }
    'Install' {
        Invoke-Build; Invoke-Help
        . (Join-Path $root 'build/ModuleInstall.ps1')
        $installed = if ($ModulePath) { Install-DatamancyModule -Source $out -ModulePath $ModulePath } else { Install-DatamancyModule -Source $out }
        Write-Host "Installed ${installed}: Import-Module Datamancy finds it by name."
    }
    'Test' { Invoke-Build; Invoke-Help; Invoke-Test }
    'Bench' {
        Invoke-Build
        Install-TestEnvironment
        $engine = Start-TestEngine
        try { Invoke-Native 'bench' { Invoke-FreshPwsh -File (Join-Path $root 'bench/Invoke-Bench.ps1') -Module (Join-Path $out 'Datamancy.psd1') } }
        finally { Stop-TestEngine $engine }
    }
    'Show' {
        Invoke-Build; Invoke-Help
        Invoke-Native 'Show' { Invoke-FreshPwsh -File (Join-Path $root 'build/Show-Stack.ps1') -Module (Join-Path $out 'Datamancy.psd1') }
    }
    'Clean' {
        foreach ($dir in @($out) + (Get-ChildItem $root -Recurse -Directory -Include bin, obj | Where-Object FullName -NotMatch '[\\/]\.git[\\/]').FullName) {
            if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
        }
    }
}
