# Installs the built module where `Import-Module Datamancy` finds it by name. Dot-source, then:
#     Install-DatamancyModule -Source out/Datamancy [-ModulePath <folder on $env:PSModulePath>]

# The folder PowerShell itself uses for the current user's modules (Install-PSResource -Scope CurrentUser):
# Documents/PowerShell/Modules on Windows, else $XDG_DATA_HOME (~/.local/share)/powershell/Modules.
function Get-UserModulePath {
    if ($IsWindows) { Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'PowerShell/Modules' }
    else { Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'powershell/Modules' }
}

# Copies the built module to <ModulePath>/Datamancy/<version>, replacing that version only; returns the folder.
function Install-DatamancyModule {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Source,
        [string] $ModulePath = (Get-UserModulePath)
    )
    $ErrorActionPreference = 'Stop'
    $manifest = Import-PowerShellDataFile (Join-Path $Source 'Datamancy.psd1')
    if (-not (Test-Path (Join-Path $Source 'en-US/Datamancy.dll-Help.xml'))) { throw "$Source has no help: build it with ./build.ps1 -Task Help first." }
    $target = Join-Path $ModulePath "Datamancy/$($manifest.ModuleVersion)"
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $target -Force
    Copy-Item (Join-Path $Source '*') $target -Recurse
    $target
}
