# A start, recreate or stop cut off midway (SIGKILL of the pwsh running it, Ctrl+C, the engine
# restarted) must leave nothing that the next plain start cannot put right in one run: issue 17's
# scenario on four profiles of the bench's stack (18 services, a depends_on chain five deep). Its
# 1-second healthchecks run an exec a second per service, more than this 2-core machine carries
# beside the tests' own work, so here they run every 2 s.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot '../build/FreshPwsh.ps1')
    . (Join-Path $PSScriptRoot 'env/TestNodes.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }
    $script:Profiles = "'core', 'auth', 'apps', 'datastores'"
    $script:Count = 18

    function New-InterruptStack {
        $path = New-TestFolder 'dm-interrupt'
        $project = 'dmint' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        & (Join-Path $PSScriptRoot '../bench/New-BenchStack.ps1') -Path $path -Project $project
        $compose = Join-Path $path 'docker-compose.yml'
        Set-Content $compose ((Get-Content -Raw $compose) -replace 'interval: 1s', 'interval: 2s') -NoNewline
        [pscustomobject]@{ Path = $path; Project = $project }
    }

    # Starts a Datamancy command line in a pwsh of its own, the module imported; its errors go to a log.
    function Start-DatamancyProcess([string] $Command) {
        $pwsh = @(Get-FreshPwshCommand)
        $arguments = @($pwsh | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$script:ModulePath'; $Command | Out-Null"
        Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -PassThru -RedirectStandardOutput /dev/null -RedirectStandardError (Join-Path $script:Logs "pwsh-$([guid]::NewGuid().ToString('N')).err")
    }

    # Runs a Datamancy command line in a pwsh of its own and SIGKILLs that process after $Seconds;
    # fails the test when the command had already finished (then the kill proved nothing).
    function Invoke-Killed([string] $Command, [double] $Seconds) {
        $process = Start-DatamancyProcess $Command
        Start-Sleep -Milliseconds ([int]($Seconds * 1000))
        $process.HasExited | Should -BeFalse -Because "the command must still run when it is killed $Seconds s in"
        /bin/kill -KILL $process.Id
        $process.WaitForExit()
    }

    # Ctrl+C: a pipeline in a runspace of its own, stopped after $Seconds as the host stops one.
    function Invoke-Stopped([string] $Command, [double] $Seconds) {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$script:ModulePath'; $Command")
            $running = $shell.BeginInvoke()
            Start-Sleep -Milliseconds ([int]($Seconds * 1000))
            $running.IsCompleted | Should -BeFalse -Because "the command must still run when it is stopped $Seconds s in"
            $shell.Stop()
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $shell.Dispose() }
    }

    function Get-ProjectContainer([string] $Project, [string] $DockerHost = 'unix:///var/run/docker.sock') {
        docker -H $DockerHost ps -a --filter "label=com.docker.compose.project=$Project" --format '{{.Names}}|{{.Status}}'
    }

    # The next plain start: one run, no error, every service up and healthy, no temporary container left.
    function Assert-Converged($Stack, [string] $DockerHost = 'unix:///var/run/docker.sock') {
        $results = Start-DatamancyProfile -Path $Stack.Path -Name core, auth, apps, datastores -DockerHost $DockerHost -Timeout 120 -ErrorVariable failures -ErrorAction SilentlyContinue -Verbose 4>&1
        $failures | Should -BeNullOrEmpty -Because (($failures | ForEach-Object { "$_" }) -join '; ')
        $services = @($results | Where-Object { $_ -is [Datamancy.ServiceResult] })
        $services | Should -HaveCount $script:Count
        foreach ($service in $services) { $service.Succeeded | Should -BeTrue -Because "$($service.Name): $($service.Error)" }
        $containers = @(Get-ProjectContainer $Stack.Project $DockerHost)
        $containers | Should -HaveCount $script:Count -Because ($containers -join "`n")
        foreach ($container in $containers) {
            $name, $status = $container.Split('|')
            $name | Should -Match "^$($Stack.Project)-[a-z0-9]+-1$" -Because 'no container stays under a temporary name'
            $status | Should -BeLike 'Up*(healthy)*' -Because $name
        }
        # What was put right is said in the verbose stream.
        @($results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    }
}

Describe 'The next start after a run that was cut off' {
    BeforeAll {
        $script:Logs = New-TestFolder 'dm-interrupt-logs'
        $script:S = New-InterruptStack
        $first = Start-DatamancyProfile -Path $script:S.Path -Name core, auth, apps, datastores -Timeout 120
        $first | Where-Object { -not $_.Succeeded } | Should -BeNullOrEmpty
    }
    AfterAll {
        Remove-DockerProject $script:S.Project
        Remove-Item $script:S.Path, $script:Logs -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'converges in one run after a -Force start killed <_> s in' -ForEach 2.5, 3.5, 4.5, 6 {
        Invoke-Killed "Start-DatamancyProfile -Path '$($script:S.Path)' -Name $script:Profiles -Force" $_
        # A recreate stops the old container first. A stop the engine has accepted finishes though
        # its client is gone, within the stop_grace_period (5 s here): a start before that sees the
        # container still running (README, limitations). CI saw it once, at 4.5 s.
        Start-Sleep -Seconds 6
        Assert-Converged $script:S | Out-Null
    }

    It 'puts right both states a cut-off recreate leaves, and says so in the verbose stream' {
        # Made by hand, as a recreate leaves them (the kills above hit them only by chance): a new
        # container under the temporary name beside the service's own (cut off before the old one
        # was removed), and a temporary one whose old container is gone (cut off before the rename).
        $first, $second = @(Get-ProjectContainer $script:S.Project | ForEach-Object { $_.Split('|')[0] } | Sort-Object | Select-Object -First 2)
        $labels = docker inspect -f '{{json .Config.Labels}}' $first | ConvertFrom-Json
        $image = docker inspect -f '{{.Config.Image}}' $first
        $beside = '0123456789ab_' + $first
        $arguments = @('create', '--name', $beside) + @($labels.PSObject.Properties | ForEach-Object { '--label'; "$($_.Name)=$($_.Value)" }) + $image
        docker @arguments | Out-Null
        $LASTEXITCODE | Should -Be 0
        $renamed = (docker inspect -f '{{.Id}}' $second).Substring(0, 12) + '_' + $second
        docker stop -t 1 $second | Out-Null
        docker rename $second $renamed
        $LASTEXITCODE | Should -Be 0

        $repairs = Assert-Converged $script:S
        $repairs | Should -Contain "Service '$($labels.'com.docker.compose.service')': removed container $beside, left by a recreate that was cut off."
        $repairs | Where-Object { $_ -like "*renamed container $renamed, left by a recreate that was cut off, back to $second." } | Should -HaveCount 1
    }

    It 'converges after a -Force start stopped with Ctrl+C <_> s in' -ForEach 1.5, 4 {
        Invoke-Stopped "Start-DatamancyProfile -Path '$($script:S.Path)' -Name $script:Profiles -Force" $_
        Assert-Converged $script:S
    }

    It 'converges after a stop killed midway, and after one stopped with Ctrl+C' {
        # The engine finishes a stop it has accepted though its client is gone (the container gets
        # SIGKILL after its stop_grace_period, 5 s here); a start within that time sees it still running.
        # Ctrl+C needs no such wait: the stopped pipeline waits for the stops under way.
        Invoke-Killed "Stop-DatamancyProfile -Path '$($script:S.Path)' -Name $script:Profiles -Remove" 2.5
        Start-Sleep -Seconds 6
        Assert-Converged $script:S
        Invoke-Stopped "Stop-DatamancyProfile -Path '$($script:S.Path)' -Name $script:Profiles" 1.5
        Assert-Converged $script:S
    }
}

Describe 'The next start after the engine restarted during a start' {
    BeforeAll {
        $script:Logs = New-TestFolder 'dm-interrupt-logs'
        $script:Nodes = Start-TestNode -Count 1
        $script:Node = $script:Nodes.Nodes[0]
        Copy-TestImageToNode -Image 'datamancy-test/busybox:1' -Node $script:Node
        $script:S = New-InterruptStack
    }
    AfterAll {
        Stop-TestNode $script:Nodes
        Remove-Item $script:S.Path, $script:Logs -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'converges in one run once the engine is back' {
        $start = Start-DatamancyProcess "Start-DatamancyProfile -Path '$($script:S.Path)' -Name $script:Profiles -DockerHost '$($script:Node.Socket)' -Timeout 120"
        Start-Sleep -Seconds 4
        $start.HasExited | Should -BeFalse -Because 'the engine must go while the start runs'
        Stop-TestNodeEngine $script:Node
        Start-TestNodeEngine $script:Node
        $start.WaitForExit(120000) | Should -BeTrue
        Assert-Converged $script:S $script:Node.Socket | Out-Null
    }
}
