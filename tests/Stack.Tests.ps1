BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    $script:Root = New-TestFolder
    $script:Stack = Join-Path $script:Root 'stack'
    $script:Created = New-DatamancyStack -Path $script:Stack
    $script:Membership = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ProfileMembership.psd1')
}

AfterAll {
    Remove-Item $script:Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-DatamancyStack' {
    It 'creates a stack folder and reports it' {
        $script:Created | Should -BeOfType ([Datamancy.StackInfo])
        $script:Created.Path | Should -Be $script:Stack
        $script:Created.ProjectName | Should -Be 'datamancy'
        Join-Path $script:Stack 'docker-compose.yml' | Should -Exist
        Join-Path $script:Stack 'caddy/Caddyfile' | Should -Exist
    }

    It 'writes .env with mode 600 and fresh 256-bit secrets' {
        $env = Join-Path $script:Stack '.env'
        [IO.File]::GetUnixFileMode($env) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $secrets = Get-Content $env | Where-Object { $_ -match '^[A-Z0-9_]+(_PASSWORD|_SECRET|_KEY|_TOKEN)=' }
        $secrets.Count | Should -BeGreaterThan 5
        foreach ($line in $secrets) { $line | Should -Match '=[0-9a-f]{64}$' }
        ($secrets | ForEach-Object { $_.Split('=')[1] } | Sort-Object -Unique).Count | Should -Be $secrets.Count
    }

    It 'never returns or prints a secret' {
        $values = Get-Content (Join-Path $script:Stack '.env') | Where-Object { $_ -match '=[0-9a-f]{64}$' } | ForEach-Object { $_.Split('=')[1] }
        $other = Join-Path $script:Root 'verbose'
        $all = New-DatamancyStack -Path $other -Verbose 4>&1 | Out-String
        $all += Get-DatamancyService -Path $script:Stack | Format-List * | Out-String
        $all += Get-DatamancyStack -Path $script:Stack | Format-List * | Out-String
        foreach ($value in $values) { $all | Should -Not -Match $value }
        $otherValues = Get-Content (Join-Path $other '.env') | Where-Object { $_ -match '=[0-9a-f]{64}$' } | ForEach-Object { $_.Split('=')[1] }
        foreach ($value in $otherValues) { $all | Should -Not -Match $value }
    }

    It 'refuses to overwrite an existing stack without -Force' {
        $before = Get-Content (Join-Path $script:Stack '.env') -Raw
        { New-DatamancyStack -Path $script:Stack -ErrorAction Stop } | Should -Throw -ErrorId 'StackExists,Datamancy.Commands.NewDatamancyStackCommand'
        Get-Content (Join-Path $script:Stack '.env') -Raw | Should -BeExactly $before
    }

    It 'keeps the existing secrets with -Force' {
        $before = Get-Content (Join-Path $script:Stack '.env') | Where-Object { $_ -match '_PASSWORD=' } | Select-Object -First 1
        New-DatamancyStack -Path $script:Stack -Force | Out-Null
        Get-Content (Join-Path $script:Stack '.env') | Should -Contain $before
    }

    It 'changes nothing with -WhatIf' {
        $target = Join-Path $script:Root 'whatif'
        New-DatamancyStack -Path $target -WhatIf
        $target | Should -Not -Exist
    }

    It 'refuses an invalid project name before writing anything' {
        $target = Join-Path $script:Root 'badname'
        { New-DatamancyStack -Path $target -ProjectName 'Bad Name' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProjectName,Datamancy.Commands.NewDatamancyStackCommand'
        $target | Should -Not -Exist
    }
}

Describe 'Get-DatamancyProfile' {
    It 'lists the 12 profiles with the membership of the design' {
        $profiles = Get-DatamancyProfile -Path $script:Stack
        $profiles.Count | Should -Be 12
        foreach ($profile in $profiles) {
            $profile | Should -BeOfType ([Datamancy.ProfileInfo])
            ($profile.Services | Sort-Object) | Should -Be ($script:Membership[$profile.Name] | Sort-Object) -Because "profile $($profile.Name)"
        }
    }

    It 'takes names from the pipeline, with wildcards' {
        ('core', 'a*' | Get-DatamancyProfile -Path $script:Stack).Name | Should -Be @('core', 'ai', 'apps', 'auth', 'automation')
    }

    It 'writes a non-terminating ProfileNotFound for an unknown name and goes on' {
        $found = Get-DatamancyProfile -Path $script:Stack -Name nope, core -ErrorVariable errs -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'core'
        Get-ErrorId $errs[0] | Should -Be 'ProfileNotFound'
        $errs[0].Exception.Message | Should -Match "'nope'"
    }
}

Describe 'Get-DatamancyService' {
    It 'lists 36 services, each in its design profile' {
        $services = Get-DatamancyService -Path $script:Stack
        $services.Count | Should -Be 36
        foreach ($service in $services) {
            $service.Profiles | Should -HaveCount 1
            $script:Membership[$service.Profile] | Should -Contain $service.Name
        }
    }

    It 'marks exactly the three one-shot jobs' {
        (Get-DatamancyService -Path $script:Stack | Where-Object IsJob).Name | Sort-Object | Should -Be @('docs-indexer', 'mkdocs', 'test-runner')
    }

    It 'filters by profile and by wildcard name' {
        (Get-DatamancyService -Path $script:Stack -Profile apps).Count | Should -Be 6
        (Get-DatamancyService -Path $script:Stack -Name '*-postgres').Name | Should -Be @('paperless-postgres', 'planka-postgres', 'outline-postgres')
    }

    It 'takes the hostname from the Caddyfile and pins every image' {
        (Get-DatamancyService -Path $script:Stack -Name grafana).Hostname | Should -Be 'grafana.stack.local'
        (Get-DatamancyService -Path $script:Stack -Name mariadb).Hostname | Should -BeNullOrEmpty
        foreach ($service in Get-DatamancyService -Path $script:Stack) {
            $service.Image | Should -Match ':[^:/]+$' -Because "$($service.Name) must pin a tag"
            $service.Image | Should -Not -Match ':latest$'
        }
    }

    It 'shows the documented exceptions' {
        (Get-DatamancyService -Path $script:Stack -Name jellyfin).Exceptions | Should -Not -BeNullOrEmpty
        (Get-DatamancyService -Path $script:Stack -Name grafana).Exceptions | Should -BeNullOrEmpty
    }

    It 'binds names and the stack folder from the pipeline' {
        $again = Get-DatamancyService -Path $script:Stack -Name caddy, ldap | Get-DatamancyService
        $again.Name | Should -Be @('caddy', 'ldap')
    }

    It 'writes a non-terminating ServiceNotFound for an unknown name' {
        $found = Get-DatamancyService -Path $script:Stack -Name ghost, caddy -ErrorVariable errs -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'caddy'
        Get-ErrorId $errs[0] | Should -Be 'ServiceNotFound'
    }

    It 'has a table view grouped by profile' {
        $text = Get-DatamancyService -Path $script:Stack -Profile core | Out-String -Width 250
        $text | Should -Match 'Profile: core'
        $text | Should -Match 'Hostname'
    }

    It 'completes service and profile names from the local compose file' {
        $line = "Get-DatamancyService -Path '$script:Stack' -Name graf"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('grafana')
        $line = "Get-DatamancyService -Path '$script:Stack' -Profile obs"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('observability')
    }
}

Describe 'Finding the stack folder' {
    It 'uses $env:DATAMANCY_STACK, then the current folder' {
        $saved = $env:DATAMANCY_STACK
        try {
            $env:DATAMANCY_STACK = $script:Stack
            (Get-DatamancyStack).Path | Should -Be $script:Stack
            $env:DATAMANCY_STACK = $null
            Push-Location $script:Stack
            try { (Get-DatamancyStack).Path | Should -Be $script:Stack } finally { Pop-Location }
        }
        finally { $env:DATAMANCY_STACK = $saved }
    }

    It 'says to run New-DatamancyStack when there is no stack' {
        $saved = $env:DATAMANCY_STACK
        $env:DATAMANCY_STACK = $null
        Push-Location $script:Root
        try {
            { Get-DatamancyStack -ErrorAction Stop } | Should -Throw -ErrorId 'StackNotFound,Datamancy.Commands.GetDatamancyStackCommand' -ExpectedMessage '*New-DatamancyStack*'
            { Get-DatamancyService -Path (Join-Path $script:Root 'none') -ErrorAction Stop } | Should -Throw -ErrorId 'StackNotFound,Datamancy.Commands.GetDatamancyServiceCommand'
        }
        finally { Pop-Location; $env:DATAMANCY_STACK = $saved }
    }
}

Describe 'Invalid stacks are refused with a pointer' {
    BeforeEach {
        $script:Broken = New-TestFolder 'dm-broken'
    }
    AfterEach {
        Remove-Item $script:Broken -Recurse -Force
    }

    It 'names file, line and column of a YAML error, in its own words' {
        Set-Content (Join-Path $script:Broken 'docker-compose.yml') "services:`n  app:`n    image: [oops`n"
        $err = { Get-DatamancyStack -Path $script:Broken -ErrorAction Stop } | Should -Throw -ErrorId 'YamlSyntax,Datamancy.Commands.GetDatamancyStackCommand' -PassThru
        $err.Exception.Message | Should -Match "docker-compose\.yml:3:12: YAML syntax error: the list opened here with '\[' is not closed with '\]'"
        $err.Exception.Message | Should -Not -Match 'While |\.\.'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'names the line indented with a tab' {
        Set-Content (Join-Path $script:Broken 'docker-compose.yml') "services:`n  app:`n`timage: a:1`n"
        $err = { Get-DatamancyStack -Path $script:Broken -ErrorAction Stop } | Should -Throw -ErrorId 'YamlSyntax,Datamancy.Commands.GetDatamancyStackCommand' -PassThru
        $err.Exception.Message | Should -BeLike '*docker-compose.yml:3:1: line 3 uses a tab for indentation; YAML allows only spaces. Replace the tab with spaces.'
    }

    It 'names the unset secret once and the New-DatamancyStack -Force that fills it (a copied stack without its .env)' {
        Copy-Item (Join-Path $script:Stack 'docker-compose.yml') $script:Broken
        $err = { Get-DatamancyService -Path $script:Broken -ErrorAction Stop } | Should -Throw -ErrorId 'VariableRequired,Datamancy.Commands.GetDatamancyServiceCommand' -PassThru
        $err.Exception.Message | Should -Match "the secret [A-Z_]+_(PASSWORD|SECRET|KEY|TOKEN) is not set\. Run New-DatamancyStack -Path '$([regex]::Escape($script:Broken))' -Force"
        ([regex]::Matches($err.Exception.Message, 'is not set')).Count | Should -Be 1
        New-DatamancyStack -Path $script:Broken -Force -Confirm:$false | Out-Null
        (Get-DatamancyService -Path $script:Broken).Count | Should -Be 36
    }

    It 'fills an emptied secret with New-DatamancyStack -Force and keeps the others' {
        New-DatamancyStack -Path $script:Broken | Out-Null
        $envFile = Join-Path $script:Broken '.env'
        $lines = Get-Content $envFile
        $kept = $lines | Where-Object { $_ -like 'MARIADB_ROOT_PASSWORD=*' }
        ($lines -replace '^GRAFANA_ADMIN_PASSWORD=.*$', 'GRAFANA_ADMIN_PASSWORD=') | Set-Content $envFile
        $err = { Get-DatamancyStack -Path $script:Broken -ErrorAction Stop } | Should -Throw -ErrorId 'VariableRequired,Datamancy.Commands.GetDatamancyStackCommand' -PassThru
        $err.Exception.Message | Should -Match 'the secret GRAFANA_ADMIN_PASSWORD is empty\. Run New-DatamancyStack'
        New-DatamancyStack -Path $script:Broken -Force -Confirm:$false | Out-Null
        Get-Content $envFile | Should -Contain $kept
        Get-Content $envFile | Where-Object { $_ -like 'GRAFANA_ADMIN_PASSWORD=*' } | Should -Match '^GRAFANA_ADMIN_PASSWORD=[0-9a-f]{64}$'
        [IO.File]::GetUnixFileMode($envFile) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'names the unknown key and its service' {
        Set-Content (Join-Path $script:Broken 'docker-compose.yml') "services:`n  app:`n    image: a:1`n    restrat: always`n"
        $err = { Get-DatamancyStack -Path $script:Broken -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownKey,Datamancy.Commands.GetDatamancyStackCommand' -PassThru
        $err.Exception.Message | Should -Match "docker-compose\.yml:4:5: unknown key 'restrat' in service 'app'; did you mean 'restart'\?"
        $err.TargetObject | Should -Be 'app'
    }

    It 'suggests the closest service and profile name' {
        $err = { Get-DatamancyService -Path $script:Stack -Name grafna -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceNotFound,Datamancy.Commands.GetDatamancyServiceCommand' -PassThru
        $err.Exception.Message | Should -Match "did you mean 'grafana'\?"
        $err = { Get-DatamancyProfile -Path $script:Stack -Name datastore -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileNotFound,Datamancy.Commands.GetDatamancyProfileCommand' -PassThru
        $err.Exception.Message | Should -Match "did you mean 'datastores'\?"
    }

    It 'names -IncludeDependencies when a profile depends on one not selected' {
        $err = { Start-DatamancyProfile -Path $script:Stack -Name apps -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'UndefinedDependency,Datamancy.Commands.StartDatamancyProfileCommand' -PassThru
        $err.Exception.Message | Should -Match "depends on '[a-z-]+', which is in the profile datastores, not selected\. Add -IncludeDependencies"
    }
}

Describe 'Pipelines between the stack cmdlets' {
    It 'lists the services of profiles piped from Get-DatamancyProfile' {
        (Get-DatamancyProfile -Path $script:Stack -Name datastores | Get-DatamancyService).Count | Should -Be 8
    }

    It 'lists every service of a stack piped from Get-DatamancyStack' {
        (Get-DatamancyStack -Path $script:Stack | Get-DatamancyService).Count | Should -Be 36
    }

    It 'resolves a relative -Path against the PowerShell location, not the process folder' {
        Push-Location $script:Root
        try { (Get-DatamancyStack -Path './stack').Path | Should -Be $script:Stack }
        finally { Pop-Location }
    }
}
