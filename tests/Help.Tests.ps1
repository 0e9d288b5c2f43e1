BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../Datamancy.psd1')
    $script:Cmdlets = $manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help of <Name>' -ForEach $script:Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'is exported by the module' {
        $script:Command.Source | Should -Be 'Datamancy'
    }

    It 'has a synopsis and a description' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match "^\s*$Name\s"
        ($script:Help.Description.Text -join "`n").Length | Should -BeGreaterThan 40
    }

    It 'describes every parameter, and only real ones' {
        $documented = @($script:Help.Parameters.Parameter | Where-Object Name -NotIn $script:Common)
        $actual = @($script:Command.Parameters.Keys | Where-Object { $_ -notin $script:Common })
        ($documented.Name | Sort-Object) | Should -Be ($actual | Sort-Object)
        foreach ($parameter in $documented) {
            ($parameter.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }

    It 'has at least two examples with code' {
        @($script:Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $script:Help.Examples.Example) { $example.Code | Should -Match ([regex]::Escape($Name)) }
    }
}

Describe 'about_Datamancy' {
    It 'is shipped as an about topic' {
        (Get-Help about_Datamancy | Out-String) | Should -Match 'Datamancy'
    }
}
