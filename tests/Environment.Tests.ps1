# Proves the test environment the image, swarm and recovery tests build on (tests/env): a real
# registry with and without htpasswd, image versions that pass or fail on purpose, a two-node
# swarm whose tasks talk across nodes, a second empty engine, and clean-up that leaves nothing.
# A missing prerequisite makes BeforeAll throw with what is missing: the tests fail, never skip.
BeforeAll {
    . (Join-Path $PSScriptRoot 'env/TestRegistry.ps1')
    . (Join-Path $PSScriptRoot 'env/TestNodes.ps1')
    . (Join-Path $PSScriptRoot '../build/FreshPwsh.ps1')
    $script:Run = [guid]::NewGuid().ToString('N').Substring(0, 8)
    $script:Registry = Start-TestRegistry
    $script:AuthRegistry = Start-TestRegistry -Htpasswd
    $script:Swarm = Start-TestNode -Count 2 -Swarm -Registry $script:Registry
    $script:Engine = Start-TestNode -Count 1
    $script:Containers = [Collections.Generic.List[string]]::new()

    # Polls until the script block returns something truthy; returns it, or throws after Seconds.
    function Wait-Until([scriptblock] $Condition, [int] $Seconds, [string] $What) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        do {
            $result = & $Condition
            if ($result) { return $result }
            Start-Sleep -Milliseconds 250
        } while ([DateTime]::UtcNow -lt $deadline)
        throw "Timed out after $Seconds s waiting for $What."
    }

    # An HTTP request by hand through busybox nc (busybox wget crashes on IP literals).
    function Get-PageFromTask($Node, [string] $Container, [string] $Address, [string] $Path) {
        Invoke-TestNodeDocker $Node exec $Container sh -c "printf 'GET $Path HTTP/1.0\r\n\r\n' | nc -w 5 $Address 80"
    }

    function Get-Status([string] $Uri, [hashtable] $Headers = @{}) {
        (Invoke-WebRequest $Uri -Headers $Headers -SkipHttpErrorCheck -TimeoutSec 5).StatusCode
    }

    # The body as text whatever its content type (busybox httpd calls /version octet-stream).
    function Get-Body([string] $Uri) {
        $response = Invoke-WebRequest $Uri -TimeoutSec 5
        if ($response.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($response.Content) } else { $response.Content }
    }

    # What a clean-up must have removed: namespaces, links, the rule, processes, mounts, folder.
    function Get-Leftover($Set) {
        $names = @($Set.Nodes.Namespace) + @($Set.Nodes.Veth) + $Set.Bridge
        @(& /usr/sbin/ip netns list | Where-Object { $_.Split(' ')[0] -in $names })
        @(Get-ChildItem /sys/class/net | Where-Object Name -In $names | ForEach-Object Name)
        @(& /usr/sbin/iptables -w -S | Where-Object { $_ -match "-i $($Set.Bridge) " })
        @(Find-TestProcess $Set.Folder | ForEach-Object { "process $_" })
        @(Get-Content /proc/self/mountinfo | Where-Object { $_.Contains($Set.Folder) })
        if (Test-Path $Set.Folder) { "folder $($Set.Folder)" }
    }
}

AfterAll {
    foreach ($id in $script:Containers) { docker rm -f $id *> $null }
    Stop-TestNode $script:Swarm
    Stop-TestNode $script:Engine
    Stop-TestRegistry $script:Registry
    Stop-TestRegistry $script:AuthRegistry
}

