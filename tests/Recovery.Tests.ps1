# Losing the host: the backup test stack (real MariaDB, PostgreSQL, Redis, a volume of files) backed
# up with restic to a repository that lives on neither engine (Debian's `rclone serve restic` on the
# test bridge's host address), then rebuilt with Restore-DatamancyStack onto a second, empty engine
# (a dockerd in its own network namespace) into a new folder (stopped midway, then finished by the
# same command), and drilled with
# Test-DatamancyRecovery next to the live stack, which must stay as it was.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'env/TestNodes.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }
    if (-not (Test-Path /usr/bin/rclone)) { throw 'The recovery tests serve their restic repository with rclone: run bash tests/env/install-checkers.sh.' }

    function New-Secret { -join ([Security.Cryptography.RandomNumberGenerator]::GetBytes(32) | ForEach-Object { $_.ToString('x2') }) }

    $script:Nodes = Start-TestNode -Count 1
    $script:Node = $script:Nodes.Nodes[0]
    Copy-TestImageToNode -Image datamancy-test/debian:12 -Node $script:Node
    Copy-TestImageToNode -Image datamancy-test/busybox:1 -Node $script:Node

    # The repository: on the host, served on the test bridge, which both engines' containers reach.
    $script:RepositoryFolder = New-TestFolder 'dm-recovery-repo'
    $port = Get-Random -Minimum 20000 -Maximum 30000
    $script:RclonePid = Start-TestBackgroundProcess -LogPath (Join-Path $script:RepositoryFolder 'rclone.log') `
        -ArgumentList '/usr/bin/rclone', 'serve', 'restic', '--addr', "$($script:Nodes.HostAddress):$port", (Join-Path $script:RepositoryFolder 'repo')
    $script:Repository = "rest:http://$($script:Nodes.HostAddress):$port/"
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while ($true) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect($script:Nodes.HostAddress, $port); break } catch { if ([DateTime]::UtcNow -gt $deadline) { throw "rclone serve restic did not listen: $(Get-Content (Join-Path $script:RepositoryFolder 'rclone.log') -Raw)" } }
        finally { $client.Dispose() }
        Start-Sleep -Milliseconds 200
    }

    $script:Stack = New-TestFolder 'dm-recovery-live'
    $script:Project = 'dmrec' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    Copy-Item (Join-Path $PSScriptRoot 'stacks/backup/*') $script:Stack -Recurse
    Copy-Item (Join-Path $PSScriptRoot 'stacks/secrets/mariadb'), (Join-Path $PSScriptRoot 'stacks/secrets/paperless-postgres') $script:Stack -Recurse
    $compose = Join-Path $script:Stack 'docker-compose.yml'
    (Get-Content $compose -Raw).Replace('repository: ./data/backups/restic', "repository: $script:Repository") | Set-Content $compose -NoNewline
    $script:ResticPassword = New-Secret
    $script:Password = ConvertTo-SecureString $script:ResticPassword -AsPlainText -Force
    Set-Content (Join-Path $script:Stack '.env') ("COMPOSE_PROJECT_NAME=$script:Project`nMARIADB_ROOT_PASSWORD=$(New-Secret)`nVAULTWARDEN_DB_PASSWORD=$(New-Secret)`n" +
        "PAPERLESS_DB_PASSWORD=$(New-Secret)`nREDIS_PASSWORD=$(New-Secret)`nRESTIC_REPOSITORY_PASSWORD=$script:ResticPassword`n") -NoNewline
    chmod 600 (Join-Path $script:Stack '.env')

    $started = Start-DatamancyService -Path $script:Stack -Name mariadb, paperless-postgres, redis, files -Timeout 180
    if ($started | Where-Object { -not $_.Succeeded }) { throw "The live test stack did not start: $(($started | Where-Object { -not $_.Succeeded }).Error)" }

    # Rows and file hashes of a project on an engine, to compare the live stack with its rebuilt copy.
    function Get-DataState([string] $DockerHost, [string] $Project) {
        function Invoke-In([string] $Service, [string] $Script) { docker -H $DockerHost exec "$Project-$Service-1" sh -c $Script 2>&1 | ForEach-Object { "$_" } }
        [ordered]@{
            Postgres = Invoke-In paperless-postgres "psql -At -U paperless paperless -c `"select count(*), md5(string_agg(id || ':' || body, ',' order by id)) from notes`""
            MariaDb  = Invoke-In mariadb 'MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb -uroot -N -e "select count(*), md5(group_concat(id, name order by id)) from app.items"'
            Redis    = Invoke-In redis 'redis-cli dbsize; redis-cli get "key:7"'
            Files    = Invoke-In files 'cd /files && find . -type f -exec sha256sum {} + | sort'
        } | ConvertTo-Json -Compress
    }
    function Invoke-Live([string] $Service, [string] $Script) {
        $output = docker exec "$script:Project-$Service-1" sh -c $Script 2>&1
        if ($LASTEXITCODE -ne 0) { throw "docker exec in $Service failed: $output" }
    }
    Invoke-Live paperless-postgres "psql -q -v ON_ERROR_STOP=1 -U paperless paperless -c `"create table notes (id int primary key, body text); insert into notes select g, 'note ' || g from generate_series(1, 1200) g`""
    Invoke-Live mariadb 'MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb -uroot -e "create database app; use app; create table app.items (id int primary key, name varchar(100)); insert into app.items select seq, concat(''item '', seq) from seq_1_to_900"'
    Invoke-Live redis 'for i in $(seq 1 200); do echo "SET key:$i value-$i"; done | redis-cli >/dev/null; redis-cli save >/dev/null'
    Invoke-Live files 'mkdir -p "/files/a dir" && echo hello > "/files/a dir/hello world.txt" && head -c 1000000 /dev/urandom > /files/random.bin'
    $script:Before = Get-DataState 'unix:///var/run/docker.sock' $script:Project

    # The stack folder goes into the repository with its secrets, so the repository and its password are all a new host needs.
    Set-DatamancyBackupPolicy -Path $script:Stack -IncludeSecrets | Out-Null
    $backups = @(Invoke-DatamancyBackup -Path $script:Stack -Target databases, files_data, configs)
    if ($backups | Where-Object Status -ne 'Completed') { throw "The backup failed: $(($backups | Where-Object Status -ne 'Completed').Error)" }

    $script:NewStack = Join-Path (New-TestFolder 'dm-recovery-new') 'stack'
    $script:Common = @{ Repository = $script:Repository; Password = $script:Password; ToolImage = 'datamancy-test/debian:12' }

    function Get-LiveFootprint {
        @(docker ps -a --filter "label=com.docker.compose.project=$script:Project" --format '{{.ID}} {{.Names}} {{.Status}}' | ForEach-Object { $_ -replace 'Up .*', 'Up' }) +
        @(docker volume ls -q --filter "label=com.docker.compose.project=$script:Project") | Sort-Object
    }
    function Get-DrillLeftover {
        @(docker ps -a --filter "label=com.docker.compose.project" --format '{{.Label "com.docker.compose.project"}}') + @(docker volume ls --format '{{.Label "com.docker.compose.project"}}') +
        @(docker network ls --format '{{.Label "com.docker.compose.project"}}') | Where-Object { $_ -like "$script:Project-drill-*" }
    }
}

AfterAll {
    Remove-DockerProject $script:Project
    Stop-TestNode $script:Nodes
    if ($script:RclonePid) { Stop-TestProcess $script:RclonePid $script:RepositoryFolder | Out-Null }
    foreach ($folder in $script:Stack, $script:RepositoryFolder, $(if ($script:NewStack) { Split-Path $script:NewStack })) {
        if ($folder) { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'Restore-DatamancyStack onto a new engine' {
    It 'shows the whole plan with -WhatIf and touches nothing' {
        Restore-DatamancyStack @script:Common -Path $script:NewStack -Engine $script:Node.Socket -WhatIf
        Test-Path $script:NewStack | Should -BeFalse
        @(docker -H $script:Node.Socket ps -aq) | Should -BeNullOrEmpty
        @(docker -H $script:Node.Socket volume ls -q) | Should -BeNullOrEmpty
    }

    It 'rebuilds the stack from the repository alone, with equal rows and file hashes, after a stop midway that the same command finishes' {
        # Ctrl+C once the stack folder is back: the folder keeps its record of what was made.
        $marker = Join-Path $script:NewStack '.datamancy-restore.json'
        $shell = [powershell]::Create()
        try {
            $shell.Runspace.SessionStateProxy.SetVariable('common', $script:Common)
            $null = $shell.AddScript("Import-Module '$script:ModulePath'; Restore-DatamancyStack @common -Path '$script:NewStack' -Engine '$($script:Node.Socket)' -Confirm:`$false")
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            while (-not ((Test-Path $marker) -and (Get-Content $marker -Raw | ConvertFrom-Json).stackFolder) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $running.IsCompleted | Should -BeFalse -Because 'the restore must still run when it is stopped'
            $shell.Stop()
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $shell.Dispose() }
        (Get-Content $marker -Raw | ConvertFrom-Json).project | Should -Be $script:Project

        $output = @(Restore-DatamancyStack @script:Common -Path $script:NewStack -Engine $script:Node.Socket -Confirm:$false)
        $results = $output | Where-Object { $_ -is [Datamancy.StackRecoveryResult] }
        $summary = $output | Where-Object { $_ -is [Datamancy.StackRecoverySummary] }
        ($results.Service | Sort-Object) | Should -Be @('files', 'mariadb', 'paperless-postgres', 'redis')
        $results | ForEach-Object { $_.Passed | Should -BeTrue -Because "$($_.Service): $($_.Reason)" }
        ($results | Where-Object Service -eq 'paperless-postgres').Rows | Should -Be 1200
        ($results | Where-Object Service -eq 'files').Restored | Should -Be 'volume files_data'
        $summary.Passed | Should -BeTrue
        $summary.RecoveryTime | Should -BeGreaterThan ([TimeSpan]::Zero)
        Test-Path (Join-Path $script:NewStack '.env') | Should -BeTrue
        Test-Path (Join-Path $script:NewStack '.datamancy-restore.json') | Should -BeFalse
        Get-DataState $script:Node.Socket $script:Project | Should -Be $script:Before
        # The volumes carry Compose's labels, as if Compose had made them.
        docker -H $script:Node.Socket volume inspect "$($script:Project)_files_data" --format '{{index .Labels "com.docker.compose.volume"}}' | Should -Be 'files_data'
        ($output | Out-String) | Should -Not -Match $script:ResticPassword
    }

    It 'refuses to restore over an existing folder or project without -Force, naming what is there' {
        { Restore-DatamancyStack @script:Common -Path $script:NewStack -Engine $script:Node.Socket -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RecoveryFolderExists*' -ExpectedMessage '*docker-compose.yml*'
        $other = Join-Path (Split-Path $script:NewStack) 'other'
        $caught = $null
        try { Restore-DatamancyStack @script:Common -Path $other -Engine $script:Node.Socket -Confirm:$false -ErrorAction Stop } catch { $caught = $_ }
        Get-ErrorId $caught | Should -Be 'RecoveryProjectExists'
        $caught.Exception.Message | Should -BeLike "*volume $($script:Project)_files_data*"
        Test-Path $other | Should -BeFalse
    }
}

Describe 'Test-DatamancyRecovery next to the live stack' {
    It 'passes on a good repository, leaves nothing behind and does not touch the live stack' {
        $live = Get-LiveFootprint
        $output = @(Test-DatamancyRecovery @script:Common)
        $summary = $output | Where-Object { $_ -is [Datamancy.StackRecoverySummary] }
        $summary.IsDrill | Should -BeTrue
        $summary.Passed | Should -BeTrue -Because ((($output | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Service) $($_.Reason)" }) -join '; ') + $summary.Reason)
        ($output | Where-Object { $_ -is [Datamancy.StackRecoveryResult] }).Count | Should -Be 4
        ($output | Where-Object Service -eq 'files').Files | Should -Be 2
        ($output | Where-Object Service -eq 'mariadb').Rows | Should -BeGreaterOrEqual 900
        Get-DrillLeftover | Should -BeNullOrEmpty
        Get-LiveFootprint | Should -Be $live
        Get-DataState 'unix:///var/run/docker.sock' $script:Project | Should -Be $script:Before
    }

    It 'fails on a corrupted repository, naming the target and the reason, and still leaves nothing behind' {
        $packs = Get-ChildItem (Join-Path $script:RepositoryFolder 'repo/data') -Recurse -File | Sort-Object Length -Descending
        $bytes = [IO.File]::ReadAllBytes($packs[0].FullName)
        for ($i = 200; $i -lt [Math]::Min($bytes.Length - 100, 4000); $i++) { $bytes[$i] = $bytes[$i] -bxor 0xff }
        [IO.File]::WriteAllBytes($packs[0].FullName, $bytes)
        $summary = Test-DatamancyRecovery @script:Common | Where-Object { $_ -is [Datamancy.StackRecoverySummary] }
        $summary.Passed | Should -BeFalse
        $summary.Reason | Should -Match '(files_data|mariadb|paperless-postgres|redis|configs|stack folder)'
        Get-DrillLeftover | Should -BeNullOrEmpty
    }
}
