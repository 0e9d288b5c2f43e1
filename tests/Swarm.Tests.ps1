# Swarm mode on a real two-node swarm (tests/env/TestNodes.ps1: two dockerd in network namespaces,
# one bridge) with the test registry served on each node's loopback (tests/env/TestRegistry.ps1).
# The stack (tests/stacks/swarm) is db (pinned by a node label), app (depends on db) and front.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'env/TestNodes.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }

    $script:Registry = Start-TestRegistry
    $script:V1 = New-TestImageVersion -Registry $script:Registry -Repository app -Tag v1 -Version v1
    $script:Bad = New-TestImageVersion -Registry $script:Registry -Repository app -Tag v2bad -Version v2 -HealthFails
    # Heartbeat 1s: a stopped node is Down within a couple of seconds.
    $script:Nodes = Start-TestNode -Count 2 -Swarm -Registry $script:Registry -DispatcherHeartbeat 1s
    $script:Manager = $script:Nodes.Nodes[0]
    $script:Worker = $script:Nodes.Nodes[1]
    $script:Project = 'dmswarm' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $script:Stack = New-TestFolder 'dm-swarm'
    Copy-Item (Join-Path $PSScriptRoot 'stacks/swarm/*') $script:Stack -Recurse
    $script:AppPassword = [guid]::NewGuid().ToString('N')
    function Set-StackEnv([string] $AppTag = 'v1') {
        Set-Content (Join-Path $script:Stack '.env') "COMPOSE_PROJECT_NAME=$script:Project`nREGISTRY=$($script:Registry.Address)`nAPP_TAG=$AppTag`nAPP_PASSWORD=$script:AppPassword`n"
    }
    function Get-StackSecretNames([string] $Project = $script:Project) {
        @(Invoke-TestNodeDocker $script:Manager secret ls --filter "label=com.docker.stack.namespace=$Project" --format '{{.Name}}') | Where-Object { $_ } | Sort-Object
    }
    # What the app task sees in its secret file, on whichever node runs it.
    function Get-AppSecretFile {
        $node = $script:Nodes.Nodes | Where-Object Name -eq ((Get-State).app.Nodes | Select-Object -First 1)
        $container = Invoke-TestNodeDocker $node ps --filter "label=com.docker.swarm.service.name=$($script:Project)_app" --format '{{.ID}}' | Select-Object -First 1
        (Invoke-TestNodeDocker $node exec $container sh -c 'cat "$APP_PASSWORD_FILE"') -join ''
    }
    Set-StackEnv
    $script:Common = @{ Path = $script:Stack; DockerHost = $script:Manager.Socket }
    function Get-SwarmServiceNames { @(Invoke-TestNodeDocker $script:Manager service ls --format '{{.Name}}') | Where-Object { $_ } | Sort-Object }
    function Get-SwarmNetworkNames { @(Invoke-TestNodeDocker $script:Manager network ls --filter driver=overlay --format '{{.Name}}') | Where-Object { $_ -ne 'ingress' } | Sort-Object }
    function Get-State { Get-DatamancyService @script:Common | Group-Object Name -AsHashTable }
    function Wait-Until([scriptblock] $Condition, [int] $Seconds = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ([DateTime]::UtcNow -lt $deadline) { if (& $Condition) { return $true }; Start-Sleep -Milliseconds 500 }
        $false
    }
    # Test-DatamancyService: the front is a real Caddy from the test registry, serving app.stack.local
    # with the certificate New-DatamancyCertificate writes to caddy/certs (delivered as swarm configs).
    . (Join-Path $PSScriptRoot 'env/TestCaddy.ps1')
    $script:Caddy = New-TestCaddyImage -Registry $script:Registry
    $script:Certificate = New-DatamancyCertificate -Path $script:Stack
    function Get-TestResult($Results, [string] $Service, [string] $Check) { $Results | Where-Object { $_.Service -eq $Service -and $_.Check -eq $Check } }
}