Describe 'The test registry' -Tag 'Environment' {
    BeforeAll {
        $script:V1 = New-TestImageVersion -Registry $script:Registry -Repository "env-$script:Run" -Tag 1 -Version v1
    }

    It 'serves a pushed image that the host engine pulls back by digest from 127.0.0.1' {
        $script:V1.Reference | Should -Be "127.0.0.1:$($script:Registry.Port)/env-$($script:Run):1"
        $script:V1.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
        # The registry's own answer for the tag names the same digest.
        $manifest = Invoke-WebRequest "http://$($script:Registry.Address)/v2/env-$script:Run/manifests/1" -Method Head `
            -Headers @{ Accept = 'application/vnd.docker.distribution.manifest.v2+json' }
        "$($manifest.Headers['Docker-Content-Digest'])" | Should -Be $script:V1.Digest
        docker image rm $script:V1.Reference $script:V1.PinnedReference *> $null
        docker image inspect $script:V1.ImageId *> $null
        $LASTEXITCODE | Should -Not -Be 0 -Because 'the local copy is gone before the pull'
        docker pull -q $script:V1.PinnedReference *> $null
        $LASTEXITCODE | Should -Be 0
        $image = docker image inspect $script:V1.PinnedReference | ConvertFrom-Json
        $image.RepoDigests | Should -Contain $script:V1.PinnedReference
        $image.Config.Labels.'io.datamancy.test.version' | Should -Be 'v1'
    }

    It 'moves the tag to a new digest when another version is pushed under it' {
        $v2 = New-TestImageVersion -Registry $script:Registry -Repository "env-$script:Run" -Tag 1 -Version v2
        $v2.Digest | Should -Not -Be $script:V1.Digest
        $manifest = Invoke-WebRequest "http://$($script:Registry.Address)/v2/env-$script:Run/manifests/1" -Method Head `
            -Headers @{ Accept = 'application/vnd.docker.distribution.manifest.v2+json' }
        "$($manifest.Headers['Docker-Content-Digest'])" | Should -Be $v2.Digest
    }

    It 'builds versions that serve their version, fail their healthcheck, or answer 500, as asked' {
        $good = New-TestImageVersion -Registry $script:Registry -Repository "env-$script:Run-good" -Version v5
        $sick = New-TestImageVersion -Registry $script:Registry -Repository "env-$script:Run-sick" -Version v3 -HealthFails
        $broken = New-TestImageVersion -Registry $script:Registry -Repository "env-$script:Run-broken" -Version v4 -Http500
        $started = foreach ($image in $good, $sick, $broken) {
            $id = docker run -d -p 127.0.0.1::80 $image.PinnedReference
            $script:Containers.Add($id)
            [pscustomobject]@{ Image = $image; Id = $id; Port = ((docker port $id 80/tcp | Select-Object -First 1) -split ':')[-1] }
        }
        try {
            $health = { param($c) docker inspect --format '{{.State.Health.Status}}' $c.Id }
            Wait-Until { (& $health $started[0]) -eq 'healthy' -and (& $health $started[1]) -eq 'unhealthy' -and (& $health $started[2]) -eq 'healthy' } 30 'the three health states' | Out-Null
            Get-Body "http://127.0.0.1:$($started[0].Port)/" | Should -Match 'datamancy test app v5'
            Get-Body "http://127.0.0.1:$($started[1].Port)/version" | Should -Be 'v3'
            Get-Status "http://127.0.0.1:$($started[2].Port)/" | Should -Be 500
            Get-Status "http://127.0.0.1:$($started[2].Port)/version" | Should -Be 200
            # PID 1 stops at once on SIGTERM, with no init.
            $watch = [Diagnostics.Stopwatch]::StartNew()
            docker stop $started[0].Id | Out-Null
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        }
        finally { docker rm -f $started.Id *> $null }
    }

    It 'refuses anonymous and wrong-password access when it has htpasswd users, and serves the right user' {
        $address = $script:AuthRegistry.Address
        Get-Status "http://$address/v2/" | Should -Be 401
        $image = New-TestImageVersion -Registry $script:AuthRegistry -Repository "env-$script:Run" -Tag 1 -Version v1
        $user = $script:AuthRegistry.Credential.UserName
        $password = $script:AuthRegistry.Credential.GetNetworkCredential().Password
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($user):$password"))
        Get-Status "http://$address/v2/env-$script:Run/tags/list" @{ Authorization = "Basic $basic" } | Should -Be 200
        $wrong = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($user):not-$password"))
        Get-Status "http://$address/v2/env-$script:Run/tags/list" @{ Authorization = "Basic $wrong" } | Should -Be 401
        $empty = New-Item -ItemType Directory -Path (Join-Path $script:AuthRegistry.Folder "anonymous-$script:Run")
        $output = docker --config $empty pull $image.PinnedReference 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        "$output" | Should -Match 'no basic auth credentials|unauthorized'
        $output = "not-$password" | docker --config $empty login $address --username $user --password-stdin 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        "$output" | Should -Match 'unauthorized'
        # The generated password is written nowhere but the bcrypt file and the private docker config.
        foreach ($file in Get-ChildItem $script:AuthRegistry.Folder -File) { Get-Content $file.FullName -Raw | Should -Not -Match $password }
    }
}

