BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $script:RepoRoot 'build/FreshPwsh.ps1')
    if (-not $env:DATAMANCY_OLD_YAMLDOTNET -or -not (Test-Path $env:DATAMANCY_OLD_YAMLDOTNET)) {
        throw 'YamlDotNet 11.2.1 is missing: run ./build.ps1 -Task Test, which restores it from NuGet (build/TestDependencies.csproj).'
    }
}

Describe 'Dependency isolation' {
    It 'imports and works after another YamlDotNet version was loaded into the session' {
        $script = {
            param($OldYaml, $Module)
            $ErrorActionPreference = 'Stop'
            Add-Type -Path $OldYaml
            $old = [YamlDotNet.Core.Parser].Assembly.GetName().Version.ToString()
            Import-Module $Module
            $stack = Join-Path ([IO.Path]::GetTempPath()) "dm-iso-$PID"
            try {
                New-DatamancyStack -Path $stack | Out-Null
                $count = (Get-DatamancyService -Path $stack).Count
            }
            finally { Remove-Item $stack -Recurse -Force -ErrorAction SilentlyContinue }
            $ours = [System.Runtime.Loader.AssemblyLoadContext]::All |
                Where-Object Name -eq 'Datamancy' |
                ForEach-Object { $_.Assemblies } |
                Where-Object { $_.GetName().Name -eq 'YamlDotNet' } |
                ForEach-Object { $_.GetName().Version.ToString() }
            "$old|$count|$ours"
        }
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("& { $script } '$env:DATAMANCY_OLD_YAMLDOTNET' '$script:ModulePath'"))
        $output = Invoke-FreshPwsh -EncodedCommand $encoded
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $old, $count, $ours = ($output | Select-Object -Last 1).Split('|')
        $old | Should -BeLike '11.*'
        $count | Should -Be 36
        $ours | Should -Not -BeNullOrEmpty
        $ours | Should -Not -BeLike '11.*'
    }
}
