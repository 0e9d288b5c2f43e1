# Shared by the tests/env scripts: free loopback ports, background processes whose pid is the
# program's own, stopping exactly such a pid, and the owner records that let a later run clean up
# after a killed one. Dot-source it; the Start-/Stop- scripts do so themselves.
#   $port = Get-FreeLoopbackPort
#   $pid  = Start-TestBackgroundProcess -ArgumentList <argv> -LogPath <file> [-Prefix <argv>] [-Setup <sh>]
#   Stop-TestProcess -Id $pid -Marker <folder>   # only while its command line names <folder>
#   New-TestOwnerRecord / Test-TestOwnerAlive     # who started a test folder, and is it alive
# A process counts as ours only when its command line names the run's own folder (every config,
# data root and socket of a test run lives under it), so a reused pid is never killed.

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Runs argv through `sh -c 'exec ...'` with stdout and stderr appended to LogPath and stdin from
# /dev/null, so the pid returned is the program's own (sh, unshare and nsenter all exec), and the
# process keeps no pipe to this pwsh: it outlives a killed test run instead of dying on a write.
# -Prefix runs before the shell (e.g. unshare/nsenter); -Setup is shell code run just before the
# exec (e.g. hostname, a bind mount), in whatever namespaces the prefix made.
function Start-TestBackgroundProcess {
    param(
        [Parameter(Mandatory)][string[]] $ArgumentList,
        [Parameter(Mandatory)][string] $LogPath,
        [string[]] $Prefix = @(),
        [string] $Setup = ':'
    )
    $info = [System.Diagnostics.ProcessStartInfo]::new($(if ($Prefix) { $Prefix[0] } else { '/bin/sh' }))
    foreach ($argument in @($Prefix | Select-Object -Skip 1)) { $info.ArgumentList.Add($argument) }
    if ($Prefix) { $info.ArgumentList.Add('/bin/sh') }
    # fd 3 on /dev/null: docker-proxy reports to its parent on fd 3 and closes it, which would
    # otherwise be its own listening socket.
    $script = "set -e; $Setup; log=`$1; shift; exec `"`$@`" >>`"`$log`" 2>&1 </dev/null 3>/dev/null"
    foreach ($argument in @('-c', $script, 'sh', $LogPath) + $ArgumentList) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $process.Id
}

# The NUL-separated command line of a live process, joined with spaces; '' when it is gone.
function Get-TestProcessCommandLine([int] $Id) {
    try { ([IO.File]::ReadAllText("/proc/$Id/cmdline")).Replace([char]0, ' ') } catch { '' }
}

# Pids of live processes whose command line names Marker (a run's folder).
function Find-TestProcess([Parameter(Mandatory)][string] $Marker) {
    foreach ($entry in [IO.Directory]::GetDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($entry)
        if ($name -match '^\d+$' -and [int]$name -ne $PID -and (Get-TestProcessCommandLine $name).Contains($Marker)) { [int]$name }
    }
}

# SIGTERM, wait, then SIGKILL: only while the pid's command line still names Marker.
# Returns $true when the process is gone.
function Stop-TestProcess([int] $Id, [Parameter(Mandatory)][string] $Marker, [int] $TimeoutSeconds = 30) {
    if (-not $Id -or -not (Get-TestProcessCommandLine $Id).Contains($Marker)) { return $true }
    $process = Get-Process -Id $Id -ErrorAction SilentlyContinue
    if (-not $process) { return $true }
    /bin/kill -TERM $Id 2>$null
    if ($process.WaitForExit($TimeoutSeconds * 1000)) { return $true }
    if ((Get-TestProcessCommandLine $Id).Contains($Marker)) { /bin/kill -KILL $Id 2>$null }
    $process.WaitForExit(10000)
}

# The start time of a process in clock ticks since boot (field 22 of /proc/PID/stat): with the pid
# it names one process for good, since a reused pid starts later.
function Get-TestProcessStartTick([int] $Id) {
    try { $stat = [IO.File]::ReadAllText("/proc/$Id/stat") } catch { return $null }
    # The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
    [long]$fields[19]
}

function New-TestOwnerRecord {
    [pscustomobject]@{ OwnerPid = $PID; OwnerStartTick = Get-TestProcessStartTick $PID }
}

# True while the pwsh that made a test folder still runs (a record without owner counts as alive,
# so that nothing half-written is taken for stale).
function Test-TestOwnerAlive($Record) {
    if (-not $Record -or -not $Record.OwnerPid) { return $true }
    $tick = Get-TestProcessStartTick $Record.OwnerPid
    $null -ne $tick -and $tick -eq [long]$Record.OwnerStartTick
}

# Removes a test folder that may still hold mounts a killed daemon left: unmount what lies below
# it (deepest first), then delete without crossing into any other file system.
function Remove-TestFolder([Parameter(Mandatory)][string] $Path) {
    if (-not (Test-Path $Path)) { return }
    $prefix = $Path.TrimEnd('/') + '/'
    for ($try = 0; $try -lt 3; $try++) {
        $mounts = @(Get-Content /proc/self/mountinfo | ForEach-Object {
                # Field 5 is the mount point, with spaces and the like written as octal escapes.
                [regex]::Replace($_.Split(' ')[4], '\\([0-7]{3})', { param($m) [string][char][Convert]::ToInt32($m.Groups[1].Value, 8) })
            } | Where-Object { $_.StartsWith($prefix) } | Sort-Object Length -Descending | Select-Object -Unique)
        if (-not $mounts) { break }
        foreach ($mount in $mounts) {
            /bin/umount -R $mount 2>$null
            if ($LASTEXITCODE -ne 0) { /bin/umount -l $mount 2>$null }
        }
    }
    /bin/rm -rf --one-file-system -- $Path 2>$null
}
