# The recovery row of the benchmark: the backup test stack (real MariaDB, PostgreSQL, Redis from
# Debian's packages, a volume of files; tests/stacks/backup) backed up once with restic, its live
# project removed, then rebuilt from the repository by Restore-DatamancyStack and by the same steps
# done by hand with restic and docker-compose 1.29 (restore the stack folder, create the project,
# fill the volume, start the databases, load the dumps, start the rest, wait for health), runs
# alternated. Both sides start from the same repository and leave no project behind between runs.
param(
    [Parameter(Mandatory)][scriptblock] $AddRow,
    [ValidateRange(1, 10)][int] $Runs = 3,
    [string] $ToolImage = 'datamancy-test/debian:12'
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Timing.ps1')
. (Join-Path $PSScriptRoot '../build/DockerProject.ps1')

foreach ($tool in 'restic', 'docker-compose') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "$tool is missing: tests/env/install-checkers.sh installs it." }
}
$project = "dmbenchrec$PID"
$root = Join-Path ([IO.Path]::GetTempPath()) "dm-recoverybench-$PID"
$live = Join-Path $root 'live'
$repository = Join-Path $root 'repository'
$passwordFile = Join-Path $root 'password'
$tests = Join-Path $PSScriptRoot '../tests'

function New-Secret { -join ([Security.Cryptography.RandomNumberGenerator]::GetBytes(32) | ForEach-Object { $_.ToString('x2') }) }

function Invoke-Restic {
    $output = restic --repo $repository --password-file $passwordFile --cache-dir (Join-Path $root 'peer-cache') --quiet @args 2>$null
    if ($LASTEXITCODE -ne 0) { throw "restic $($args[0]) failed with exit code $LASTEXITCODE." }
    $output
}

# The by-hand restore, step by step, as an admin would type it.
function Restore-ByHand([string] $Folder) {
    $latest = @{}
    foreach ($snapshot in Invoke-Restic snapshots --json | ConvertFrom-Json) {
        $target = ($snapshot.tags | Where-Object { $_ -like 'datamancy.target=*' }) -replace '^datamancy.target=', ''
        $latest[$target] = $snapshot.short_id
    }
    $scratch = Join-Path $root 'peer-scratch'
    Invoke-Restic restore $latest.configs --target $scratch | Out-Null
    Move-Item (Join-Path $scratch 'sources/configs') $Folder
    $compose = @('-p', $project, '--project-directory', $Folder, '-f', (Join-Path $Folder 'docker-compose.yml'))
    docker-compose @compose --profile datastores --profile apps up --no-start 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'docker-compose up --no-start failed.' }
    Invoke-Restic restore $latest.files_data --target $scratch | Out-Null
    $volume = docker volume inspect --format '{{.Mountpoint}}' "${project}_files_data"
    bash -c 'cp -a "$1"/. "$2"/' _ (Join-Path $scratch 'sources/volumes/files_data') $volume
    docker-compose @compose --profile datastores up -d mariadb paperless-postgres redis 2>$null
    Wait-Healthy $compose 'mariadb', 'paperless-postgres', 'redis'
    $id = @{}; foreach ($service in 'mariadb', 'paperless-postgres', 'redis') { $id[$service] = docker-compose @compose ps -q $service }
    $env:RESTIC_PASSWORD_FILE = $passwordFile
    try {
        bash -c 'restic --repo "$1" --quiet dump "$2" /mariadb.sql | docker exec -i "$3" sh -c "MYSQL_PWD=\$MARIADB_ROOT_PASSWORD mariadb -uroot"' _ $repository $latest.mariadb $id.mariadb
        bash -c 'restic --repo "$1" --quiet dump "$2" /paperless-postgres.sql | docker exec -i "$3" psql -q -U paperless paperless >/dev/null' _ $repository $latest.'paperless-postgres' $id.'paperless-postgres'
        # Redis reads its dump only at start, from a data folder with nothing newer in it.
        docker stop $id.redis | Out-Null
        docker run --rm --volumes-from $id.redis --entrypoint sh $ToolImage -c 'rm -rf /data/*' | Out-Null
        bash -c 'restic --repo "$1" --quiet dump "$2" /redis.rdb > "$3"' _ $repository $latest.redis (Join-Path $scratch 'dump.rdb')
        docker cp (Join-Path $scratch 'dump.rdb') "$($id.redis):/data/dump.rdb" | Out-Null
        docker start $id.redis | Out-Null
    }
    finally { Remove-Item Env:RESTIC_PASSWORD_FILE }
    docker-compose @compose --profile datastores --profile apps up -d 2>$null
    Wait-Healthy $compose 'mariadb', 'paperless-postgres', 'redis'
    Remove-Item $scratch -Recurse -Force
}

