# End to end on the real engine (Debian's dockerd, started by build.ps1 through tests/env) with the
# busybox stack in tests/stacks/engine. Each Describe block works in a project of its own and removes it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }

    function New-EngineStack([string] $Greeting = 'hello') {
        $path = New-TestFolder 'dm-engine'
        Copy-Item (Join-Path $PSScriptRoot 'stacks/engine/docker-compose.yml') $path
        $project = 'dmtest' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Set-Content (Join-Path $path '.env') "COMPOSE_PROJECT_NAME=$project`nGREETING=$Greeting`n"
        [pscustomobject]@{ Path = $path; Project = $project }
    }

    # Everything a test project left on the engine, found by its Compose labels.
    function Get-ProjectResource([string] $Project) {
        [pscustomobject]@{
            Containers = @(docker ps -aq --filter "label=com.docker.compose.project=$Project")
            Networks   = @(docker network ls -q --filter "label=com.docker.compose.project=$Project")
            Volumes    = @(docker volume ls -q --filter "label=com.docker.compose.project=$Project")
        }
    }

    function Remove-EngineStack($Stack) {
        Remove-DockerProject $Stack.Project
        Remove-Item $Stack.Path -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'Start-DatamancyProfile on a real engine' {
    BeforeAll {
        $script:S = New-EngineStack
        $script:First = Start-DatamancyProfile -Path $script:S.Path -Name data, app -Timeout 60
    }
    AfterAll { Remove-EngineStack $script:S }

    It 'brings the profiles up from nothing, every service created and healthy or done' {
        $script:First | Should -HaveCount 4
        foreach ($result in $script:First) {
            $result | Should -BeOfType ([Datamancy.ServiceResult])
            $result.Succeeded | Should -BeTrue -Because "$($result.Name): $($result.Error)"
            $result.Action | Should -Be 'Create'
        }
        ($script:First | Where-Object Name -eq web).Health | Should -Be 'healthy'
        ($script:First | Where-Object Name -eq db).Health | Should -Be 'healthy'
        ($script:First | Where-Object Name -eq init-job).State | Should -Be 'exited'
    }

    It 'applies the compose keys to the containers' {
        $web = docker inspect "$($script:S.Project)-web-1" | ConvertFrom-Json
        $web.Config.User | Should -Be '65534:65534'
        $web.HostConfig.ReadonlyRootfs | Should -BeTrue
        $web.HostConfig.CapDrop | Should -Contain 'ALL'
        $web.HostConfig.Init | Should -BeTrue
        $web.HostConfig.SecurityOpt | Should -Contain 'no-new-privileges:true'
        $web.HostConfig.Tmpfs.PSObject.Properties.Name | Should -Contain '/tmp'
        $web.Config.Env | Should -Contain 'GREETING=hello'
        $web.NetworkSettings.Networks.PSObject.Properties.Name | Sort-Object | Should -Be @("$($script:S.Project)_backend", "$($script:S.Project)_frontend")
        $web.NetworkSettings.Networks."$($script:S.Project)_frontend".Aliases | Should -Contain 'www'
        $binding = $web.NetworkSettings.Ports.'8080/tcp'[0]
        $binding.HostIp | Should -Be '127.0.0.1'
        [int]$binding.HostPort | Should -BeGreaterThan 0
        (Invoke-WebRequest "http://127.0.0.1:$($binding.HostPort)/" -UseBasicParsing).Content | Should -Match 'datamancy test page'
        $web.Config.Labels.'com.docker.compose.project' | Should -Be $script:S.Project
        $web.Config.Labels.'com.docker.compose.service' | Should -Be 'web'
        $web.Config.Labels.'com.docker.compose.depends_on' | Should -Be 'db:service_healthy:false'
        $web.Config.Labels.'io.datamancy.fingerprint' | Should -Match '^sha256:[0-9a-f]{64}$'
        (docker network inspect "$($script:S.Project)_backend" | ConvertFrom-Json).Internal | Should -BeTrue
        (docker volume inspect "$($script:S.Project)_data" | ConvertFrom-Json).Labels.'com.docker.compose.volume' | Should -Be 'data'
    }

    It 'shows live state in Get-DatamancyService and Get-DatamancyProfile' {
        $services = Get-DatamancyService -Path $script:S.Path -Profile app, data
        ($services | Where-Object Name -eq web).State | Should -Be 'running'
        ($services | Where-Object Name -eq web).Health | Should -Be 'healthy'
        ($services | Where-Object Name -eq web).ContainerId | Should -Match '^[0-9a-f]{12}$'
        ($services | Where-Object Name -eq web).Live.PublishedPorts | Should -Match '^127\.0\.0\.1:\d+->8080/tcp$'
        (Get-DatamancyService -Path $script:S.Path -Name sick).State | Should -Be 'absent'
        (Get-DatamancyProfile -Path $script:S.Path -Name app).Running | Should -Be 2
    }

    It 'reports every service Unchanged on a second start and touches no container' {
        $before = docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$($script:S.Project)" | Sort-Object
        $started = docker inspect --format '{{.State.StartedAt}}' "$($script:S.Project)-web-1"
        $second = Start-DatamancyProfile -Path $script:S.Path -Name data, app
        $second.Action | Sort-Object -Unique | Should -Be 'Unchanged'
        $second.Succeeded | Should -Not -Contain $false
        docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$($script:S.Project)" | Sort-Object | Should -Be $before
        docker inspect --format '{{.State.StartedAt}}' "$($script:S.Project)-web-1" | Should -Be $started
    }

    It 'recreates only the service whose environment changed' {
        $oldWeb = docker inspect --format '{{.Id}}' "$($script:S.Project)-web-1"
        Set-Content (Join-Path $script:S.Path '.env') "COMPOSE_PROJECT_NAME=$($script:S.Project)`nGREETING=changed`n"
        $third = Start-DatamancyProfile -Path $script:S.Path -Name data, app -Timeout 60
        ($third | Where-Object Name -eq web).Action | Should -Be 'Recreate'
        ($third | Where-Object Name -ne web).Action | Sort-Object -Unique | Should -Be 'Unchanged'
        $third.Succeeded | Should -Not -Contain $false
        docker inspect --format '{{.Id}}' "$($script:S.Project)-web-1" | Should -Not -Be $oldWeb
        (docker inspect "$($script:S.Project)-web-1" | ConvertFrom-Json).Config.Env | Should -Contain 'GREETING=changed'
    }

    It 'stops and starts one service' {
        $stopped = Stop-DatamancyService -Path $script:S.Path -Name worker
        $stopped.Action | Should -Be 'Stop'
        $stopped.Succeeded | Should -BeTrue
        (Get-DatamancyService -Path $script:S.Path -Name worker).State | Should -Be 'exited'
        $again = Start-DatamancyService -Path $script:S.Path -Name worker
        ($again | Where-Object Name -eq worker).Action | Should -Be 'Start'
        (Get-DatamancyService -Path $script:S.Path -Name worker).State | Should -Be 'running'
    }

    It 'keeps a service that a running service needs, unless -Force' {
        $kept = Stop-DatamancyService -Path $script:S.Path -Name db -WarningVariable warned -WarningAction SilentlyContinue
        $kept.Action | Should -Be 'Kept'
        $warned | Should -Not -BeNullOrEmpty
        (Get-DatamancyService -Path $script:S.Path -Name db).State | Should -Be 'running'
    }

    It 'restarts a service and waits until it is healthy again' {
        $restarted = Restart-DatamancyService -Path $script:S.Path -Name web -Timeout 60
        $restarted.Succeeded | Should -BeTrue -Because $restarted.Error
        $restarted.Health | Should -Be 'healthy'
    }

    It 'reads logs with stdout and stderr apart, timestamped' {
        $log = Get-DatamancyLog -Path $script:S.Path -Name worker
        $out = $log | Where-Object Message -eq 'worker up' | Select-Object -First 1
        $err = $log | Where-Object Message -eq 'worker warning' | Select-Object -First 1
        $out.Stream | Should -Be 'stdout'
        $err.Stream | Should -Be 'stderr'
        $out.Timestamp | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-10))
        (Get-DatamancyLog -Path $script:S.Path -Name worker -Tail 1) | Should -HaveCount 1
    }

    It 'reads the logs of several services at once, and names the one that has no container' {
        $log = @(Get-DatamancyLog -Path $script:S.Path -Name ghost, worker, init-job -Tail 1 -ErrorVariable problems -ErrorAction SilentlyContinue)
        ($log.Service | Sort-Object -Unique) | Should -Be @('init-job', 'worker')
        ($log | Where-Object Service -EQ init-job).Message | Should -Be 'initialized'
        $log | Where-Object Service -EQ worker | Should -HaveCount 1
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound*'
        $problems[0].Exception.Message | Should -Match "'ghost'"
    }

    It 'is seen by Debian''s docker-compose as the same project' {
        $env:COMPOSE_PROFILES = 'data,app'
        try {
            $ps = docker-compose --project-directory $script:S.Path -f (Join-Path $script:S.Path 'docker-compose.yml') -p $script:S.Project ps 2>&1 | Out-String
        }
        finally { Remove-Item Env:COMPOSE_PROFILES }
        $ps | Should -Match "$($script:S.Project)-web-1"
        $ps | Should -Match "$($script:S.Project)-db-1"
        $ps | Should -Match 'Up'
    }

    It 'stops a profile and removes its containers, networks and volumes' {
        $down = Stop-DatamancyProfile -Path $script:S.Path -Name app, data -RemoveVolumes -Confirm:$false
        $down.Succeeded | Should -Not -Contain $false
        $left = Get-ProjectResource $script:S.Project
        $left.Containers | Should -BeNullOrEmpty
        $left.Networks | Should -BeNullOrEmpty
        $left.Volumes | Should -BeNullOrEmpty
    }
}

