# End to end on the real engine: real MariaDB, PostgreSQL and Redis from Debian's packages, a
# volume of files, restic as the engine (tests/stacks/backup). Backup, drill, change and drop data,
# restore, find it back exactly; a corrupted pack fails the drill; an interrupted backup leaves a
# usable repository.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }

    function New-Secret { -join ([Security.Cryptography.RandomNumberGenerator]::GetBytes(32) | ForEach-Object { $_.ToString('x2') }) }

    $script:Stack = New-TestFolder 'dm-backup'
    $script:Project = 'dmbak' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    Copy-Item (Join-Path $PSScriptRoot 'stacks/backup/*') $script:Stack -Recurse
    Copy-Item (Join-Path $PSScriptRoot 'stacks/secrets/mariadb'), (Join-Path $PSScriptRoot 'stacks/secrets/paperless-postgres') $script:Stack -Recurse
    $script:EnvFile = Join-Path $script:Stack '.env'
    $script:ResticPassword = New-Secret
    Set-Content $script:EnvFile ("COMPOSE_PROJECT_NAME=$script:Project`nMARIADB_ROOT_PASSWORD=$(New-Secret)`nVAULTWARDEN_DB_PASSWORD=$(New-Secret)`n" +
        "PAPERLESS_DB_PASSWORD=$(New-Secret)`nREDIS_PASSWORD=$(New-Secret)`nRESTIC_REPOSITORY_PASSWORD=$script:ResticPassword`n") -NoNewline
    chmod 600 $script:EnvFile
    $script:Repository = Join-Path $script:Stack 'data/backups/restic'

    $started = Start-DatamancyService -Path $script:Stack -Name mariadb, paperless-postgres, redis, files -Timeout 180
    $failed = $started | Where-Object { -not $_.Succeeded }
    if ($failed) { throw "The backup test containers did not start: $($failed.Name): $($failed.Error)" }

    function Invoke-In([string] $Service, [string] $Script) {
        $output = docker exec "$script:Project-$Service-1" sh -c $Script 2>&1
        if ($LASTEXITCODE -ne 0) { throw "docker exec in $Service failed: $output" }
        $output
    }

    # Fingerprints of the data in each server and in the volume, to compare before and after; a dropped table shows as its error.
    function Get-DataState {
        function Invoke-In([string] $Service, [string] $Script) { docker exec "$script:Project-$Service-1" sh -c $Script 2>&1 | ForEach-Object { "$_" } }
        [ordered]@{
            # One query per exec: a failing one writes to stderr, whose order against stdout docker exec does not keep.
            Postgres = @(Invoke-In paperless-postgres "psql -At -U paperless paperless -c `"select count(*), md5(string_agg(id || ':' || body, ',' order by id)) from notes`""
                Invoke-In paperless-postgres "psql -At -U paperless paperless -c `"select count(*) from \`"Odd Table\`"`"")
            MariaDb  = Invoke-In mariadb 'MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb -uroot -N -e "select count(*), md5(group_concat(id, name order by id)) from app.items; checksum table app.items"'
            Redis    = Invoke-In redis 'redis-cli dbsize; redis-cli get "key:7"; redis-cli hget h field'
            Files    = Invoke-In files 'cd /files && find . -type f -exec sha256sum {} + | sort'
        } | ConvertTo-Json -Compress
    }

    Invoke-In paperless-postgres @'
psql -q -v ON_ERROR_STOP=1 -U paperless paperless <<'SQL'
create table notes (id int primary key, body text);
insert into notes select g, 'note ' || g || E'\nline two \\ backslash' from generate_series(1, 2000) g;
create table "Odd Table" (v text);
insert into "Odd Table" values ('it''s'), ('x');
SQL
'@ | Out-Null
    Invoke-In mariadb @'
MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb -uroot <<'SQL'
create database app;
use app;
create table app.items (id int primary key, name varchar(100));
insert into app.items select seq, concat('item ', seq) from seq_1_to_1500;
SQL
'@ | Out-Null
    Invoke-In redis 'for i in $(seq 1 300); do echo "SET key:$i value-$i"; done | redis-cli >/dev/null; redis-cli hset h field "hash value" >/dev/null; redis-cli save >/dev/null' | Out-Null
    Invoke-In files 'mkdir -p "/files/a dir/nested" && echo hello > "/files/a dir/hello world.txt" && head -c 3000000 /dev/urandom > /files/random.bin && echo x > "/files/a dir/nested/x"' | Out-Null
    $script:Before = Get-DataState
}

AfterAll {
    Remove-DockerProject $script:Project
    Remove-Item $script:Stack -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-DatamancyBackup with restic' {
    It 'backs up every target that exists, one result each, and fails only the volume that does not exist' {
        $results = @(Invoke-DatamancyBackup -Path $script:Stack -ErrorVariable problems -ErrorAction SilentlyContinue)
        $results | Should -BeOfType ([Datamancy.BackupResult])
        ($results.Target | Sort-Object) | Should -Be @('archive_data', 'configs', 'files_data', 'mariadb', 'paperless-postgres', 'redis')
        $ok = $results | Where-Object Target -ne 'archive_data'
        $ok | ForEach-Object { $_.Status | Should -Be 'Completed' -Because "$($_.Target): $($_.Error)" }
        $ok | ForEach-Object { $_.SnapshotId | Should -Match '^[0-9a-f]{8,}$'; $_.Engine | Should -Be 'restic' }
        ($ok | Where-Object Kind -eq 'Database').Bytes | ForEach-Object { $_ | Should -BeGreaterThan 100 }
        ($results | Where-Object Target -eq files_data).Bytes | Should -BeGreaterThan 3000000
        $archive = $results | Where-Object Target -eq archive_data
        $archive.Status | Should -Be 'Failed'
        $archive.ErrorId | Should -Be 'BackupTargetUnavailable'
        $problems | Should -HaveCount 1
        Get-ErrorId $problems[0] | Should -Be 'BackupTargetUnavailable'
        @(docker ps -aq --filter "label=io.datamancy.backup-tool=$script:Project") | Should -BeNullOrEmpty
        # Each attempt is recorded for Get-DatamancyStatus; a failed one without a success before it is never backed up.
        $failed = Get-Content -Raw (Join-Path $script:Stack 'data/backup-status/archive_data/last_backup.json') | ConvertFrom-Json
        $failed.status | Should -Be 'Failed'
        $failed.errorId | Should -Be 'BackupTargetUnavailable'
        $failed.lastSuccessAt | Should -BeNullOrEmpty
        (Get-DatamancyStatus -Path $script:Stack -Name mariadb -WarningAction SilentlyContinue).Backup | Should -Be 'OK'
    }

    It 'leaves no dump on disk and no secret in the repository''s tags' {
        $env:RESTIC_PASSWORD = $script:ResticPassword
        try {
            $snapshots = restic -r $script:Repository snapshots --json | ConvertFrom-Json
            $configs = $snapshots | Where-Object { $_.tags -contains 'datamancy.target=configs' } | Select-Object -Last 1
            $listing = @(restic -r $script:Repository ls $configs.short_id)
        }
        finally { Remove-Item Env:RESTIC_PASSWORD }
        # The stack folder is backed up without its secrets unless the policy includes them.
        $listing | Should -Contain '/sources/configs/docker-compose.yml'
        $listing | Should -Not -Contain '/sources/configs/.env'
        $snapshots.Count | Should -BeGreaterOrEqual 5
        ($snapshots.tags | Out-String) | Should -Not -Match $script:ResticPassword
        Get-ChildItem $script:Stack -Recurse -File -Include *.sql, *.rdb | Should -BeNullOrEmpty
    }

    It 'reports each target''s compliance, including the one never backed up' {
        $info = @(Get-DatamancyBackup -Path $script:Stack)
        ($info | Where-Object Target -eq archive_data).Status | Should -Be 'NeverBackedUp'
        $info | Where-Object Target -ne archive_data | ForEach-Object { $_.Status | Should -Be 'OK' -Because $_.Target }
        (Get-DatamancyBackup -Path $script:Stack -Target databases).Target | Sort-Object | Should -Be @('mariadb', 'paperless-postgres', 'redis')
        Set-Content (Join-Path $script:Stack 'backup-policy.json') '{ "maxAge": "00:00:01" }'
        Start-Sleep -Seconds 2
        try { (Get-DatamancyBackup -Path $script:Stack -Target files_data).Status | Should -Be 'Outdated' }
        finally { Remove-Item (Join-Path $script:Stack 'backup-policy.json') }
    }

    It 'refuses an unknown target before doing anything' {
        { Invoke-DatamancyBackup -Path $script:Stack -Target nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'BackupTargetNotFound*'
    }

    It 'refuses a wrong repository password, without showing it' {
        $wrong = [pscredential]::new('restic', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        $caught = $null
        try { Get-DatamancyBackup -Path $script:Stack -RepositoryCredential $wrong -ErrorAction Stop } catch { $caught = $_ }
        Get-ErrorId $caught | Should -Be 'BackupRepositoryUnavailable'
        $caught.Exception.Message | Should -Match 'wrong password'
        $caught.Exception.Message | Should -Not -Match 'not-the-password'
    }
}

Describe 'Test-DatamancyBackup, the restore drill' {
    It 'passes on good backups, one result per target, and removes its scratch' {
        $drills = @(Invoke-DatamancyBackup -Path $script:Stack -Target databases, files_data, configs | Test-DatamancyBackup -Path $script:Stack)
        $drills | Should -BeOfType ([Datamancy.BackupDrillResult])
        ($drills.Target | Sort-Object) | Should -Be @('configs', 'files_data', 'mariadb', 'paperless-postgres', 'redis')
        $drills | ForEach-Object { $_.Passed | Should -BeTrue -Because "$($_.Target): $($_.Reason)" }
        ($drills | Where-Object Target -eq paperless-postgres).Rows['public.notes'] | Should -Be 2000
        ($drills | Where-Object Target -eq files_data).Files | Should -Be 3
        @(docker ps -aq --filter "label=io.datamancy.drill=$script:Project") | Should -BeNullOrEmpty
        @(docker volume ls -q --filter "label=io.datamancy.drill=$script:Project") | Should -BeNullOrEmpty
    }

    It 'restores to disk with -Scratch Disk, and in memory with -Scratch Memory, the same files' {
        foreach ($scratch in 'Disk', 'Memory') {
            $drill = Test-DatamancyBackup -Path $script:Stack -Target files_data -Scratch $scratch
            $drill.Passed | Should -BeTrue -Because "$scratch`: $($drill.Reason)"
            $drill.Files | Should -Be 3
        }
        @(docker ps -aq --filter "label=io.datamancy.backup-tool=$script:Project") | Should -BeNullOrEmpty
        @(docker volume ls -q --filter "label=io.datamancy.drill=$script:Project") | Should -BeNullOrEmpty
    }

    It 'refuses a scratch place it does not know, before any container' {
        { Test-DatamancyBackup -Path $script:Stack -Target files_data -Scratch Tape } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage*'
        @(docker ps -aq --filter "label=io.datamancy.backup-tool=$script:Project") | Should -BeNullOrEmpty
    }
}

Describe 'Restore-DatamancyBackup' {
    BeforeAll {
        Invoke-In paperless-postgres 'psql -q -U paperless paperless -c "delete from notes where id > 1000" -c "drop table \"Odd Table\""' | Out-Null
        Invoke-In mariadb 'MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb -uroot -e "update app.items set name = ''changed'' where id < 10; drop table app.items"' | Out-Null
        Invoke-In redis 'redis-cli flushall >/dev/null; redis-cli set extra 1 >/dev/null' | Out-Null
        Invoke-In files 'rm -r "/files/a dir"; echo changed > /files/random.bin; echo new > /files/new.txt' | Out-Null
        $script:Changed = Get-DataState
    }

    It 'changes nothing with -WhatIf, and refuses live data without -Force' {
        Restore-DatamancyBackup -Path $script:Stack -Target files_data, databases -WhatIf | Should -BeNullOrEmpty
        foreach ($target in 'files_data', 'paperless-postgres') {
            $caught = $null
            try { Restore-DatamancyBackup -Path $script:Stack -Target $target -Confirm:$false -ErrorAction Stop } catch { $caught = $_ }
            Get-ErrorId $caught | Should -Be 'RestoreWouldOverwrite'
        }
        Get-DataState | Should -Be $script:Changed
    }

    It 'puts every target back exactly as it was backed up' {
        $restored = @(Restore-DatamancyBackup -Path $script:Stack -Target files_data, databases -Force -Confirm:$false)
        $restored | Should -BeOfType ([Datamancy.RestoreResult])
        ($restored.Target | Sort-Object) | Should -Be @('files_data', 'mariadb', 'paperless-postgres', 'redis')
        ($restored | Where-Object Target -eq files_data).Destination | Should -Be "volume:$($script:Project)_files_data"
        $deadline = (Get-Date).AddSeconds(60)
        while ((Invoke-In redis 'redis-cli ping 2>&1' 2>$null) -ne 'PONG' -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 500 }
        Get-DataState | Should -Be $script:Before
        # Redis's previous data was set aside until the file was in, then removed.
        Invoke-In redis 'ls -A /data' | Should -Not -Contain '.datamancy-restore-previous'
    }

    It 'never overwrites the previous data an interrupted Redis restore left aside, and leaves the server running' {
        Invoke-In redis 'mkdir /data/.datamancy-restore-previous && echo old > /data/.datamancy-restore-previous/appendonly.aof' | Out-Null
        try {
            { Restore-DatamancyBackup -Path $script:Stack -Target redis -Force -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'RestoreLeftoverFound*' -ExpectedMessage '*/data/.datamancy-restore-previous*interrupted restore*'
            $deadline = (Get-Date).AddSeconds(60)
            while ((Invoke-In redis 'redis-cli ping 2>&1' 2>$null) -ne 'PONG' -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 500 }
            Invoke-In redis 'cat /data/.datamancy-restore-previous/appendonly.aof' | Should -Be 'old'
            Get-DataState | Should -Be $script:Before
        }
        finally { Invoke-In redis 'rm -rf /data/.datamancy-restore-previous' | Out-Null }
    }

    It 'restores a volume and a dump into a folder, the dump readable by its owner only' {
        $folder = Join-Path (New-TestFolder 'dm-restore') 'out'
        try {
            $volume = Restore-DatamancyBackup -Path $script:Stack -Target files_data -Destination $folder -Confirm:$false
            $volume.Files | Should -Be 3
            Get-Content (Join-Path $folder 'a dir/hello world.txt') | Should -Be 'hello'
            { Restore-DatamancyBackup -Path $script:Stack -Target files_data -Destination $folder -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RestoreWouldOverwrite*'
            $dump = Restore-DatamancyBackup -Path $script:Stack -Target paperless-postgres -Destination $folder -Confirm:$false
            $dump.Destination | Should -Exist
            (Get-Item $dump.Destination).UnixMode | Should -Be '-rw-------'
            Get-Content $dump.Destination -Raw | Should -Match 'CREATE TABLE'
        }
        finally { Remove-Item (Split-Path $folder) -Recurse -Force }
    }
}

Describe 'An interrupted backup' {
    It 'stops on Ctrl+C, leaves the repository usable, and the next backup succeeds' {
        Invoke-In files 'head -c 300000000 /dev/urandom > /files/big.bin' | Out-Null
        # One command per PowerShell instance (a batch crashes the host when stopped), the module imported first.
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $import = [powershell]::Create($runspace)
        $null = $import.AddCommand('Import-Module').AddArgument($script:ModulePath).Invoke()
        $import.Dispose()
        $ps = [powershell]::Create($runspace)
        $null = $ps.AddCommand('Invoke-DatamancyBackup').AddParameter('Path', $script:Stack).AddParameter('Target', 'files_data')
        $async = $ps.BeginInvoke()
        $deadline = (Get-Date).AddSeconds(60)
        while (-not (docker ps -q --filter "label=io.datamancy.backup-tool=$script:Project") -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Seconds 2
        $async.IsCompleted | Should -BeFalse -Because 'the backup of 300 MB must still be running when it is stopped'
        $ps.Stop()
        $ps.Dispose()
        $runspace.Dispose()
        @(docker ps -aq --filter "label=io.datamancy.backup-tool=$script:Project") | Should -BeNullOrEmpty

        $next = Invoke-DatamancyBackup -Path $script:Stack -Target files_data
        $next.Status | Should -Be 'Completed' -Because $next.Error
        ($next | Test-DatamancyBackup -Path $script:Stack).Passed | Should -BeTrue
        Invoke-In files 'rm /files/big.bin' | Out-Null
    }
}

Describe 'Set-DatamancyBackupPolicy' {
    It 'keeps the policy, writes the schedule, and applies retention at the next backup' {
        $cron = Join-Path (New-TestFolder 'dm-cron') 'datamancy-backup'
        $policy = Set-DatamancyBackupPolicy -Path $script:Stack -KeepLatest 1 -MaxAge '2.00:00:00' -Schedule '30 2 * * *' -ScheduleFile $cron -Confirm:$false
        $policy.KeepLatest | Should -Be 1
        $policy.MaxAge | Should -Be ([timespan]'2.00:00:00')
        $line = Get-Content $cron | Where-Object { $_ -match '^30 2 \* \* \* root ' }
        $line | Should -Match 'Invoke-DatamancyBackup -Path ''[^'']+'' \| Test-DatamancyBackup'
        $line | Should -Match ([regex]::Escape($script:Stack))
        Invoke-DatamancyBackup -Path $script:Stack -Target configs | Out-Null
        (Get-DatamancyBackup -Path $script:Stack -Target configs -All) | Should -HaveCount 1
        # The record Get-DatamancyStatus reads instead of opening the repository.
        $record = Get-Content -Raw (Join-Path $script:Stack 'data/backup-status/configs/last_backup.json') | ConvertFrom-Json
        $record.schemaVersion | Should -Be 1
        $record.status | Should -Be 'Completed'
        [datetimeoffset]$record.lastSuccessAt | Should -BeGreaterThan ([datetimeoffset]::UtcNow.AddMinutes(-5))
        (Get-DatamancyBackup -Path $script:Stack -Target configs).MaxAge | Should -Be ([timespan]'2.00:00:00')
        Remove-Item (Split-Path $cron) -Recurse -Force
    }

    It 'refuses a schedule that is not cron' {
        { Set-DatamancyBackupPolicy -Path $script:Stack -Schedule 'every day' -ScheduleFile /tmp/none -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSchedule*'
        Test-Path /tmp/none | Should -BeFalse
    }
}

Describe 'A corrupted repository' {
    It 'fails the drill and says why' {
        $pack = Get-ChildItem (Join-Path $script:Repository 'data') -Recurse -File | Sort-Object Length -Descending | Select-Object -First 1
        $bytes = [IO.File]::ReadAllBytes($pack.FullName)
        for ($i = 1000; $i -lt [Math]::Min($bytes.Length, 1000000); $i += 997) { $bytes[$i] = $bytes[$i] -bxor 0xff }
        [IO.File]::WriteAllBytes($pack.FullName, $bytes)
        $drills = @(Test-DatamancyBackup -Path $script:Stack -Target files_data -ErrorVariable problems -ErrorAction SilentlyContinue)
        $drills | Should -HaveCount 1
        $drills[0].Passed | Should -BeFalse
        $drills[0].Reason | Should -Match 'files_data|snapshot|ciphertext|verif|pack'
        Get-ErrorId $problems[0] | Should -Be 'BackupVerifyFailed'
    }
}
