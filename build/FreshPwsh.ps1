# How to start a fresh pwsh like the one running: as the local dotnet tool (dotnet pwsh.dll) or natively.
function Get-FreshPwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

# A plain function on purpose: $args passes -File and friends through untouched.
function Invoke-FreshPwsh {
    $command = Get-FreshPwshCommand
    & $command[0] @($command | Select-Object -Skip 1) -NoProfile -NonInteractive @args
}