Describe 'Start-DatamancyProfile refuses or reports failures' {
    BeforeEach { $script:S = New-EngineStack }
    AfterEach { Remove-EngineStack $script:S }

    It 'refuses a profile whose dependencies are in another profile, unless -IncludeDependencies' {
        { Start-DatamancyProfile -Path $script:S.Path -Name app -ErrorAction Stop } |
            Should -Throw -ErrorId 'UndefinedDependency,Datamancy.Commands.StartDatamancyProfileCommand' -ExpectedMessage "*'web' depends on 'db'*"
        (Get-ProjectResource $script:S.Project).Containers | Should -BeNullOrEmpty
        $results = Start-DatamancyProfile -Path $script:S.Path -Name app -IncludeDependencies -Timeout 60
        ($results.Name | Sort-Object) | Should -Be @('db', 'init-job', 'web', 'worker')
        $results.Succeeded | Should -Not -Contain $false
    }

    It 'stops cleanly on Ctrl+C, and the next start converges from what was left' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$script:ModulePath'; Start-DatamancyProfile -Path '$($script:S.Path)' -Name data, app -Timeout 60")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not (Get-ProjectResource $script:S.Project).Containers -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $ps.Stop()  # what Ctrl+C does: StopProcessing cancels the work
            $stopped = $null
            try { $ps.EndInvoke($async) } catch { $stopped = $_.Exception.InnerException }
            $stopped | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        $results = Start-DatamancyProfile -Path $script:S.Path -Name data, app -Timeout 60
        $results.Succeeded | Should -Not -Contain $false
        (Get-DatamancyService -Path $script:S.Path -Name web).Health | Should -Be 'healthy'
    }

    It 'changes nothing with -WhatIf' {
        Start-DatamancyProfile -Path $script:S.Path -Name data, app -WhatIf
        $left = Get-ProjectResource $script:S.Project
        $left.Containers + $left.Networks + $left.Volumes | Should -BeNullOrEmpty
    }

    It 'fails an unhealthy service with its healthcheck output, fails its dependents and starts the others' {
        $results = Start-DatamancyProfile -Path $script:S.Path -Name broken -Timeout 30 -ErrorVariable errs -ErrorAction SilentlyContinue
        $sick = $results | Where-Object Name -eq sick
        $sick.Succeeded | Should -BeFalse
        $sick.ErrorId | Should -Be 'ServiceUnhealthy'
        $sick.Error | Should -Match "'sick'"
        $sick.Error | Should -Match 'probe-failed-on-purpose'
        ($results | Where-Object Name -eq after-sick).ErrorId | Should -Be 'DependencyFailed'
        ($results | Where-Object Name -eq independent).Succeeded | Should -BeTrue
        ($errs | ForEach-Object { Get-ErrorId $_ }) | Should -Contain 'ServiceUnhealthy'
        ($errs | ForEach-Object { Get-ErrorId $_ }) | Should -Contain 'DependencyFailed'
    }

    It 'fails on an absent image before creating anything' {
        { Start-DatamancyProfile -Path $script:S.Path -Name absent -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageMissing,Datamancy.Commands.StartDatamancyProfileCommand' -ExpectedMessage '*datamancy-test/absent:0*'
        $left = Get-ProjectResource $script:S.Project
        $left.Containers + $left.Networks + $left.Volumes | Should -BeNullOrEmpty
    }

    It 'refuses a dependency cycle before contacting the engine' {
        $cycle = New-TestFolder 'dm-cycle'
        try {
            Copy-Item (Join-Path $PSScriptRoot 'stacks/cycle/docker-compose.yml') $cycle
            { Start-DatamancyProfile -Path $cycle -Name '*' -ErrorAction Stop } |
                Should -Throw -ErrorId 'DependencyCycle,Datamancy.Commands.StartDatamancyProfileCommand' -ExpectedMessage '*a -> b -> a*'
            docker ps -aq --filter "label=com.docker.compose.project=$(Split-Path $cycle -Leaf)" | Should -BeNullOrEmpty
        }
        finally { Remove-Item $cycle -Recurse -Force }
    }

    It 'names every endpoint it tried when the engine is unreachable' {
        $err = { Start-DatamancyProfile -Path $script:S.Path -Name data -DockerHost 'unix:///nonexistent/docker.sock' -ErrorAction Stop } |
            Should -Throw -ErrorId 'EngineUnreachable,Datamancy.Commands.StartDatamancyProfileCommand' -PassThru
        $err.Exception.Message | Should -Match 'unix:///nonexistent/docker.sock'
        $saved = $env:DOCKER_HOST
        try {
            $env:DOCKER_HOST = 'tcp://127.0.0.1:1'
            { Stop-DatamancyProfile -Path $script:S.Path -Name data -ErrorAction Stop } |
                Should -Throw -ErrorId 'EngineUnreachable,Datamancy.Commands.StopDatamancyProfileCommand' -ExpectedMessage '*tcp://127.0.0.1:1*'
        }
        finally { $env:DOCKER_HOST = $saved }
        (Get-ProjectResource $script:S.Project).Containers | Should -BeNullOrEmpty
    }

    It 'turns a connection that breaks in the middle of a list into EngineUnreachable, never a raw exception' {
        $proxy = Start-Process /usr/bin/python3 -ArgumentList (Join-Path $PSScriptRoot 'env/broken-engine-proxy.py'), '/var/run/docker.sock', '/containers/json' `
            -RedirectStandardOutput (Join-Path $TestDrive 'proxy.port') -PassThru
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Get-Content (Join-Path $TestDrive 'proxy.port') -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $endpoint = "tcp://127.0.0.1:$((Get-Content (Join-Path $TestDrive 'proxy.port')).Trim())"
            $err = { Stop-DatamancyProfile -Path $script:S.Path -Name data -DockerHost $endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId 'EngineUnreachable,Datamancy.Commands.StopDatamancyProfileCommand' -PassThru
            $err.Exception.GetType().FullName | Should -Be 'Datamancy.Errors.DatamancyException'
            $err.Exception.Message | Should -BeLike "*stopped answering while it was asked to list containers*"
            $err.Exception.InnerException | Should -Not -BeNullOrEmpty
            # The read-only view keeps the static part and says why the live part is missing.
            $services = Get-DatamancyService -Path $script:S.Path -DockerHost $endpoint -WarningVariable warned -WarningAction SilentlyContinue
            $services[0].State | Should -Be 'Unknown'
            "$warned" | Should -BeLike '*stopped answering*'
        }
        finally { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
    }

    It 'keeps the static view, with a warning, when the engine does not answer' {
        $services = Get-DatamancyService -Path $script:S.Path -DockerHost 'unix:///nonexistent/docker.sock' -WarningVariable warned -WarningAction SilentlyContinue
        $services.Count | Should -Be 8
        $services[0].State | Should -Be 'unknown'
        "$warned" | Should -Match 'EngineUnreachable|No Docker engine answered'
    }
}
