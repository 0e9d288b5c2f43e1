# The real checkers Debian ships (docker-compose, caddy, promtool, PyYAML, ...), run as processes:
# shared by the Pester files that hand the module's files to them. A missing checker fails the
# test that needs it, naming the package; nothing is skipped.

# The checker's path, or a failure that names the Debian package to install.
function Get-Checker([string] $Name, [string] $Package) {
    $command = Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $command) {
        throw "The checker '$Name' is not installed: apt-get install $Package (tests/env/install-checkers.sh)."
    }
    $command.Source
}

function Invoke-Checker {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $script:WorkRoot,
        [string] $StandardInput,
        [int] $TimeoutSeconds = 120
    )
    $info = [Diagnostics.ProcessStartInfo]::new($Path)
    foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
    foreach ($key in $Environment.Keys) { $info.Environment[$key] = [string]$Environment[$key] }
    $info.WorkingDirectory = $WorkingDirectory
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($info)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if ($StandardInput) { $process.StandardInput.Write($StandardInput) }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "$Path $($Arguments -join ' ') did not finish within $TimeoutSeconds s."
        }
        # A daemon that forked (slapd) may hold the pipes a little longer; do not wait on it forever.
        [void][Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]@($stdout, $stderr), 10000)
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            StdOut   = if ($stdout.IsCompleted) { $stdout.GetAwaiter().GetResult() } else { '' }
            StdErr   = if ($stderr.IsCompleted) { $stderr.GetAwaiter().GetResult() } else { '' }
        }
    }
    finally {
        $process.Dispose()
    }
}

# YAML -> hashtables through PyYAML's safe loader (merge keys included), as docker-compose reads it.
function ConvertFrom-YamlText([string] $Yaml) {
    # Debian's python3, where python3-yaml is installed (another python3 may come first on PATH).
    $python = if (Test-Path /usr/bin/python3) { '/usr/bin/python3' } else { Get-Checker 'python3' 'python3-yaml' }
    $script = 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin.read()), default=str))'
    $result = Invoke-Checker -Path $python -Arguments @('-c', $script) -StandardInput $Yaml
    if ($result.ExitCode -ne 0) { throw "PyYAML could not parse the document: $($result.StdErr)" }
    $result.StdOut | ConvertFrom-Json -AsHashtable -Depth 100
}

function ConvertFrom-YamlFile([string] $Path) {
    ConvertFrom-YamlText ([IO.File]::ReadAllText($Path))
}