function Wait-Healthy([string[]] $Compose, [string[]] $Services) {
    $deadline = [DateTime]::UtcNow.AddSeconds(180)
    foreach ($service in $Services) {
        $id = docker-compose @Compose ps -q $service
        while ((docker inspect --format '{{.State.Health.Status}}' $id) -ne 'healthy') {
            if ([DateTime]::UtcNow -gt $deadline) { throw "$service did not become healthy." }
            Start-Sleep -Milliseconds 200
        }
    }
}

function Remove-Copy([string] $Folder) {
    Remove-DockerProject $project
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

try {
    New-Item -ItemType Directory -Path $live -Force | Out-Null
    Copy-Item (Join-Path $tests 'stacks/backup/*') $live -Recurse
    Copy-Item (Join-Path $tests 'stacks/secrets/mariadb'), (Join-Path $tests 'stacks/secrets/paperless-postgres') $live -Recurse
    $compose = Join-Path $live 'docker-compose.yml'
    (Get-Content $compose -Raw).Replace('repository: ./data/backups/restic', "repository: $repository") | Set-Content $compose -NoNewline
    $password = New-Secret
    Set-Content $passwordFile $password -NoNewline
    Set-Content (Join-Path $live '.env') ("COMPOSE_PROJECT_NAME=$project`nMARIADB_ROOT_PASSWORD=$(New-Secret)`nVAULTWARDEN_DB_PASSWORD=$(New-Secret)`n" +
        "PAPERLESS_DB_PASSWORD=$(New-Secret)`nREDIS_PASSWORD=$(New-Secret)`nRESTIC_REPOSITORY_PASSWORD=$password`n") -NoNewline
    chmod 600 $passwordFile (Join-Path $live '.env')
    $started = Start-DatamancyService -Path $live -Name mariadb, paperless-postgres, redis, files -Timeout 180
    if ($started | Where-Object { -not $_.Succeeded }) { throw 'The recovery bench stack did not start.' }
    docker exec "$project-paperless-postgres-1" psql -q -U paperless paperless -c "create table notes (id int primary key, body text); insert into notes select g, repeat('x', 200) from generate_series(1, 20000) g" | Out-Null
    docker exec "$project-mariadb-1" sh -c 'MYSQL_PWD=$MARIADB_ROOT_PASSWORD mariadb -uroot -e "create database app; use app; create table items (id int primary key, name varchar(200)); insert into items select seq, repeat(''y'', 200) from seq_1_to_20000"' | Out-Null
    docker exec "$project-redis-1" sh -c 'for i in $(seq 1 2000); do echo "SET key:$i value-$i"; done | redis-cli >/dev/null; redis-cli save >/dev/null' | Out-Null
    docker exec "$project-files-1" sh -c 'for d in 1 2 3 4; do mkdir -p /files/d$d; for f in 1 2 3 4 5 6 7 8; do head -c 1048576 /dev/urandom > /files/d$d/f$f; done; done' | Out-Null
    Set-DatamancyBackupPolicy -Path $live -IncludeSecrets | Out-Null
    $backups = @(Invoke-DatamancyBackup -Path $live -Target databases, files_data, configs)
    if ($backups | Where-Object Status -ne 'Completed') { throw 'The recovery bench backup failed.' }
    Remove-DockerProject $project

    $secure = ConvertTo-SecureString $password -AsPlainText -Force
    $ours = [Collections.Generic.List[double]]::new(); $peer = [Collections.Generic.List[double]]::new()
    for ($run = 0; $run -lt $Runs; $run++) {
        $folder = Join-Path $root "ours-$run"
        $ours.Add((Measure-Seconds {
                    $summary = Restore-DatamancyStack -Repository $repository -Path $folder -Password $secure -ToolImage $ToolImage -Confirm:$false | Select-Object -Last 1
                    if (-not $summary.Passed) { throw "Restore-DatamancyStack did not pass: $($summary.Reason)" }
                }))
        Remove-Copy $folder
        $folder = Join-Path $root "peer-$run"
        $peer.Add((Measure-Seconds { Restore-ByHand $folder }))
        Remove-Copy $folder
    }
    $oursMedian = Get-Median $ours; $peerMedian = Get-Median $peer
    & $AddRow 'Rebuild the backup test stack from its repository' $oursMedian $peerMedian 'by hand: restic restore + dump, docker-compose 1.29 up, health waits' ('<= {0:N3} s (peer x 1.2)' -f (1.2 * $peerMedian)) ($oursMedian -le 1.2 * $peerMedian)
}
finally {
    Remove-DockerProject $project
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
