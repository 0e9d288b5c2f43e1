# Export-DatamancyStack against the compose reader Debian ships, docker-compose 1.29.2: it must
# accept every export, and resolve it to what it resolves from the stack itself. A missing
# docker-compose fails the tests that need it, naming the package; nothing is skipped.

BeforeDiscovery {
    $membership = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ProfileMembership.psd1')
    $script:Selections = @(@{ Profile = '*' }) + @($membership.Keys | Sort-Object | ForEach-Object { @{ Profile = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'CheckerHelpers.ps1')
    Import-Module $script:ModulePath -Force
    $script:WorkRoot = New-TestFolder 'dm-export'
    $script:Stack = Join-Path $script:WorkRoot 'stack'
    New-DatamancyStack -Path $script:Stack | Out-Null
    $script:Secrets = @(Get-Content (Join-Path $script:Stack '.env') |
        Where-Object { $_ -match '^[A-Z0-9_]+_(PASSWORD|SECRET|KEY|TOKEN)=([0-9a-f]{64})$' } | ForEach-Object { $Matches[2] })
    $script:AllProfiles = @((Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ProfileMembership.psd1')).Keys)

    # docker-compose 1.29.2 on a compose file, with every profile active; -p because the export has no top-level name.
    function Invoke-DockerCompose([string] $File, [string[]] $Command, [string] $ProjectDirectory = (Split-Path $File)) {
        $arguments = @('-p', 'datamancy', '--project-directory', $ProjectDirectory, '-f', $File)
        foreach ($profile in $script:AllProfiles + @('data', 'cache', 'apps', 'tools')) { $arguments += @('--profile', $profile) }
        Invoke-Checker -Path (Get-Checker 'docker-compose' 'docker-compose') -Arguments ($arguments + $Command)
    }

    function Join-Pairs([hashtable] $Map) {
        if ($Map) { @($Map.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join "`n" }
    }

    # The parts of a service that must not depend on how it was written: forms differ between the
    # short and long syntax (volumes, ports, one-word commands), values must not.
    function ConvertTo-Comparable([hashtable] $Service) {
        $ports = foreach ($port in @($Service.ports)) {
            if ($null -eq $port) { continue }
            if ($port -is [string]) {
                if ($port -notmatch '^(?:(.*):)?(\d*):(\d+)(?:/(\w+))?$') { throw "unexpected port $port" }
                '{0}|{1}|{2}|{3}' -f $Matches[1], $Matches[2], $Matches[3], ($Matches[4] ?? 'tcp')
            }
            else { '{0}|{1}|{2}|{3}' -f $port.host_ip, $port.published, $port.target, ($port.protocol ?? 'tcp') }
        }
        $volumes = foreach ($volume in @($Service.volumes)) {
            if ($null -eq $volume) { continue }
            if ($volume -is [string]) {
                $parts = $volume.Split(':')
                '{0}|{1}|{2}' -f $parts[0], $parts[1], ($parts.Count -gt 2 -and $parts[2] -match '(^|,)ro(,|$)')
            }
            else { '{0}|{1}|{2}' -f $volume.source, $volume.target, [bool]$volume.read_only }
        }
        $dependencies = if ($Service.depends_on) { $Service.depends_on.GetEnumerator() | ForEach-Object { "$($_.Key)|$($_.Value.condition)" } }
        [ordered]@{
            image       = $Service.image
            profiles    = @($Service.profiles) -join ','
            user        = $Service.user
            restart     = $Service.restart
            command     = @($Service.command) -join ' '
            entrypoint  = @($Service.entrypoint) -join ' '
            environment = Join-Pairs $Service.environment
            labels      = Join-Pairs $Service.labels
            ports       = @($ports) -join ','
            volumes     = @($volumes) -join ','
            networks    = @($Service.networks.Keys | Sort-Object) -join ','
            depends_on  = @($dependencies | Sort-Object) -join ','
            cap_drop    = @($Service.cap_drop) -join ','
            cap_add     = @($Service.cap_add) -join ','
            healthcheck = @($Service.healthcheck.test) -join ' '
            read_only   = [bool]$Service.read_only
        }
    }
}

AfterAll {
    Remove-Item $script:WorkRoot -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-DatamancyStack read by docker-compose 1.29.2' {
    It 'accepts the export of <Profile> (with its dependencies)' -ForEach $script:Selections {
        $file = Join-Path $script:WorkRoot "export-$($Profile -replace '\*', 'all').yml"
        $written = Export-DatamancyStack -Path $script:Stack -Profile $Profile -IncludeDependencies -Destination $file
        $written | Should -BeOfType ([IO.FileInfo])
        $result = Invoke-DockerCompose $file @('config', '-q')
        $result.StdErr | Should -Not -Match 'WARNING|ERROR'
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
    }

    It 'resolves the export with its secrets to what it resolves from the stack itself' {
        $file = Join-Path $script:WorkRoot 'full.yml'
        Export-DatamancyStack -Path $script:Stack -Profile '*' -IncludeSecret -Destination $file | Out-Null
        $fromStack = Invoke-DockerCompose (Join-Path $script:Stack 'docker-compose.yml') @('config')
        $fromExport = Invoke-DockerCompose $file @('config') -ProjectDirectory $script:Stack
        $fromStack.ExitCode | Should -Be 0 -Because $fromStack.StdErr
        $fromExport.ExitCode | Should -Be 0 -Because $fromExport.StdErr
        $expected = (ConvertFrom-YamlText $fromStack.StdOut).services
        $actual = (ConvertFrom-YamlText $fromExport.StdOut).services
        @($actual.Keys | Sort-Object) | Should -Be @($expected.Keys | Sort-Object)
        @($expected.Values | Where-Object { $_.environment -and $_.volumes }).Count | Should -BeGreaterThan 20 -Because 'the comparison must compare something'
        foreach ($name in $expected.Keys) {
            $want = ConvertTo-Comparable $expected[$name]
            $got = ConvertTo-Comparable $actual[$name]
            foreach ($key in $want.Keys) { $got[$key] | Should -Be $want[$key] -Because "$name.$key" }
        }
    }

    It 'accepts the export of a stack it refuses itself, and resolves the same values' {
        $stack = Join-Path $script:WorkRoot 'test-stack'
        Copy-Item (Join-Path $PSScriptRoot 'stacks/export') $stack -Recurse
        $db = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(16)).ToLowerInvariant()
        $redis = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(16)).ToLowerInvariant()
        Set-Content (Join-Path $stack '.env') "DB_PASSWORD=$db`nREDIS_PASSWORD=$redis`nTAG=2.1"
        # The stack uses depends_on 'required: false', which docker-compose 1.29 does not know.
        (Invoke-DockerCompose (Join-Path $stack 'docker-compose.yml') @('config', '-q')).StdErr | Should -Match "unsupported option: 'required'"

        $masked = Export-DatamancyStack -Path $stack -Profile '*'
        $masked | Should -Not -Match $db
        $masked | Should -Not -Match $redis
        $file = Join-Path $script:WorkRoot 'test-stack.yml'
        Export-DatamancyStack -Path $stack -Profile '*' -IncludeSecret -Destination $file | Out-Null
        $result = Invoke-DockerCompose $file @('config')
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $services = (ConvertFrom-YamlText $result.StdOut).services
        $services.app.environment.DATABASE_URL | Should -Be "postgres://app:$db@db:5432/app"
        $services.app.environment.APP_SECRET | Should -Be 'env-file-secret-0123456789'
        $services.app.environment.GREETING | Should -Be 'hello: world # not a comment'
        $services.app.image | Should -Be 'example/app:2.1'
        $services.cache.command | Should -Be "redis-server --requirepass $redis"
        $services.job.command | Should -Be @('sh', '-c', 'echo $$HOME && exit 0')
        $services.db.environment.PRICE | Should -Be 'cost $$5'
        @($services.app.depends_on.Keys | Sort-Object) | Should -Be @('cache', 'db')
    }
}

Describe 'Export-DatamancyStack output and secrets' {
    It 'writes one string to the pipeline, with every secret of .env masked' {
        $script:Secrets.Count | Should -BeGreaterThan 5
        $text = Export-DatamancyStack -Path $script:Stack -Profile '*'
        @($text).Count | Should -Be 1
        $text | Should -BeOfType ([string])
        $text | Should -Match 'GF_SECURITY_ADMIN_PASSWORD: "\*{8}"'
        foreach ($secret in $script:Secrets) { $text | Should -Not -Match $secret }
    }

    It 'writes the secrets only with -IncludeSecret, and then into a file of mode 600' {
        $file = Join-Path $script:WorkRoot 'secret.yml'
        $written = Export-DatamancyStack -Path $script:Stack -Profile auth -IncludeSecret -Destination $file
        $written.FullName | Should -Be $file
        [IO.File]::GetUnixFileMode($file) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $ldapPassword = (Get-Content (Join-Path $script:Stack '.env') | Where-Object { $_ -like 'LDAP_ADMIN_PASSWORD=*' }).Split('=')[1]
        Get-Content $file -Raw | Should -Match $ldapPassword

        $reference = New-Item (Join-Path $script:WorkRoot 'reference.txt') -ItemType File
        $masked = Export-DatamancyStack -Path $script:Stack -Profile auth -Destination (Join-Path $script:WorkRoot 'masked.yml')
        [IO.File]::GetUnixFileMode($masked.FullName) | Should -Be ([IO.File]::GetUnixFileMode($reference.FullName))
        Get-Content $masked.FullName -Raw | Should -Not -Match $ldapPassword
    }

    It 'takes profiles and the stack folder from Get-DatamancyProfile' {
        $text = Get-DatamancyProfile -Path $script:Stack -Name core -WarningAction SilentlyContinue | Export-DatamancyStack
        $text | Should -Match '(?m)^  caddy:$'
        $text | Should -Not -Match '(?m)^  grafana:$'
    }

    It 'completes profile names from the local compose file' {
        $line = "Export-DatamancyStack -Path '$script:Stack' -Profile obs"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('observability')
    }
}

Describe 'Export-DatamancyStack refuses bad input before writing' {
    It 'refuses to replace an existing file without -Force, and replaces it with -Force' {
        $file = Join-Path $script:WorkRoot 'existing.yml'
        Set-Content $file 'keep'
        { Export-DatamancyStack -Path $script:Stack -Profile core -Destination $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'DestinationExists,Datamancy.Commands.ExportDatamancyStackCommand'
        Get-Content $file | Should -Be 'keep'
        Export-DatamancyStack -Path $script:Stack -Profile core -Destination $file -Force | Out-Null
        Get-Content $file -TotalCount 1 | Should -Match "^# Datamancy stack 'datamancy'"
    }

    It 'writes nothing with -WhatIf' {
        $file = Join-Path $script:WorkRoot 'whatif.yml'
        Export-DatamancyStack -Path $script:Stack -Profile core -Destination $file -WhatIf
        $file | Should -Not -Exist
    }

    It 'names an unknown profile and the closest one' {
        $err = { Export-DatamancyStack -Path $script:Stack -Profile observabilty -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileNotFound,Datamancy.Commands.ExportDatamancyStackCommand' -PassThru
        $err.Exception.Message | Should -Match "did you mean 'observability'\?"
    }

    It 'names -IncludeDependencies when a profile needs another' {
        $file = Join-Path $script:WorkRoot 'apps.yml'
        $err = { Export-DatamancyStack -Path $script:Stack -Profile apps -Destination $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'UndefinedDependency,Datamancy.Commands.ExportDatamancyStackCommand' -PassThru
        $err.Exception.Message | Should -Match '-IncludeDependencies'
        $file | Should -Not -Exist
    }

    It 'refuses a folder as -Destination' {
        { Export-DatamancyStack -Path $script:Stack -Profile core -Destination $script:WorkRoot -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileUnwritable,Datamancy.Commands.ExportDatamancyStackCommand'
    }
}
