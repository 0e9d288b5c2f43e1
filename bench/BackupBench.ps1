# The backup rows of the benchmark: a 1 GiB named volume backed up and drilled by Datamancy (restic in
# its tool container) and by Debian's restic run directly on the volume's folder, in the same run,
# runs alternated. Each backup goes into a fresh repository (init included on both sides), so each
# is a full backup of the whole GiB. The drill is Test-DatamancyBackup against the same steps done
# by hand with restic on the host, into a scratch folder. The data is random (incompressible),
# written once and read once before timing, so both sides read from the file cache.
param(
    [Parameter(Mandatory)][scriptblock] $AddRow,
    [ValidateRange(1, 10)][int] $Runs = 3,
    [string] $ToolImage = 'datamancy-test/debian:12',
    [string] $VolumeImage = 'datamancy-test/busybox:1'
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Timing.ps1')
. (Join-Path $PSScriptRoot '../build/DockerProject.ps1')

if (-not (Get-Command restic -ErrorAction Ignore)) { throw 'restic is missing: tests/env/install-checkers.sh installs it.' }
$project = "dmbenchbak$PID"
$root = Join-Path ([IO.Path]::GetTempPath()) "dm-backupbench-$PID"
$stack = Join-Path $root 'stack'
$peerRepository = Join-Path $root 'peer-repository'
$peerRestore = Join-Path $root 'peer-restore'
$passwordFile = Join-Path $root 'password'

function Invoke-Restic {
    $output = restic --repo $peerRepository --password-file $passwordFile --cache-dir (Join-Path $root 'peer-cache') --quiet @args 2>$null
    if ($LASTEXITCODE -ne 0) { throw "restic $($args[0]) failed with exit code $LASTEXITCODE." }
    $output
}

try {
    New-Item -ItemType Directory -Path $stack -Force | Out-Null
    $password = -join ([Security.Cryptography.RandomNumberGenerator]::GetBytes(32) | ForEach-Object { $_.ToString('x2') })
    Set-Content $passwordFile $password -NoNewline
    Set-Content (Join-Path $stack '.env') "COMPOSE_PROJECT_NAME=$project`nRESTIC_REPOSITORY_PASSWORD=$password`n" -NoNewline
    chmod 600 $passwordFile (Join-Path $stack '.env')
    Set-Content (Join-Path $stack 'docker-compose.yml') @"
x-datamancy-backup:
  engine: restic
  image: $ToolImage
  repository: ./data/backups/restic
  password: RESTIC_REPOSITORY_PASSWORD
services:
  files:
    image: $VolumeImage
    init: true
    command: ["sleep", "86400"]
    volumes:
      - files_data:/files
volumes:
  files_data: {}
"@
    $started = Start-DatamancyService -Path $stack -Name files -Timeout 60
    if (-not $started.Succeeded) { throw "The backup bench's container did not start: $($started.Error)" }

    # 1 GiB in a realistic shape: 16 folders of 16 files of 4 MiB, written on the volume's folder.
    $data = docker volume inspect --format '{{.Mountpoint}}' "${project}_files_data"
    bash -c 'for d in $(seq 1 16); do mkdir -p "$1/dir$d"; for f in $(seq 1 16); do head -c 4194304 /dev/urandom > "$1/dir$d/file$f.bin"; done; done; cat "$1"/dir*/* > /dev/null' _ $data
    if ($LASTEXITCODE -ne 0) { throw 'The benchmark data could not be written.' }

    $oursRepository = Join-Path $stack 'data/backups/restic'
    $oursBackup = [Collections.Generic.List[double]]::new(); $peerBackup = [Collections.Generic.List[double]]::new()
    $oursDrill = [Collections.Generic.List[double]]::new(); $peerDrill = [Collections.Generic.List[double]]::new()
    for ($run = 0; $run -lt $Runs; $run++) {
        Remove-Item $oursRepository, $peerRepository, (Join-Path $root 'peer-cache') -Recurse -Force -ErrorAction Ignore
        $oursBackup.Add((Measure-Seconds {
                    $result = Invoke-DatamancyBackup -Path $stack -Target files_data
                    if ($result.Status -ne 'Completed' -or $result.Files -ne 256) { throw "The Datamancy backup failed: $($result.Status) $($result.Error)" }
                }))
        $peerBackup.Add((Measure-Seconds { Invoke-Restic init --repository-version 2; Invoke-Restic backup --json $data }))
        $oursDrill.Add((Measure-Seconds {
                    $drill = Test-DatamancyBackup -Path $stack -Target files_data
                    if (-not $drill.Passed) { throw "The Datamancy drill failed: $($drill.Reason)" }
                }))
        # The drill's own steps by hand, one after the other: find the latest snapshot, check the
        # repository, list the snapshot, restore and verify it, list the restored files.
        $peerDrill.Add((Measure-Seconds {
                    $id = (Invoke-Restic snapshots --json | ConvertFrom-Json)[-1].short_id
                    Invoke-Restic check
                    $listed = @(Invoke-Restic ls --json $id | ConvertFrom-Json | Where-Object type -EQ file)
                    Invoke-Restic restore $id --target $peerRestore --verify
                    $restored = @(bash -c 'find "$1" -type f -exec stat -c "%s %n" {} +' _ $peerRestore)
                    if ($restored.Count -ne $listed.Count) { throw "restic restored $($restored.Count) files of $($listed.Count)." }
                    Remove-Item $peerRestore -Recurse -Force
                }))
    }
    $ours = Get-Median $oursBackup; $peer = Get-Median $peerBackup
    & $AddRow 'Back up a 1 GiB volume (fresh repository)' $ours $peer 'restic init + backup on the folder' ('<= {0:N3} s (peer + 10 %)' -f (1.1 * $peer)) ($ours -le 1.1 * $peer)
    $ours = Get-Median $oursDrill; $peer = Get-Median $peerDrill
    & $AddRow 'Restore drill of the 1 GiB backup' $ours $peer 'the same steps by hand: restic snapshots, check, ls, restore --verify, find' ('<= {0:N3} s (peer + 10 %)' -f (1.1 * $peer)) ($ours -le 1.1 * $peer)
}
finally {
    Remove-DockerProject $project
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
