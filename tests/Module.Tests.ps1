# The module as a new admin first meets it: the README's first steps, the manifest, and installing
# the build where Import-Module finds it by name.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $script:RepoRoot 'build/ModuleInstall.ps1')
    . (Join-Path $script:RepoRoot 'build/FreshPwsh.ps1')
    $script:Manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'Datamancy.psd1')
    $script:Readme = Get-Content -Raw (Join-Path $script:RepoRoot 'README.md')
    $script:QuickStart = [regex]::Match($script:Readme, '(?ms)^## Quick start\r?\n(.*?)^## ').Groups[1].Value
}

Describe 'README' {
    It 'starts with build, start PowerShell and import, and comes to the root-only Test task after them' {
        $build = $script:QuickStart.IndexOf('dotnet pwsh ./build.ps1 -Task Help')
        $start = $script:QuickStart.IndexOf('Start PowerShell')
        $import = $script:QuickStart.IndexOf('Import-Module ./out/Datamancy/Datamancy.psd1')
        $test = $script:QuickStart.IndexOf('./build.ps1 -Task Test')
        $build | Should -BeGreaterOrEqual 0
        $start | Should -BeGreaterThan $build
        $import | Should -BeGreaterThan $start
        $test | Should -BeGreaterThan $import
        $script:QuickStart | Should -Match 'dotnet pwsh ./build.ps1 -Task Install'
    }

    It 'states the PowerShell version the manifest requires' {
        $script:QuickStart | Should -Match "PowerShell $([regex]::Escape($script:Manifest.PowerShellVersion)) or later"
    }

    It 'lists every build task, and only those' {
        $tasks = (Get-Command (Join-Path $script:RepoRoot 'build.ps1')).Parameters['Task'].Attributes.Where({ $_ -is [ValidateSet] }).ValidValues
        $listed = [regex]::Matches($script:Readme, '(?m)^\| (\w+) \|').Groups.Where({ $_.Name -eq '1' }).Value | Where-Object { $_ -ne 'task' }
        ($listed | Sort-Object) | Should -Be ($tasks | Sort-Object)
    }
}

Describe 'Manifest' {
    It 'passes Test-ModuleManifest as built' {
        { Test-ModuleManifest $script:ModulePath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'describes what the cmdlets do today' {
        foreach ($does in 'validate', 'start', 'stop', 'test', 'fingerprint', 'audit', 'secrets', 'back it up', 'restore drills', 'LDAP users') {
            $script:Manifest.Description | Should -Match $does
        }
    }

    It 'requires the PowerShell whose runtime the assembly targets' {
        $project = [xml](Get-Content -Raw (Join-Path $script:RepoRoot 'src/Datamancy/Datamancy.csproj'))
        $project.Project.PropertyGroup.TargetFramework | Should -Be 'net8.0' -Because 'PowerShell 7.4 LTS runs on .NET 8'
        $script:Manifest.PowerShellVersion | Should -Be '7.4'
        $script:Manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'has no empty PSData value, and a LicenseUri only when there is a license' {
        $data = $script:Manifest.PrivateData.PSData
        foreach ($key in $data.Keys) { $data[$key] | Should -Not -BeNullOrEmpty -Because "PSData.$key is set" }
        if (-not (Get-ChildItem $script:RepoRoot -Filter 'LICENSE*' -File)) { $data.Keys | Should -Not -Contain 'LicenseUri' }
    }

    It 'gives every cmdlet a HelpUri and an online version, or none of them' {
        Import-Module $script:ModulePath -Force
        $uris = @(Get-Command -Module Datamancy -CommandType Cmdlet | ForEach-Object { [bool]$_.HelpUri })
        $online = @(Get-ChildItem (Join-Path $script:RepoRoot 'en-US') -Filter '*-*.md' | ForEach-Object { [bool]((Get-Content $_.FullName -TotalCount 8) -match '^online version:\s*\S') })
        @($uris + $online | Sort-Object -Unique) | Should -HaveCount 1
    }
}

Describe 'Installing the module' {
    BeforeAll {
        $script:Built = Split-Path $script:ModulePath
        $script:Modules = New-TestFolder 'dm-modules'
        $script:SavedModulePath = $env:PSModulePath
    }
    AfterAll {
        $env:PSModulePath = $script:SavedModulePath
        Remove-Item $script:Modules -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'installs by default where PowerShell looks first for the current user''s modules' {
        Remove-Item env:PSModulePath
        try { $fresh = Invoke-FreshPwsh -Command '$env:PSModulePath' }
        finally { $env:PSModulePath = $script:SavedModulePath }
        ($fresh -split [IO.Path]::PathSeparator)[0] | Should -Be (Get-UserModulePath)
    }

    It 'installs the build so that Import-Module finds it by name, help included' {
        $target = Install-DatamancyModule -Source $script:Built -ModulePath $script:Modules
        $target | Should -Be (Join-Path $script:Modules "Datamancy/$($script:Manifest.ModuleVersion)")
        $env:PSModulePath = $script:Modules + [IO.Path]::PathSeparator + $script:SavedModulePath
        try {
            $said = Invoke-FreshPwsh -Command 'Import-Module Datamancy -ErrorAction Stop; (Get-Module Datamancy).ModuleBase; (Get-Command -Module Datamancy).Count; (Get-Help New-DatamancyStack).Synopsis'
        }
        finally { $env:PSModulePath = $script:SavedModulePath }
        $LASTEXITCODE | Should -Be 0
        $said[0] | Should -Be $target
        [int]$said[1] | Should -Be $script:Manifest.CmdletsToExport.Count
        $said[2] | Should -Match '^Creates a Datamancy stack folder'
    }

    It 'replaces the same version when installed again' {
        $target = Install-DatamancyModule -Source $script:Built -ModulePath $script:Modules
        Set-Content (Join-Path $target 'stale.txt') 'from an earlier build'
        Install-DatamancyModule -Source $script:Built -ModulePath $script:Modules | Out-Null
        Join-Path $target 'stale.txt' | Should -Not -Exist
        Join-Path $target 'Datamancy.dll' | Should -Exist
    }
}
