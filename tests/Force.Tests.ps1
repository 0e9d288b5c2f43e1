# -Force means one thing (about_Datamancy, FORCE): do what would otherwise be refused or left alone
# because it is already there or risky; it never skips a confirmation.
BeforeDiscovery {
    Import-Module $env:DATAMANCY_MODULE -Force
    $script:Forced = Get-Command -Module Datamancy | Where-Object { $_.Parameters.ContainsKey('Force') } | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    $about = Get-Content -Raw (Join-Path $PSScriptRoot '../en-US/about_Datamancy.md')
    $script:ForceSection = [regex]::Match($about, '(?ms)^## FORCE\r?\n(.*?)^## ').Groups[1].Value

    # Runs a command with -Force -Confirm where no one can answer: a cmdlet that asks fails with PowerShell's prompting error.
    function Invoke-WithoutAnswer([string] $Script) {
        $state = [initialsessionstate]::CreateDefault2()
        $state.ImportPSModule($script:ModulePath)
        $shell = [powershell]::Create($state)
        try {
            $failure = $null
            try { $shell.AddScript($Script).Invoke() | Out-Null } catch { $failure = $_.Exception.InnerException ?? $_.Exception }
            @(@($shell.Streams.Error | ForEach-Object { $_.Exception.Message }) + @($failure | Where-Object { $_ } | ForEach-Object Message)) -join "`n"
        }
        finally { $shell.Dispose() }
    }
}

Describe '-Force of <Name>' -ForEach $script:Forced {
    It 'is in the FORCE table of about_Datamancy' {
        $script:ForceSection | Should -Match "(?m)^\|[^|]*\b$([regex]::Escape($Name))\b[^|]*\|"
    }

    It 'says in its help that it does not skip the confirmation' {
        ((Get-Help $Name -Parameter Force).Description.Text -join ' ') | Should -Match 'does not skip the confirmation'
    }

    It 'goes with -Confirm, so a confirmation is there to keep' {
        (Get-Command $Name).Parameters.ContainsKey('Confirm') | Should -BeTrue
    }
}

Describe '-Force never skips the confirmation' {
    BeforeEach {
        $script:Stack = Join-Path (New-TestFolder 'dm-force') 'stack'
        New-DatamancyStack -Path $script:Stack | Out-Null
        $script:EnvBefore = Get-Content -Raw (Join-Path $script:Stack '.env')
        $script:ComposeBefore = Get-Content -Raw (Join-Path $script:Stack 'docker-compose.yml')
    }
    AfterEach { Remove-Item (Split-Path $script:Stack) -Recurse -Force -ErrorAction SilentlyContinue }

    It '<Command> -Force -Confirm asks before it acts' -ForEach @(
        @{ Command = 'New-DatamancyStack'; Script = "New-DatamancyStack -Path '{0}' -Force -Confirm" }
        @{ Command = 'New-DatamancyCertificate'; Script = "New-DatamancyCertificate -Path '{0}' -Force -Confirm" }
        @{ Command = 'Update-DatamancySecret'; Script = "Update-DatamancySecret -Path '{0}' -Name AUTHELIA_STORAGE_ENCRYPTION_KEY -Force" }
    ) {
        Set-Content (Join-Path $script:Stack 'docker-compose.yml') ($script:ComposeBefore + "`n# kept`n") -NoNewline
        $said = Invoke-WithoutAnswer ($Script -f $script:Stack)
        $said | Should -Match 'prompts the user' -Because "$Command must ask even with -Force"
        Get-Content -Raw (Join-Path $script:Stack '.env') | Should -Be $script:EnvBefore
        Get-Content -Raw (Join-Path $script:Stack 'docker-compose.yml') | Should -Be ($script:ComposeBefore + "`n# kept`n")
        Join-Path $script:Stack 'caddy/certs/ca.crt' | Should -Not -Exist
    }

    It '<Command> -Force -Confirm:$false acts' -ForEach @(
        @{ Command = 'New-DatamancyStack'; Script = "New-DatamancyStack -Path '{0}' -Force -Confirm:`$false" }
        @{ Command = 'Update-DatamancySecret'; Script = "Update-DatamancySecret -Path '{0}' -Name AUTHELIA_STORAGE_ENCRYPTION_KEY -Force -Confirm:`$false" }
    ) {
        Set-Content (Join-Path $script:Stack 'docker-compose.yml') ($script:ComposeBefore + "`n# kept`n") -NoNewline
        Invoke-WithoutAnswer ($Script -f $script:Stack) | Should -BeNullOrEmpty
        $changed = (Get-Content -Raw (Join-Path $script:Stack '.env')) -ne $script:EnvBefore -or (Get-Content -Raw (Join-Path $script:Stack 'docker-compose.yml')) -eq $script:ComposeBefore
        $changed | Should -BeTrue
    }
}
