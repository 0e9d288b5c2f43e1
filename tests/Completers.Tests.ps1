# Tab completion of backup targets and Caddyfile hostnames, from the local stack files only.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    $script:Root = New-TestFolder 'dm-completers'
    $script:Stack = (New-DatamancyStack -Path (Join-Path $script:Root 'stack')).Path
    # Completion must not need an engine: none answers here.
    $script:SavedDockerHost = Hide-DockerEngine $script:Root

    function Get-Completion([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches) }
}

AfterAll {
    Restore-DockerHost $script:SavedDockerHost
    Remove-Item $script:Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Backup -Target completion' {
    It '<_> -Target offers the groups, then every target of the stack and nothing else' -ForEach 'Invoke-DatamancyBackup', 'Get-DatamancyBackup', 'Restore-DatamancyBackup', 'Test-DatamancyBackup' {
        $offered = Get-Completion "$_ -Path '$script:Stack' -Target "
        $offered.CompletionText[0..2] | Should -Be @('volumes', 'databases', 'configs')
        $targets = $offered.CompletionText | Select-Object -Skip 3
        $targets | Should -Contain 'nextcloud_data'
        $targets | Should -Contain 'paperless-postgres'
        $targets | Should -Not -Contain 'caddy' -Because 'a service without a volume or a dump is not a target'
    }

    It 'offers only names that -Target takes' {
        $offered = Get-Completion "Invoke-DatamancyBackup -Path '$script:Stack' -Target "
        # -WhatIf resolves every target without an engine; a name that is not a target is an error.
        Invoke-DatamancyBackup -Path $script:Stack -Target $offered.CompletionText -WhatIf -ErrorVariable refused 2>$null
        $refused | Should -BeNullOrEmpty
    }

    It 'completes the word typed so far, with the kind of each target as its tooltip' {
        $offered = Get-Completion "Get-DatamancyBackup -Path '$script:Stack' -Target nextc"
        $offered.CompletionText | Should -Be @('nextcloud_data')
        $offered[0].ToolTip | Should -Be 'Volume: datamancy_nextcloud_data'
        (Get-Completion "Get-DatamancyBackup -Path '$script:Stack' -Target mari").ToolTip | Should -Be @('Database')
    }

    It 'finds the stack from $env:DATAMANCY_STACK, and offers only the groups when the stack cannot be loaded' {
        $saved = $env:DATAMANCY_STACK
        try {
            $env:DATAMANCY_STACK = $script:Stack
            (Get-Completion 'Test-DatamancyBackup -Target vaultw').CompletionText | Should -Be @('vaultwarden_data')
            $env:DATAMANCY_STACK = Join-Path $script:Root 'nothing-here'
            (Get-Completion 'Test-DatamancyBackup -Target ').CompletionText | Should -Be @('volumes', 'databases', 'configs')
        }
        finally { [Environment]::SetEnvironmentVariable('DATAMANCY_STACK', $saved) }
    }
}

Describe 'Get-DatamancyAccess -Hostname completion' {
    It 'offers the hostnames of the Caddyfile' {
        $offered = Get-Completion "Get-DatamancyAccess -Path '$script:Stack' -Group admin -Hostname "
        ($offered.CompletionText | Sort-Object) | Should -Be ((Get-DatamancyStack -Path $script:Stack).Hostnames | Sort-Object)
    }

    It 'completes the word typed so far, with the service as its tooltip' {
        $offered = Get-Completion "Get-DatamancyAccess -Path '$script:Stack' -Group admin -Hostname graf"
        $offered.CompletionText | Should -Be @('grafana.stack.local')
        $offered[0].ToolTip | Should -Be 'grafana.stack.local -> grafana'
    }

    It 'reads a relative -Path from the current folder' {
        Push-Location $script:Root
        try { (Get-Completion 'Get-DatamancyAccess -Path ./stack -Group admin -Hostname mkd').CompletionText | Should -Be @('mkdocs.stack.local') }
        finally { Pop-Location }
    }
}