Describe 'The two-node test swarm' -Tag 'Environment' {
    BeforeAll {
        $script:App = New-TestImageVersion -Registry $script:Registry -Repository "env-$script:Run-swarm" -Tag 1 -Version v7
    }

    It 'has two ready nodes named after their namespaces, node 1 leading' {
        $nodes = Invoke-TestNodeDocker $script:Swarm.Manager node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'
        $nodes | Should -Contain "$($script:Swarm.Nodes[0].Name) Ready Leader"
        $nodes | Should -Contain "$($script:Swarm.Nodes[1].Name) Ready "
        # Each engine has an identity of its own (its own /etc/docker/key.json), as separate hosts do.
        $ids = @(docker info --format '{{.ID}}') + @($script:Swarm.Nodes | ForEach-Object { Invoke-TestNodeDocker $_ info --format '{{.ID}}' })
        ($ids | Sort-Object -Unique).Count | Should -Be 3
    }

    It 'runs a dnsrr service pinned to a registry digest on both nodes, and its tasks reach each other across nodes' {
        $manager = $script:Swarm.Manager
        $network = "env-$script:Run"
        $service = "env-$script:Run-web"
        Invoke-TestNodeDocker $manager network create -d overlay --attachable $network | Out-Null
        Invoke-TestNodeDocker $manager service create -d -q --name $service --network $network --replicas 2 --replicas-max-per-node 1 `
            --endpoint-mode dnsrr --publish 'mode=host,published=18080,target=80' $script:App.PinnedReference | Out-Null
        $tasks = Wait-Until {
            $running = @(foreach ($node in $script:Swarm.Nodes) {
                    $id = Invoke-TestNodeDocker $node ps -q --filter "label=com.docker.swarm.service.name=$service" --filter health=healthy
                    if ($id) { [pscustomobject]@{ Node = $node; Id = "$id".Trim() } }
                })
            if ($running.Count -eq 2) { , $running }
        } 90 'one healthy task per node'
        foreach ($task in $tasks) {
            Invoke-TestNodeDocker $task.Node inspect --format '{{.Config.Image}}' $task.Id | Should -Be $script:App.PinnedReference
        }
        $far = (Invoke-TestNodeDocker $tasks[1].Node inspect --format "{{(index .NetworkSettings.Networks `"$network`").IPAddress}}" $tasks[1].Id).Trim()
        $resolved = Invoke-TestNodeDocker $tasks[0].Node exec $tasks[0].Id nslookup "tasks.$service"
        "$resolved" | Should -Match ([regex]::Escape($far))
        Get-PageFromTask $tasks[0].Node $tasks[0].Id $far '/version' | Select-Object -Last 1 | Should -Be 'v7'
        Get-PageFromTask $tasks[0].Node $tasks[0].Id $service '/version' | Select-Object -Last 1 | Should -Be 'v7'
        # Host-mode published ports answer on each node's bridge address.
        foreach ($node in $script:Swarm.Nodes) { Get-Body "http://$($node.Address):18080/version" | Should -Be 'v7' }
    }
}

