# Get-DatamancyStatus, Export-DatamancyReport and the schedules on the real engine, with the busybox
# stack in tests/stacks/status: one service for each answer (healthy, unhealthy, stale fingerprint,
# never backed up, a one-shot job). The reports go to the real checkers (promtool, mkdocs); the
# schedules go to temporary cron.d and unit folders and their syntax to real parsers (python3-croniter,
# systemd-analyze calendar). A missing checker fails the test that needs it, naming the package.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'CheckerHelpers.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }
    $script:WorkRoot = New-TestFolder 'dm-status'

    function New-StatusStack([string] $Name) {
        $path = Join-Path $script:WorkRoot $Name
        New-Item -ItemType Directory -Path $path | Out-Null
        Copy-Item -Path (Join-Path $PSScriptRoot 'stacks/status/*') -Destination $path -Recurse
        $project = 'dmstatus' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Set-Content (Join-Path $path '.env') "COMPOSE_PROJECT_NAME=$project`n"
        chmod 600 (Join-Path $path '.env')
        [pscustomobject]@{ Path = $path; Project = $project }
    }

    # A backup record as Invoke-DatamancyBackup leaves it (schema 1, Export-DatamancyReport's help).
    function Write-BackupRecord([string] $Stack, [string] $Target, [datetimeoffset] $At, [string] $Status = 'Completed') {
        $folder = Join-Path $Stack "data/backup-status/$Target"
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        @{ schemaVersion = 1; target = $Target; kind = 'Volume'; engine = 'restic'; status = $Status; attemptedAt = $At.ToString('o')
            lastSuccessAt = $At.ToString('o'); snapshotId = 'abcdef12'; errorId = '' } | ConvertTo-Json | Set-Content (Join-Path $folder 'last_backup.json')
    }

    # Waits until the engine reports the service's health.
    # docs-indexer as the compose file runs it: the same mounts, no network; its sources and site go to $Out/source and $Out/site.
    function Invoke-DocsIndexer([string] $Script, [string] $Static, [string] $Reports, [string] $Out) {
        docker run --rm --network none -v "${Script}:/opt/docs-indexer/index.sh:ro" -v "${Static}:/docs-static:ro" -v "${Reports}:/reports:ro" `
            -v "$Out/source:/docs-src" -v "$Out/site:/site" datamancy-test/busybox:1 /bin/sh /opt/docs-indexer/index.sh 2>&1
    }

    function Wait-Health([string] $Stack, [string] $Name, [string] $Health) {
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-DatamancyStatus -Path $Stack -Name $Name).Health -ne $Health) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "$Name did not become $Health within 30 s." }
            Start-Sleep -Milliseconds 500
        }
    }

    $script:S = New-StatusStack 'stack'
    $started = Start-DatamancyService -Path $script:S.Path -Name * -Timeout 60
    foreach ($result in $started) { if (-not $result.Succeeded) { throw "$($result.Name) did not start: $($result.Error)" } }
    # Setup, not the test: on a loaded machine a healthcheck can miss a beat, so the services meant to
    # pass are tested again for up to 30 s before the setup gives up, saying which check failed.
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    $pending = 'healthy', 'stale', 'once'
    while ($pending) {
        $failing = @(Test-DatamancyService -Path $script:S.Path -Name $pending | Where-Object { -not $_.Passed })
        $pending = @($failing.Service | Sort-Object -Unique)
        if ($pending -and [DateTime]::UtcNow -gt $deadline) {
            throw "The services meant to pass their tests did not: $(($failing | ForEach-Object { "$($_.Service) $($_.Check): $($_.Detail)" }) -join '; ')"
        }
        if ($pending) { Start-Sleep -Seconds 1 }
    }
    Write-BackupRecord $script:S.Path 'healthy_data' ([datetimeoffset]::UtcNow.AddHours(-1))
    Add-Content (Join-Path $script:S.Path 'stale/app.conf') 'setting = 2'
    $sick = docker ps -q --filter "label=com.docker.compose.project=$($script:S.Project)" --filter 'label=com.docker.compose.service=sick'
    docker exec $sick touch /tmp/sick
    Wait-Health $script:S.Path 'sick' 'Unhealthy'
    # A crash: the process ends with a signal, and the restart policy (on-failure) brings it back.
    $stale = docker ps -q --filter "label=com.docker.compose.project=$($script:S.Project)" --filter 'label=com.docker.compose.service=stale'
    docker exec $stale kill 1
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ((docker inspect -f '{{.RestartCount}} {{.State.Running}}' $stale) -ne '1 true') {
        if ([DateTime]::UtcNow -gt $deadline) { throw "stale was not restarted by its restart policy: $(docker inspect -f '{{json .State}}' $stale)" }
        Start-Sleep -Milliseconds 200
    }
    $script:Status = @{}
    Get-DatamancyStatus -Path $script:S.Path | ForEach-Object { $script:Status[$_.Name] = $_ }
}

AfterAll {
    Remove-DockerProject $script:S.Project
    Remove-Item $script:WorkRoot -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-DatamancyStatus' {
    It 'gives one ServiceStatus per service, in the stack''s order' {
        $all = @(Get-DatamancyStatus -Path $script:S.Path)
        $all.Name | Should -Be @('healthy', 'sick', 'stale', 'store', 'once')
        $all | ForEach-Object { $_ | Should -BeOfType ([Datamancy.ServiceStatus]) }
    }

    It 'reports the healthy service well: running, healthy, fresh, backed up' {
        $healthy = $script:Status['healthy']
        $healthy.State | Should -Be 'Running'
        $healthy.Health | Should -Be 'Healthy'
        $healthy.Status | Should -Match '^Up .*\(healthy\)'
        $healthy.Fingerprint | Should -Be 'Fresh'
        $healthy.LastTestPass | Should -BeGreaterThan ([datetimeoffset]::UtcNow.AddMinutes(-10))
        $healthy.Backup | Should -Be 'OK'
        $healthy.BackupTargets | Should -Be @('healthy_data')
        $healthy.LastBackup | Should -BeLessThan ([datetimeoffset]::UtcNow.AddMinutes(-50))
        $healthy.Problems | Should -BeNullOrEmpty
        $healthy.Well | Should -BeTrue
    }

    It 'gives when each container started, its uptime, and the restarts its restart policy made' {
        $healthy, $stale, $once = $script:Status['healthy'], $script:Status['stale'], $script:Status['once']
        $healthy.StartedAt | Should -BeGreaterThan ([datetimeoffset]::UtcNow.AddMinutes(-10))
        $healthy.Uptime | Should -BeGreaterThan ([timespan]::Zero)
        $healthy.Uptime | Should -BeLessThan ([datetimeoffset]::UtcNow - $healthy.StartedAt + [timespan]::FromSeconds(1))
        $healthy.Restarts | Should -Be 0
        $stale.Restarts | Should -Be 1 -Because 'its process was killed once and on-failure restarted it'
        $stale.StartedAt | Should -BeGreaterThan ([datetimeoffset]::UtcNow.AddMinutes(-10))
        $once.StartedAt | Should -Not -BeNullOrEmpty
        $once.Uptime | Should -BeNullOrEmpty -Because 'a job that exited has no uptime'
        (Get-DatamancyStatus -Path $script:S.Path -Name healthy | Format-Table | Out-String) | Should -Match '\b\d\d:\d\d:\d\d\b' -Because 'the table shows the uptime'
    }

    It 'reports the unhealthy service as unhealthy' {
        $sick = $script:Status['sick']
        $sick.State | Should -Be 'Running'
        $sick.Health | Should -Be 'Unhealthy'
        $sick.Problems | Should -Contain 'unhealthy'
        $sick.Backup | Should -BeNullOrEmpty -Because 'it has no backup target'
    }

    It 'reports the stale fingerprint with the part that changed' {
        $stale = $script:Status['stale']
        $stale.Fingerprint | Should -Be 'Stale'
        $stale.Changed | Should -Be @('ConfigHash')
        $stale.LastTestPass | Should -Not -BeNullOrEmpty
        $stale.Problems | Should -Contain 'changed since its tests last passed (ConfigHash)'
    }

    It 'reports the never backed up service, and a backup older than the policy as Outdated' {
        $store = $script:Status['store']
        $store.Backup | Should -Be 'NeverBackedUp'
        $store.LastBackup | Should -BeNullOrEmpty
        $store.Problems | Should -Contain "backup target 'store_data' never backed up"
        Write-BackupRecord $script:S.Path 'store_data' ([datetimeoffset]::UtcNow.AddDays(-3))
        try {
            $old = Get-DatamancyStatus -Path $script:S.Path -Name store
            $old.Backup | Should -Be 'Outdated'
            $old.Problems | Should -Contain "last backup of 'store_data' older than 26 h"
        }
        finally { Remove-Item (Join-Path $script:S.Path 'data/backup-status/store_data') -Recurse -Force }
    }

    It 'takes a one-shot job that exited 0 as well, not as down' {
        $once = $script:Status['once']
        $once.IsJob | Should -BeTrue
        $once.State | Should -Be 'Exited'
        $once.Problems | Should -BeNullOrEmpty
    }

    It 'selects by -Name (wildcards) and from the pipeline, and names a service that does not exist' {
        (Get-DatamancyStatus -Path $script:S.Path -Name s*).Name | Should -Be @('sick', 'stale', 'store')
        ('healthy', 'once' | Get-DatamancyStatus -Path $script:S.Path).Name | Should -Be @('healthy', 'once')
        { Get-DatamancyStatus -Path $script:S.Path -Name nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'ServiceNotFound*'
    }
}

Describe 'Get-DatamancyStatus -Summary' {
    It 'calls the stack Degraded and gives each problem as a reason' {
        $summary = Get-DatamancyStatus -Path $script:S.Path -Summary
        $summary | Should -BeOfType ([Datamancy.StackStatus])
        $summary.State | Should -Be 'Degraded'
        $summary.Name | Should -Be $script:S.Project
        $summary.Services | Should -Be 5
        $summary.Running | Should -Be 4
        $summary.Well | Should -Be 2
        $summary.Reasons | Should -Contain 'sick: unhealthy'
        $summary.Reasons | Should -Contain 'stale: changed since its tests last passed (ConfigHash)'
        $summary.Reasons | Should -Contain "store: backup target 'store_data' never backed up"
        $summary.Reasons | Where-Object { $_ -like 'healthy:*' } | Should -BeNullOrEmpty
    }

    It 'calls the services that are well Up' {
        (Get-DatamancyStatus -Path $script:S.Path -Name healthy, once -Summary).State | Should -Be 'Up'
    }

    It 'calls a stack none of whose services runs Down' {
        $idle = New-StatusStack 'idle'
        $summary = Get-DatamancyStatus -Path $idle.Path -Summary
        $summary.State | Should -Be 'Down'
        $summary.Running | Should -Be 0
        $summary.Reasons | Should -Contain 'healthy: no container'
    }
}

Describe 'Export-DatamancyReport' {
    BeforeAll { $script:Out = New-TestFolder 'dm-report' }
    AfterAll { Remove-Item $script:Out -Recurse -Force }

    It 'writes a Prometheus textfile that promtool accepts, with each service''s values' {
        $promtool = Get-Checker 'promtool' 'prometheus'
        $file = Export-DatamancyReport -Path $script:S.Path -Format Prometheus -Destination (Join-Path $script:Out 'datamancy.prom')
        $file | Should -BeOfType ([IO.FileInfo])
        $text = [IO.File]::ReadAllText($file.FullName)
        $result = Invoke-Checker -Path $promtool -Arguments @('check', 'metrics') -StandardInput $text -WorkingDirectory $script:Out
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $text | Should -Match '(?m)^datamancy_service_up\{service="healthy",profile=""\} 1$'
        $text | Should -Match '(?m)^datamancy_service_healthy\{service="sick",profile=""\} 0$'
        $text | Should -Match '(?m)^datamancy_service_fingerprint_fresh\{service="stale",profile=""\} 0$'
        $text | Should -Match '(?m)^datamancy_service_fingerprint_fresh\{service="healthy",profile=""\} 1$'
        $text | Should -Match '(?m)^datamancy_service_restarts\{service="stale",profile=""\} 1$'
        $text | Should -Match '(?m)^datamancy_service_start_timestamp_seconds\{service="healthy",profile=""\} \d{10}$'
        $text | Should -Match '(?m)^datamancy_service_backup_ok\{service="store",profile=""\} 0$'
        $text | Should -Match '(?m)^datamancy_service_last_backup_timestamp_seconds\{service="healthy",profile=""\} \d{10}$'
        $text | Should -Match '(?m)^datamancy_service_last_test_pass_timestamp_seconds\{service="stale",profile=""\} \d{10}$'
        $text | Should -Match '(?m)^datamancy_service_security_findings\{service="healthy",profile="",severity="Critical"\} 0$'
        $text | Should -Match '(?m)^datamancy_stack_state\{stack="[^"]+",state="Degraded"\} 1$'
        $text | Should -Not -Match '(?m)^datamancy_service_up\{service="once"' -Because 'a one-shot job is not up by design'
        $text | Should -Not -Match '(?m)^\S+\{[^}]*\} \S+ \S+$' -Because 'the textfile collector skips files with timestamps'
        $text | Should -Match "`n$"
        @(Get-ChildItem $script:Out -Force -Filter '*.tmp') | Should -BeNullOrEmpty -Because 'it is written to a temporary file and renamed'
    }

    It 'writes a Json document of schema 1 with the summary and every service' {
        Export-DatamancyReport -Path $script:S.Path -Format Json -Destination $script:Out | Out-Null
        $json = Get-Content -Raw (Join-Path $script:Out 'status.json') | ConvertFrom-Json
        $json.schemaVersion | Should -Be 1
        $json.stack.state | Should -Be 'Degraded'
        $json.stack.reasons | Should -Contain 'sick: unhealthy'
        $json.services.name | Should -Be @('healthy', 'sick', 'stale', 'store', 'once')
        $healthy = $json.services | Where-Object name -eq healthy
        $healthy.state | Should -Be 'Running'
        $healthy.fingerprint | Should -Be 'Fresh'
        $healthy.backup | Should -Be 'OK'
        ($json.services | Where-Object name -eq store).backup | Should -Be 'NeverBackedUp'
        ($json.services | Where-Object name -eq store).lastBackup | Should -BeNullOrEmpty
        ($json.services | Where-Object name -eq stale).changed | Should -Be @('ConfigHash')
        ($json.services | Where-Object name -eq stale).restarts | Should -Be 1
        $healthy.uptimeSeconds | Should -BeGreaterOrEqual 0
        [datetimeoffset]$healthy.startedAt | Should -BeGreaterThan ([datetimeoffset]::UtcNow.AddMinutes(-10))
        ($json.services | Where-Object name -eq once).uptimeSeconds | Should -BeNullOrEmpty
    }

    It 'writes the services page that the bundled docs-indexer puts in and Debian''s mkdocs builds (--strict)' {
        $mkdocs = Get-Checker 'mkdocs' 'mkdocs mkdocs-material'
        # The stack's layout: the report in data/reports, the static pages in mkdocs/docs.
        $docs = Join-Path $script:Out 'docs-stack'
        New-Item -ItemType Directory -Path (Join-Path $docs 'data/reports'), (Join-Path $docs 'source'), (Join-Path $docs 'site') -Force | Out-Null
        Copy-Item (Join-Path $script:RepoRoot 'configs/mkdocs') $docs -Recurse
        Copy-Item (Join-Path $script:RepoRoot 'configs/docs-indexer') $docs -Recurse
        Export-DatamancyReport -Path $script:S.Path -Format Markdown -Destination (Join-Path $docs 'data/reports/services.md') | Out-Null
        # docs-indexer as the compose file runs it (same mounts, no network), then mkdocs on what it wrote.
        $run = Invoke-DocsIndexer "$docs/docs-indexer/index.sh" "$docs/mkdocs/docs" "$docs/data/reports" $docs
        $LASTEXITCODE | Should -Be 0 -Because "$run"
        Copy-Item (Join-Path $docs 'mkdocs/mkdocs.yml') (Join-Path $docs 'build.yml')
        (Get-Content (Join-Path $docs 'build.yml') -Raw) -replace '(?m)^docs_dir: docs$', 'docs_dir: source' | Set-Content (Join-Path $docs 'build.yml')
        $result = Invoke-Checker -Path $mkdocs -Arguments @('build', '--strict', '--config-file', (Join-Path $docs 'build.yml'), '--site-dir', (Join-Path $docs 'out')) -WorkingDirectory $docs
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $page = [IO.File]::ReadAllText((Join-Path $docs 'out/services/index.html'))
        $page | Should -Match '<table>'
        foreach ($name in 'healthy', 'sick', 'stale', 'store', 'once') { $page | Should -Match "<td>$name</td>" }
        $page | Should -Match 'Degraded'
        [IO.File]::ReadAllText((Join-Path $docs 'out/index.html')) | Should -Match 'Export-DatamancyReport'
    }

    It 'leaves the placeholder page, which says what to run, when no report was written yet' {
        $docs = Join-Path $script:Out 'docs-empty'
        New-Item -ItemType Directory -Path (Join-Path $docs 'reports'), (Join-Path $docs 'source'), (Join-Path $docs 'site') -Force | Out-Null
        $run = Invoke-DocsIndexer "$script:RepoRoot/configs/docs-indexer/index.sh" "$script:RepoRoot/configs/mkdocs/docs" "$docs/reports" $docs
        $LASTEXITCODE | Should -Be 0 -Because "$run"
        "$run" | Should -Match 'Export-DatamancyReport -Format Markdown'
        Get-Content (Join-Path $docs 'source/services.md') -Raw | Should -Match 'Register-DatamancySchedule -Task Report'
    }

    It 'writes one self-contained Html page with the table' {
        Export-DatamancyReport -Path $script:S.Path -Format Html -Destination $script:Out | Out-Null
        $html = [IO.File]::ReadAllText((Join-Path $script:Out 'status.html'))
        $html | Should -Match '^<!DOCTYPE html>'
        $html | Should -Not -Match '(src|href)\s*=' -Because 'it has no external asset'
        $html | Should -Not -Match '<script|<link|@import|url\('
        $html | Should -Match 'id="stack-state">Degraded<'
        foreach ($name in 'healthy', 'sick', 'stale', 'store', 'once') { $html | Should -Match "data-service=`"$name`"><td>$name</td>" }
        $html | Should -Match '<li>sick: unhealthy</li>'
    }

    It 'shows the table in headless Chromium, offline (the DOM it built, and a screenshot)' {
        $chromium = Get-Checker 'chromium' 'chromium'
        $page = Join-Path $script:Out 'status.html'
        $browserHome = New-TestFolder 'dm-chromium'
        try {
            # No network: a proxy that answers nothing, so only a self-contained page renders whole.
            $common = @('--headless', '--no-sandbox', '--disable-gpu', "--user-data-dir=$browserHome", '--proxy-server=127.0.0.1:9', '--window-size=1400,900')
            $dom = Invoke-Checker -Path $chromium -Arguments ($common + @('--dump-dom', "file://$page")) -WorkingDirectory $script:Out
            $dom.ExitCode | Should -Be 0 -Because $dom.StdErr
            # The parser's own output: it adds nothing the page did not say, and keeps every row.
            $rows = [regex]::Matches($dom.StdOut, '<tr class="(well|problem)" data-service="([^"]+)"><td>([^<]+)</td><td>([^<]+)</td>')
            @($rows | ForEach-Object { $_.Groups[2].Value }) | Should -Be @('healthy', 'sick', 'stale', 'store', 'once')
            ($rows | Where-Object { $_.Groups[2].Value -eq 'healthy' }).Groups[4].Value | Should -Be 'Running'
            ($rows | Where-Object { $_.Groups[2].Value -eq 'sick' }).Groups[1].Value | Should -Be 'problem'
            $dom.StdOut | Should -Match '<span class="state Degraded" id="stack-state">Degraded</span>'
            $shot = Join-Path $script:Out 'status.png'
            $picture = Invoke-Checker -Path $chromium -Arguments ($common + @("--screenshot=$shot", "file://$page")) -WorkingDirectory $script:Out
            $picture.ExitCode | Should -Be 0 -Because $picture.StdErr
            (Get-Item $shot).Length | Should -BeGreaterThan 10000
        }
        finally { Remove-Item $browserHome -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'writes to data/reports in the stack folder without -Destination, and -WhatIf writes nothing' {
        Export-DatamancyReport -Path $script:S.Path -Format Json -WhatIf
        Test-Path (Join-Path $script:S.Path 'data/reports/status.json') | Should -BeFalse
        (Export-DatamancyReport -Path $script:S.Path -Format Json).FullName | Should -Be (Join-Path $script:S.Path 'data/reports/status.json')
    }
}

Describe 'The status alert rules' {
    It 'pass promtool check rules and their unit tests (promtool test rules)' {
        $promtool = Get-Checker 'promtool' 'prometheus'
        $folder = Join-Path $script:RepoRoot 'configs/prometheus'
        $check = Invoke-Checker -Path $promtool -Arguments @('check', 'rules', 'rules/datamancy-status.yml') -WorkingDirectory $folder
        $check.ExitCode | Should -Be 0 -Because ($check.StdOut + $check.StdErr)
        $result = Invoke-Checker -Path $promtool -Arguments @('test', 'rules', 'tests/status_test.yml') -WorkingDirectory $folder
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $rules = [IO.File]::ReadAllText((Join-Path $folder 'rules/datamancy-status.yml'))
        foreach ($alert in 'DatamancyServiceDown', 'DatamancyServiceRestarting', 'DatamancyBackupStale', 'DatamancyTestsFailing', 'DatamancyCertificateExpiring') { $rules | Should -Match "alert: $alert" }
    }
}

Describe 'Register-, Get- and Unregister-DatamancySchedule' {
    BeforeAll {
        $script:Cron = Join-Path $script:WorkRoot 'cron.d'
        $script:Units = Join-Path $script:WorkRoot 'systemd'
        $script:SavedCron = $env:DATAMANCY_CRON_DIR
        $env:DATAMANCY_CRON_DIR = $script:Cron
        # Debian's python3, where python3-croniter is installed (another python3 may come first on PATH).
        $script:Python = if (Test-Path /usr/bin/python3) { '/usr/bin/python3' } else { Get-Checker 'python3' 'python3-croniter' }
        function Test-Croniter([string] $Expression) {
            $result = Invoke-Checker -Path $script:Python -Arguments @('-c', 'import sys, croniter; sys.exit(0 if croniter.croniter.is_valid(sys.argv[1]) else 3)', $Expression) -WorkingDirectory $script:WorkRoot
            if ($result.StdErr -match 'No module named') { throw 'python3-croniter is not installed: apt-get install python3-croniter (tests/env/install-checkers.sh).' }
            $result.ExitCode -eq 0
        }
    }
    AfterAll { [Environment]::SetEnvironmentVariable('DATAMANCY_CRON_DIR', $script:SavedCron) }

    It 'writes a cron.d file ($env:DATAMANCY_CRON_DIR) whose schedule croniter accepts and whose line runs pwsh with the module' {
        $info = Register-DatamancySchedule -Path $script:S.Path -Task ServiceTest -At '*/30 1-5 * * mon-fri' -Kind Cron
        $info | Should -BeOfType ([Datamancy.ScheduleInfo])
        $info.File | Should -Be (Join-Path $script:Cron "datamancy-servicetest-$($script:S.Project)")
        $info.Kind | Should -Be 'Cron'
        $info.LastRun | Should -BeNullOrEmpty
        $line = Get-Content $info.File | Where-Object { $_ -notmatch '^(#|SHELL=|PATH=|$)' }
        $line | Should -HaveCount 1
        $fields = $line -split ' '
        Test-Croniter (($fields[0..4]) -join ' ') | Should -BeTrue
        $fields[5] | Should -Be 'root'
        $line | Should -Match ([regex]::Escape("Import-Module '$script:ModulePath'"))
        $line | Should -Match ([regex]::Escape("Test-DatamancyService -Path '$($script:S.Path)'"))
        $line | Should -Match ([regex]::Escape(">> '$($script:S.Path)/data/schedules/servicetest.log' 2>&1"))
        (Get-Item $info.File).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
        @(Get-ChildItem $script:Cron -Force).Name | Should -Be @("datamancy-servicetest-$($script:S.Project)") -Because 'it is written atomically, no temporary file left'
    }

    It 'refuses a schedule that is not cron with InvalidSchedule, and croniter agrees' {
        foreach ($bad in '61 * * * *', 'every day', '* * * *') {
            { Register-DatamancySchedule -Path $script:S.Path -Task Report -At $bad -Kind Cron -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSchedule*'
            Test-Croniter $bad | Should -BeFalse -Because "croniter refuses '$bad' too"
        }
        Test-Path (Join-Path $script:Cron "datamancy-report-$($script:S.Project)") | Should -BeFalse
    }

    It 'writes a systemd timer with -Kind Systemd whose OnCalendar systemd-analyze accepts, replacing the task''s cron file' {
        $analyze = Get-Checker 'systemd-analyze' 'systemd'
        $info = Register-DatamancySchedule -Path $script:S.Path -Task ServiceTest -At '*/30 1-5 * * mon-fri' -Kind Systemd -UnitDirectory $script:Units
        $info.Kind | Should -Be 'Systemd'
        $info.File | Should -Be (Join-Path $script:Units "datamancy-servicetest-$($script:S.Project).timer")
        Test-Path (Join-Path $script:Cron "datamancy-servicetest-$($script:S.Project)") | Should -BeFalse -Because 'one kind per task'
        $calendar = (Get-Content $info.File | Where-Object { $_ -like 'OnCalendar=*' }).Substring(11)
        $calendar | Should -Be 'Mon..Fri *-*-* 1..5:0/30:00'
        $result = Invoke-Checker -Path $analyze -Arguments @('calendar', $calendar) -WorkingDirectory $script:WorkRoot
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $service = [IO.Path]::ChangeExtension($info.File, '.service')
        Get-Content $service | Should -Contain 'Type=oneshot'
        (Get-Content $service | Where-Object { $_ -like 'ExecStart=/bin/sh -c "*' }) | Should -HaveCount 1
        { Register-DatamancySchedule -Path $script:S.Path -Task Report -At '0 3 1 * 1' -Kind Systemd -UnitDirectory $script:Units -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidSchedule*' -Because 'cron takes either day field, systemd both'
    }

    It 'lists the stack''s schedules, and Unregister removes them' {
        Register-DatamancySchedule -Path $script:S.Path -Task Report -At '@hourly' -Kind Cron | Out-Null
        $all = @(Get-DatamancySchedule -Path $script:S.Path -UnitDirectory $script:Units)
        $all.Task | ForEach-Object ToString | Sort-Object | Should -Be @('Report', 'ServiceTest')
        (Get-DatamancySchedule -Path $script:S.Path -Task Report).At | Should -Be '@hourly'
        Get-DatamancySchedule -Path $script:S.Path -UnitDirectory $script:Units | Unregister-DatamancySchedule -Path $script:S.Path -UnitDirectory $script:Units -Confirm:$false
        Get-DatamancySchedule -Path $script:S.Path -UnitDirectory $script:Units | Should -BeNullOrEmpty
        @(Get-ChildItem $script:Units) | Should -BeNullOrEmpty
        { Unregister-DatamancySchedule -Path $script:S.Path -Task Report -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ScheduleNotFound*'
    }

    It 'makes the backup policy''s cron file a Backup schedule, written by the same writer' {
        Set-DatamancyBackupPolicy -Path $script:S.Path -Schedule '30 2 * * *' -Confirm:$false | Out-Null
        $backup = Get-DatamancySchedule -Path $script:S.Path -Task Backup
        $backup.File | Should -Be (Join-Path $script:Cron "datamancy-backup-$($script:S.Project)")
        $backup.At | Should -Be '30 2 * * *'
        $backup.Command | Should -Be "Invoke-DatamancyBackup -Path '$($script:S.Path)' | Test-DatamancyBackup -Path '$($script:S.Path)'"
        Unregister-DatamancySchedule -Path $script:S.Path -Task Backup -Confirm:$false
    }

    It 'leaves a trace of a failed run that Get-DatamancySchedule and Get-DatamancyStatus -Summary show' {
        $info = Register-DatamancySchedule -Path $script:S.Path -Task ServiceTest -At '@daily' -Kind Cron
        $line = Get-Content $info.File | Where-Object { $_ -like '@daily root *' }
        # What cron runs: the rest of the line, through /bin/sh (no % in it to unescape).
        $line | Should -Not -Match '%'
        $command = $line.Substring('@daily root '.Length)
        $run = Invoke-Checker -Path /bin/sh -Arguments @('-c', $command) -WorkingDirectory $script:WorkRoot -TimeoutSeconds 300
        $run.ExitCode | Should -Be 0 -Because 'the shell line records the exit code and moves the trace into place'
        $after = Get-DatamancySchedule -Path $script:S.Path -Task ServiceTest
        $after.LastExitCode | Should -Be 1 -Because 'sick fails its tests'
        $after.Failed | Should -BeTrue
        $after.LastRun | Should -BeGreaterThan ([datetimeoffset]::UtcNow.AddMinutes(-5))
        Get-Content $after.LogFile -Raw | Should -Match 'sick'
        $summary = Get-DatamancyStatus -Path $script:S.Path -Summary
        $summary.Reasons | Where-Object { $_ -like 'scheduled ServiceTest failed (exit 1) at *servicetest.log' } | Should -HaveCount 1
        $prom = Export-DatamancyReport -Path $script:S.Path -Format Prometheus -Destination (Join-Path $script:WorkRoot 'after.prom')
        [IO.File]::ReadAllText($prom.FullName) | Should -Match '(?m)^datamancy_schedule_last_exit_code\{task="ServiceTest"\} 1$'
        Unregister-DatamancySchedule -Path $script:S.Path -Task ServiceTest -Confirm:$false
    }
}