AfterAll {
    Stop-TestNode $script:Nodes
    Stop-TestRegistry $script:Registry
    if ($script:Stack) { Remove-Item $script:Stack -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Swarm mode' {
    It 'refuses a key the swarm cannot express and an image no registry serves, naming service and key, and -WhatIf changes nothing' {
        $refused = New-TestFolder 'dm-swarm-refused'
        try {
            Set-Content (Join-Path $refused 'docker-compose.yml') "name: $($script:Project)r`nservices:`n  browser:`n    image: $($script:V1.Reference)`n    shm_size: 64m`n"
            { Start-DatamancyProfile -Path $refused -DockerHost $script:Manager.Socket -Name '*' -Orchestrator Swarm -ErrorAction Stop } |
                Should -Throw -ErrorId 'SwarmKeyUnsupported*' -ExpectedMessage "*'browser'*'shm_size'*"
            # An image only an engine holds (built here, not pushed) cannot reach the nodes.
            Set-Content (Join-Path $refused 'docker-compose.yml') "name: $($script:Project)r`nservices:`n  local:`n    image: datamancy-test/busybox:1`n"
            { Start-DatamancyProfile -Path $refused -DockerHost $script:Manager.Socket -Name '*' -Orchestrator Swarm -ErrorAction Stop } |
                Should -Throw -ErrorId 'SwarmImageNotInRegistry*' -ExpectedMessage "*'datamancy-test/busybox:1' of service 'local'*push the image*"
        }
        finally { Remove-Item $refused -Recurse -Force }

        Set-DatamancyNode @script:Common -Name $script:Worker.Name -Service db -WhatIf
        Start-DatamancyProfile @script:Common -Name data, apps, web -WhatIf | Should -BeNullOrEmpty
        Get-SwarmServiceNames | Should -BeNullOrEmpty
        Get-SwarmNetworkNames | Should -BeNullOrEmpty
        (Get-DatamancyNode @script:Common -Name $script:Worker.Name).Labels | Should -Not -Contain 'datamancy.db=true'
    }

    It 'deploys in dependency order: db on its labelled node, app on the other reaching db over the backend overlay, the front through its host-mode port' {
        $pinned = Set-DatamancyNode @script:Common -Name $script:Worker.Name -Service db
        $pinned.Labels | Should -Contain 'datamancy.db=true'

        $results = Start-DatamancyProfile @script:Common -Name data, apps, web -Timeout 180
        $results.Name | Should -Be db, app, front
        $results | ForEach-Object { $_.Succeeded | Should -BeTrue -Because $_.Error; $_.Action | Should -Be Create }

        $state = Get-State
        $state.db.Nodes | Should -Be @($script:Worker.Name)
        $state.app.Nodes | Should -Be @($script:Manager.Name)
        $state.db.Image | Should -Be "$($script:V1.Reference)@$($script:V1.Digest)"
        $state.Values | ForEach-Object { $_.Running | Should -Be 1; $_.Desired | Should -Be 1 }
        (Get-DatamancyNode @script:Common -Name $script:Worker.Name).Services | Should -Contain db

        # app (node 1) asks db (node 2) by its service name over the internal overlay (dnsrr: no IPVS here).
        $container = Invoke-TestNodeDocker $script:Manager ps --filter "label=com.docker.swarm.service.name=$($script:Project)_app" --format '{{.ID}}' | Select-Object -First 1
        $answer = Invoke-TestNodeDocker $script:Manager exec $container sh -c "printf 'GET /version HTTP/1.0\r\n\r\n' | nc db 80"
        $answer -join "`n" | Should -Match '200 OK[\s\S]*v1'

        $frontNode = $script:Nodes.Nodes | Where-Object Name -eq ($state.front.Nodes | Select-Object -First 1)
        $port = Add-TestNodePortForward $script:Nodes $frontNode -Port 8080
        $client = [System.Net.Http.HttpClient]::new()
        try {
            $client.GetStringAsync("http://127.0.0.1:$port/version").GetAwaiter().GetResult() | Should -Match 'v1'
            $client.GetStringAsync("http://127.0.0.1:$port/page.txt").GetAwaiter().GetResult() | Should -Be "served from a swarm config`n"
        }
        finally { $client.Dispose() }

        Get-SwarmNetworkNames | Should -Be "$($script:Project)_backend", "$($script:Project)_frontend"
        # The secret reached app as a file (its check reads it), labelled with the stack, and never as a value in its spec.
        Get-StackSecretNames | Should -Match "^$($script:Project)_APP_PASSWORD_[0-9a-f]{16}$"
        Get-AppSecretFile | Should -Be $script:AppPassword
        (Invoke-TestNodeDocker $script:Manager service inspect "$($script:Project)_app" --format '{{json .Spec}}') -join '' | Should -Not -Match $script:AppPassword
        (Invoke-TestNodeDocker $script:Manager network inspect "$($script:Project)_backend" --format '{{.Internal}} {{.Attachable}}') | Should -Be 'true true'
    }

    It 'changes nothing when run again' {
        $again = Start-DatamancyProfile @script:Common -Name data, apps, web -Timeout 60
        $again.Action | Should -Be Unchanged, Unchanged, Unchanged
    }

    It 'reads the log of app through the manager: what the test image writes, stdout and stderr, each line with its task and node' {
        $app = "$($script:Project)_app"
        $current, $node = (Invoke-TestNodeDocker $script:Manager service ps $app --filter desired-state=running --no-trunc --format '{{.ID}} {{.Node}}' | Select-Object -First 1) -split ' '
        # The task writes its two lines as it starts (tests/env/TestRegistry.ps1, serve.sh).
        Wait-Until { @(Get-DatamancyLog @script:Common -Name app | Where-Object Task -eq $current).Count -ge 2 } -Seconds 30 | Should -BeTrue
        $log = @(Get-DatamancyLog @script:Common -Name app -Orchestrator Swarm)
        $log | ForEach-Object { $_ | Should -BeOfType ([Datamancy.LogEntry]) }
        $log.Service | Sort-Object -Unique | Should -Be app
        $mine = $log | Where-Object Task -eq $current
        ($mine | Where-Object Stream -eq stdout).Message | Should -Contain 'datamancy test app v1 serving /app on port 80'
        ($mine | Where-Object Stream -eq stderr).Message | Should -Contain 'datamancy test app v1 has no TLS'
        $mine.Node | Sort-Object -Unique | Should -Be $node
        # Every task the swarm still keeps is there, each line with a node of the swarm; in time order.
        $log.Node | Sort-Object -Unique | ForEach-Object { $_ | Should -BeIn $script:Nodes.Nodes.Name }
        $log.Timestamp | Should -Be ($log.Timestamp | Sort-Object)
        # -Tail counts per task, as docker service logs does; -Follow delivers until the pipeline stops it.
        @(Get-DatamancyLog @script:Common -Name app -Tail 1 | Where-Object Task -eq $current) | Should -HaveCount 1
        $followed = Get-DatamancyLog @script:Common -Name app -Follow -Tail 1 | Select-Object -First 1
        $followed.Task | Should -Not -BeNullOrEmpty
    }

    It 'restarts app as a new swarm task: the update completes, the new task runs healthy and the service keeps working, with the rest of the spec kept' {
        $app = "$($script:Project)_app"
        function Get-AppTask { Invoke-TestNodeDocker $script:Manager service ps $app --filter desired-state=running --no-trunc --format '{{.ID}}' | Select-Object -First 1 }
        function Get-AppSpec { (Invoke-TestNodeDocker $script:Manager service inspect $app --format '{{json .Spec}}') -join '' | ConvertFrom-Json }
        $before = Get-AppTask
        $specBefore = Get-AppSpec
        $version = Invoke-TestNodeDocker $script:Manager service inspect $app --format '{{.Version.Index}}'

        Restart-DatamancyService @script:Common -Name app -WhatIf | Should -BeNullOrEmpty
        Invoke-TestNodeDocker $script:Manager service inspect $app --format '{{.Version.Index}}' | Should -Be $version

        $result = Restart-DatamancyService @script:Common -Name app -Orchestrator Swarm -Timeout 180
        $result | Should -BeOfType ([Datamancy.ServiceResult])
        $result.Succeeded | Should -BeTrue -Because $result.Error
        ($result.Name, $result.Action, $result.State) | Should -Be app, Restart, Running
        $after = Get-AppTask
        $after | Should -Not -Be $before
        (Invoke-TestNodeDocker $script:Manager inspect $after --format '{{.Status.ContainerStatus.ContainerID}}') | Should -BeLike "$($result.ContainerId)*"
        $state = Get-State
        ($state.app.Running, $state.app.UpdateState) | Should -Be 1, completed

        # Only TaskTemplate.ForceUpdate moved.
        $specAfter = Get-AppSpec
        $specAfter.TaskTemplate.ForceUpdate | Should -Be ([int] $specBefore.TaskTemplate.ForceUpdate + 1)
        $specAfter.TaskTemplate.ForceUpdate = $specBefore.TaskTemplate.ForceUpdate
        $specAfter | ConvertTo-Json -Depth 20 -Compress | Should -Be ($specBefore | ConvertTo-Json -Depth 20 -Compress)

        # The new task works: it reaches db over the backend overlay and still has its secret file.
        $node = $script:Nodes.Nodes | Where-Object Name -eq ($state.app.Nodes | Select-Object -First 1)
        $answer = Invoke-TestNodeDocker $node exec $result.ContainerId sh -c "printf 'GET /version HTTP/1.0\r\n\r\n' | nc db 80"
        $answer -join "`n" | Should -Match '200 OK[\s\S]*v1'
        Get-AppSecretFile | Should -Be $script:AppPassword
    }

    It 'passes Test-DatamancyService through the Caddy front: every service running on the swarm, HTTPS to app validated against the stack''s CA' {
        $frontNode = $script:Nodes.Nodes | Where-Object Name -eq ((Get-State).front.Nodes | Select-Object -First 1)
        $script:CaddyAddress = "127.0.0.1:$(Add-TestNodePortForward $script:Nodes $frontNode -Port 443)"
        # No -Orchestrator: the stack's x-datamancy block says swarm.
        $results = Test-DatamancyService @script:Common -CaddyAddress $script:CaddyAddress -InformationVariable info
        $results | ForEach-Object { $_.Passed | Should -BeTrue -Because "$($_.Service) $($_.Check): $($_.Detail)" }
        ($results | Where-Object Service -eq app).Check | Should -Be Container, Dependencies, Https, SecurityHeaders, 'GET /version'
        ($results | Where-Object Service -eq db).Check | Should -Be Container
        (Get-TestResult $results db Container).Detail | Should -Be "running, healthy: 1/1 tasks running on $($script:Worker.Name)"
        (Get-TestResult $results app Dependencies).Detail | Should -Be 'db: running, healthy'
        (Get-TestResult $results app Https).Detail | Should -Match "HTTP 200 OK through Caddy at $([regex]::Escape($script:CaddyAddress)); certificate \*\.stack\.local valid until"
        (Get-TestResult $results app 'GET /version').Detail | Should -Be "HTTP 200 OK, contains 'v1'"
        ($info | ForEach-Object { "$_" }) | Should -Contain '3 service(s) tested: 3 passed, 0 failed.'
        # app runs on the manager, which therefore holds its image: the fingerprint's image is the
        # image ID Compose would record, and the repository digest is the spec's pin.
        $record = Get-Content (Join-Path $script:Stack 'data/tests/app/last_pass.json') -Raw | ConvertFrom-Json
        $record.parts.imageDigest | Should -Be $script:V1.ImageId
        $record.parts.repoDigest | Should -Be $script:V1.PinnedReference
    }

    It 'fails the Container and Dependencies checks of a stopped swarm service, saying what the swarm runs and how to start it' {
        Stop-DatamancyProfile @script:Common -Name data -Confirm:$false | Out-Null
        try {
            $results = Test-DatamancyService @script:Common -Name db, app -Orchestrator Swarm -CaddyAddress $script:CaddyAddress
            $db = Get-TestResult $results db Container
            $db.Passed | Should -BeFalse
            $db.Detail | Should -Be 'not running: 0/0 tasks running: scaled to 0 (stopped) (exited); start it with Start-DatamancyProfile -Orchestrator Swarm -Name data'
            $dependencies = Get-TestResult $results app Dependencies
            $dependencies.Passed | Should -BeFalse
            $dependencies.Detail | Should -Be 'db: exited (0/0 tasks running: scaled to 0 (stopped)), but app needs service_healthy'
            (Get-TestResult $results app Https).Passed | Should -BeTrue
        }
        finally { Start-DatamancyProfile @script:Common -Name data -Timeout 120 | Out-Null }
        (Get-State).db.Running | Should -Be 1
    }

    It 'reports an update whose healthcheck fails as a failure with the reason, after the swarm rolled it back' {
        Set-StackEnv -AppTag v2bad
        try {
            $results = Start-DatamancyProfile @script:Common -Name data, apps, web -Timeout 180 -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally { Set-StackEnv }
        $app = $results | Where-Object Name -eq app
        $app.Action | Should -Be Update
        $app.Succeeded | Should -BeFalse
        $app.ErrorId | Should -Be SwarmRolledBack
        # The swarm's own words ("update rolled back due to failure ...") show only while the rollback
        # runs; a poll that lands after it has completed sees "rollback completed". Either way the
        # error says it was rolled back and how the new task ended.
        $app.Error | Should -BeLike '*rolled it back to the previous spec: *; the new task ended *'
        Get-ErrorId $failures[0] | Should -Be SwarmRolledBack
        ($results | Where-Object Name -eq front).ErrorId | Should -Be DependencyFailed
        # The rolled-back task may still be starting when the update reports.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (($state = Get-State).app.Running -ne 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
        $state.app.UpdateState | Should -Be rollback_completed
        $state.app.Image | Should -BeLike "*@$($script:V1.Digest)"
        $state.app.Running | Should -Be 1
    }

    It 'moves the stateless services off a stopped node and reports the pinned database unavailable' {
        # The spread left front on either node: with node 1 paused, a forced reschedule puts it on node 2.
        if ((Get-State).front.Nodes -notcontains $script:Worker.Name) {
            Invoke-TestNodeDocker $script:Manager node update --availability pause $script:Manager.Name | Out-Null
            try {
                Invoke-TestNodeDocker $script:Manager service update -d --force "$($script:Project)_front" | Out-Null
                Wait-Until { $f = (Get-State).front; $f.Running -eq 1 -and $f.Nodes -contains $script:Worker.Name } -Seconds 60 | Should -BeTrue
            }
            finally { Invoke-TestNodeDocker $script:Manager node update --availability active $script:Manager.Name | Out-Null }
        }
        Stop-TestNodeEngine $script:Worker
        Wait-TestSwarmNodeState $script:Nodes $script:Worker down | Out-Null
        Wait-Until {
            $state = Get-State
            $state.app.Running -eq 1 -and $state.front.Running -eq 1 -and $state.front.Nodes -contains $script:Manager.Name
        } -Seconds 90 | Should -BeTrue
        $state = Get-State
        $state.app.Nodes | Should -Be @($script:Manager.Name)
        $state.db.Running | Should -Be 0
        $state.db.Available | Should -BeFalse
        (Get-DatamancyNode @script:Common -Name $script:Worker.Name).State | Should -Be down
        Start-TestNodeEngine $script:Worker
        Wait-TestSwarmNodeState $script:Nodes $script:Worker ready | Out-Null
    }

    It 'rotates a secret in swarm mode: the service rolls to the new version and keeps working, and the old version is gone' {
        $before = Get-StackSecretNames
        $update = Update-DatamancySecret @script:Common -Name APP_PASSWORD -Confirm:$false
        $update.Status | Should -Be Updated
        $after = Get-StackSecretNames
        @($after).Count | Should -Be 1
        $after | Should -Not -Be $before
        $value = (Get-Content (Join-Path $script:Stack '.env') | Where-Object { $_ -like 'APP_PASSWORD=*' }).Substring(13)
        $value | Should -Not -Be $script:AppPassword
        $state = Get-State
        $state.app.Running | Should -Be 1
        $state.app.UpdateState | Should -Be completed
        Get-AppSecretFile | Should -Be $value
    }

    It 'refuses Compose-only cmdlets on a swarm stack with the reason' {
        { Invoke-DatamancyBackup @script:Common -ErrorAction Stop } | Should -Throw -ErrorId 'SwarmModeUnsupported*' -ExpectedMessage '*runs on a Docker Swarm*'
        # The audit of a swarm stack's files runs; only the live part, which reads one engine's containers, refuses.
        Test-DatamancySecurity @script:Common -RuleId DMS023 -InformationVariable audit | Should -BeNullOrEmpty
        "$audit" | Should -BeLike '*from the files (not the running containers)*'
        { Test-DatamancySecurity @script:Common -Live -ErrorAction Stop } | Should -Throw -ErrorId 'SwarmModeUnsupported*' -ExpectedMessage '*Leave out -Live*DMS023*'
    }

    It 'removes the services, networks, configs and secrets of the stack only' {
        Invoke-TestNodeDocker $script:Manager network create -d overlay "$($script:Project)x_keep" | Out-Null
        $keepFile = Join-Path $script:Stack 'keep.secret'
        Set-Content $keepFile 'another stack'
        Invoke-TestNodeDocker $script:Manager secret create --label "com.docker.stack.namespace=$($script:Project)x" "$($script:Project)x_keep" $keepFile | Out-Null
        Invoke-TestNodeDocker $script:Manager service create -d --name "$($script:Project)x_keep" --restart-condition none $script:V1.PinnedReference | Out-Null

        $removed = Stop-DatamancyProfile @script:Common -Name data, apps, web -Remove -Confirm:$false
        $removed.Name | Should -Be front, app, db
        $removed.Action | Should -Be Remove, Remove, Remove
        Get-SwarmServiceNames | Should -Be "$($script:Project)x_keep"
        Wait-Until { -not (Get-SwarmNetworkNames | Where-Object { $_ -like "$($script:Project)_*" }) } -Seconds 30 | Should -BeTrue
        Get-SwarmNetworkNames | Should -Contain "$($script:Project)x_keep"
        Invoke-TestNodeDocker $script:Manager config ls --format '{{.Name}}' | Where-Object { $_ -like "$($script:Project)_*" } | Should -BeNullOrEmpty
        Get-StackSecretNames | Should -BeNullOrEmpty
        Get-StackSecretNames "$($script:Project)x" | Should -Be "$($script:Project)x_keep"
    }
}