Describe 'The second engine' -Tag 'Environment' {
    It 'is empty, takes a loaded image, keeps named volumes, and publishes ports on its address and through a loopback forward' {
        $node = $script:Engine.Nodes[0]
        Invoke-TestNodeDocker $node ps -aq | Should -BeNullOrEmpty
        Invoke-TestNodeDocker $node info --format '{{.Swarm.LocalNodeState}}' | Should -Be 'inactive'
        # It has no registry: the image is loaded from the host engine.
        Copy-TestImageToNode -Image 'datamancy-test/busybox:1' -Node $node
        Invoke-TestNodeDocker $node image inspect --format '{{.Id}}' 'datamancy-test/busybox:1' | Should -Be (docker image inspect --format '{{.Id}}' 'datamancy-test/busybox:1')
        Invoke-TestNodeDocker $node volume create "env-$script:Run" | Out-Null
        Invoke-TestNodeDocker $node run --rm -v "env-$($script:Run):/data" datamancy-test/busybox:1 sh -c "echo $script:Run > /data/kept" | Out-Null
        Invoke-TestNodeDocker $node run -d -p 18081:80 -p 127.0.0.1:18443:80 -v "env-$($script:Run):/www" datamancy-test/busybox:1 httpd -f -p 80 -h /www | Out-Null
        $forward = Add-TestNodePortForward $script:Engine $node -Port 18443
        (Wait-Until { try { Get-Body "http://$($node.Address):18081/kept" } catch { $null } } 15 'the published port').Trim() | Should -Be $script:Run
        (Get-Body "http://127.0.0.1:$forward/kept").Trim() | Should -Be $script:Run
    }
}

Describe 'Clean-up' -Tag 'Environment' {
    It 'Stop-TestNode leaves no namespace, link, iptables rule, process, mount or folder' {
        foreach ($set in $script:Swarm, $script:Engine) {
            Get-Leftover $set | Should -Not -BeNullOrEmpty -Because 'the set is up before the stop'
            Stop-TestNode $set
            Get-Leftover $set | Should -BeNullOrEmpty
        }
    }

    It 'Stop-TestRegistry stops its process and removes its folder and the images it built' {
        foreach ($registry in $script:Registry, $script:AuthRegistry) {
            $images = @($registry.Images)
            Stop-TestRegistry $registry
            Get-Process -Id $registry.Pid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $registry.Folder | Should -Not -Exist
            foreach ($image in $images) { docker image inspect $image *> $null; $LASTEXITCODE | Should -Not -Be 0 }
        }
    }

    It 'removes what a killed run left, and only that' {
        $live = Start-TestRegistry
        try {
            # A pwsh that starts a registry and a node and exits without stopping them: a killed run.
            $env:DM_ENV_TESTS = Join-Path $PSScriptRoot 'env'
            $child = Invoke-FreshPwsh -Command '. $env:DM_ENV_TESTS/TestNodes.ps1; $r = Start-TestRegistry; $n = Start-TestNode -Count 1; "$($r.Folder)|$($n.Folder)|$($n.Nodes[0].Pid)"' 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "$child"
            $registryFolder, $nodeFolder, $dockerd = "$($child | Select-Object -Last 1)".Split('|')
            $registryFolder | Should -Exist
            Get-Process -Id $dockerd | Should -Not -BeNullOrEmpty
            Clear-StaleTestRegistry
            Clear-StaleTestNode
            $registryFolder | Should -Not -Exist
            $nodeFolder | Should -Not -Exist
            Get-Process -Id $dockerd -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            # This run's own registry is untouched.
            Get-Status "http://$($live.Address)/v2/" | Should -Be 200
        }
        finally { Stop-TestRegistry $live }
    }
}
