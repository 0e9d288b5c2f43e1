# Extra Docker engines on this machine for the tests: one dockerd per network namespace, joined by
# a bridge of the test's own, optionally formed into a Docker Swarm. Dot-source it, then:
#   $nodes = Start-TestNode -Count 2 [-Swarm] [-Registry $registry] [-DispatcherHeartbeat 5s]
#       .Nodes        one object per engine (below); .Manager = .Nodes[0] with -Swarm
#       .Bridge       'dmb<id>', the host's side: .HostAddress '172.16.X.1', .Subnet '172.16.X.0/24'
#       .Id, .Folder  the run's id and folder (/tmp/dm-nodes-<id>: every data root, socket, log)
#   a node: .Name ('dm-<id>-n1': host name, swarm node name and netns name), .Address (its bridge
#       IP), .Socket ('unix:///tmp/dm-nodes-<id>/n1/docker.sock', for docker -H or an -Engine
#       parameter), .Pid (dockerd), .DataRoot, .ExecRoot, .Log, .RegistryPid
#   Invoke-TestNodeDocker $node swarm ...   # the docker CLI against that node; throws on failure
#   Copy-TestImageToNode -Image <ref> -Node $nodes.Nodes   # docker save | docker -H node load
#   $hostPort = Add-TestNodePortForward $nodes $node -Port 8443   # host 127.0.0.1:$hostPort -> the node's own 127.0.0.1:8443
#   Stop-TestNodeEngine $node / Start-TestNodeEngine $node   # stop (by pid) / restart one dockerd
#   Wait-TestSwarmNodeState $nodes $node down               # seconds until the manager says so
#   Stop-TestNode $nodes    # stops each dockerd by pid, removes namespaces, veths, bridge, rule, folder
#   Clear-StaleTestNode     # the same for sets whose owning pwsh is gone (Start-TestNode calls it)
#
# How it is built (all of it seen working on this machine, Debian 12, kernel 6.x, Engine 20.10):
# - a bridge with a random free 172.16.X.0/24 (172.16/16 is in neither Docker's default address
#   pools, 172.17-31/16 and 192.168/16, nor Swarm's 10/8; X avoids every route and address on the
#   host and every other test set), host side .1, node i at .(10+i); a veth pair per node, eth0 in
#   the node; no default route in a node, so the nodes reach nothing but the bridge.
# - `iptables -I DOCKER-USER -i BR -o BR -j ACCEPT` (FORWARD when there is no DOCKER-USER chain):
#   the host's FORWARD policy is DROP and bridged traffic passes iptables (br_netfilter).
# - dockerd runs as `unshare --uts --mount --propagation slave nsenter --net=/run/netns/NAME sh -c
#   'hostname NAME; mount --bind <node folder>/etc-docker /etc/docker; exec dockerd --data-root
#   --exec-root --pidfile -H unix://... --config-file'`; every step execs, so the pid kept is
#   dockerd's. `ip netns exec` does not do: it remounts /sys and dockerd fails with "Devices cgroup
#   isn't mounted". Its own UTS namespace gives each node its own host name, which is the Swarm
#   node's name (node.hostname constraints work). Its own mount namespace gives it its own
#   /etc/docker/key.json, hence its own engine ID (`docker info` ID; without it every engine on the
#   machine shares the host's), and keeps its overlay mounts out of the host's mount table. Each
#   dockerd runs its own containerd under its exec root and its own iptables rules in its namespace.
# - -Swarm: `swarm init --advertise-addr <node 1>` on node 1, the others join as workers.
# - No IPVS in this kernel (/proc/net/ip_vs absent, CONFIG_IP_VS unset): a service's name resolves
#   to its virtual IP, but a connection to it times out (busybox nc: "timed out"); endpoint mode
#   dnsrr works across nodes. Publish ports in host mode (the routing mesh needs IPVS too): they
#   answer on each node's bridge address from the host.
# - A node's 127.0.0.1 is its own: a container published on 127.0.0.1 in a node is reached from
#   the host only through Add-TestNodePortForward; one published on 0.0.0.0 answers at .Address.
#
# Images on the nodes, two ways:
# - Copy-TestImageToNode: save on the host engine, load on each node. A loaded image has no
#   RepoDigest; a swarm task naming it by tag still starts (the CLI warns that it "could not be
#   accessed on a registry"), because the node's pull fails at once (no route out) and the task
#   then runs the local image.
# - -Registry $registry (tests/env/TestRegistry.ps1): each node gets a docker-registry process of its
#   own inside its namespace on ITS 127.0.0.1:<registry port>, on the registry's storage folder
#   and users. So '127.0.0.1:PORT/app:1' and '127.0.0.1:PORT/app@sha256:...' name the same image on
#   the host engine (which pushes) and on every node (which pull), with no TLS (loopback is an
#   insecure registry by default) and without the nodes reaching the host. Stop the nodes before
#   the registry: the nodes' registry processes read its folder. With an htpasswd registry, swarm
#   services need the CLI's --with-registry-auth (or X-Registry-Auth) from a logged-in config.
#
# Measured on this machine (2 cores, other sessions' work running alongside, load average 9-30):
# - Start-TestNode -Count 1: 1.5-3 s. -Count 2: engines answer after 3-8 s; swarm init 1-1.5 s;
#   the worker joined and Ready 1-2 s later; with -Registry, 5-14 s in all.
# - A 2-replica service (one task per node) pinned to a registry digest, pulled from the nodes'
#   registries, healthy: 11-20 s after `service create`.
# - A node's dockerd gone (Stop-TestNodeEngine, or -Kill): the manager shows it Down 11-14 s later
#   with the default -DispatcherHeartbeat 5s, 0-2 s later with 1s (use 1s in tests that stop
#   nodes; 5s is Docker's default and keeps a loaded machine from seeing nodes flap). Its
#   replicated tasks run on the other node 7-11 s after Down. A graceful stop takes 3-4 s with the
#   test app images (dockerd first stops its containers, each within its stop timeout: a busybox
#   httpd as PID 1 holds it the full 10 s); -Kill leaves the containers' shims running until the
#   node is started again or stopped for good. Start-TestNodeEngine: 2.5-4 s, Ready at once after.
# - Stop-TestNode of a 2-node swarm: 5-11 s (it kills the containers first).

. (Join-Path $PSScriptRoot 'TestProcess.ps1')
. (Join-Path $PSScriptRoot 'TestRegistry.ps1')

$script:NodeStateRoot = [IO.Path]::GetTempPath()

function Assert-TestNodePrerequisite {
    $missing = @('/usr/sbin/dockerd', '/usr/bin/nsenter', '/usr/bin/unshare', '/usr/sbin/ip', '/usr/sbin/iptables', '/bin/umount') |
        Where-Object { -not (Test-Path $_) }
    if (-not (Get-Command docker -ErrorAction SilentlyContinue)) { $missing += 'docker (CLI)' }
    if ($missing) {
        throw "The test nodes need dockerd, util-linux, iproute2 and iptables (missing: $($missing -join ', ')). Run: bash tests/env/install-checkers.sh"
    }
    if ((& /usr/bin/id -u) -ne '0') { throw 'The test nodes need root: they create network namespaces, a bridge and an iptables rule.' }
}

# Runs a tool of the host and throws with its output when it fails.
function Invoke-TestNodeTool([string] $File, [string[]] $Arguments) {
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed (exit $LASTEXITCODE): $($output -join "`n")" }
    $output
}

# A simple function on purpose: an advanced one would take docker's -d, -i, -v for its own common parameters.
function Invoke-TestNodeDocker {
    $Node, $Arguments = $args
    $Arguments = @($Arguments | ForEach-Object { "$_" })
    $output = & docker -H $Node.Socket @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker -H $($Node.Socket) $($Arguments -join ' ') failed (exit $LASTEXITCODE): $($output -join "`n")" }
    $output | ForEach-Object { "$_" }
}

function ConvertTo-TestNodeNumber([string] $Address) {
    $bytes = [Net.IPAddress]::Parse($Address).GetAddressBytes()
    [Array]::Reverse($bytes)
    [BitConverter]::ToUInt32($bytes, 0)
}

# A 172.16.X.0/24 that overlaps no route or address of the host and no other test set.
function Get-TestNodeSubnet {
    $taken = @(& /usr/sbin/ip -4 -o route show table all) + @(& /usr/sbin/ip -4 -o addr show) | ForEach-Object {
        if ($_ -match '(\d+\.\d+\.\d+\.\d+)(/(\d+))?') {
            $bits = if ($Matches[3]) { [int]$Matches[3] } else { 32 }
            $mask = [uint32](([uint64]1 -shl 32) - ([uint64]1 -shl (32 - $bits)))
            [pscustomobject]@{ Network = (ConvertTo-TestNodeNumber $Matches[1]) -band $mask; Mask = $mask }
        }
    } | Where-Object { $_.Mask -ne 0 }
    $others = foreach ($state in Get-ChildItem $script:NodeStateRoot -Filter 'dm-nodes-*' -Directory -ErrorAction SilentlyContinue) {
        $file = Join-Path $state.FullName 'state.json'
        if (Test-Path $file) { (Get-Content $file -Raw | ConvertFrom-Json).Subnet }
    }
    foreach ($x in (1..254 | Get-Random -Count 254)) {
        $subnet = "172.16.$x.0/24"
        $network = ConvertTo-TestNodeNumber "172.16.$x.0"
        # Two prefixes overlap when the shorter one's mask maps both onto the same network.
        $clash = $taken | Where-Object { ($network -band $_.Mask) -eq $_.Network -or ($_.Network -band [uint32]4294967040) -eq $network }
        if (-not $clash -and $subnet -notin $others) { return $x }
    }
    throw 'No free 172.16.X.0/24 for the test bridge: every one is routed on this host.'
}

function Save-TestNodeState($Set) {
    $Set | Select-Object * -ExcludeProperty Manager | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $Set.Folder 'state.json')
}

function Clear-StaleTestNode {
    foreach ($state in Get-ChildItem $script:NodeStateRoot -Filter 'dm-nodes-*' -Directory -ErrorAction SilentlyContinue) {
        $file = Join-Path $state.FullName 'state.json'
        if (-not (Test-Path $file)) { continue }
        $record = Get-Content $file -Raw | ConvertFrom-Json
        if (-not (Test-TestOwnerAlive $record)) {
            Write-Verbose "Removing the stale test nodes $($record.Id) (owner pid $($record.OwnerPid) is gone)."
            Stop-TestNode $record
        }
    }
}

function Start-TestNode {
    [CmdletBinding()]
    param(
        [ValidateRange(1, 9)][int] $Count = 1,
        [switch] $Swarm,
        $Registry,
        # How often workers report to the manager; a stopped node is Down after a few of these.
        [string] $DispatcherHeartbeat = '5s'
    )
    Assert-TestNodePrerequisite
    Clear-StaleTestNode
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $id = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
    $x = Get-TestNodeSubnet
    $folder = Join-Path $script:NodeStateRoot "dm-nodes-$id"
    New-Item -ItemType Directory -Path $folder | Out-Null
    $owner = New-TestOwnerRecord
    $set = [pscustomobject]@{
        Id = $id; Folder = $folder; Bridge = "dmb$id"; Subnet = "172.16.$x.0/24"; HostAddress = "172.16.$x.1"
        Chain = $null; Nodes = @(); Swarm = [bool]$Swarm; Manager = $null
        RegistryAddress = if ($Registry) { $Registry.Address } else { $null }
        OwnerPid = $owner.OwnerPid; OwnerStartTick = $owner.OwnerStartTick
    }
    $set.Nodes = @(foreach ($i in 1..$Count) {
            $nodeFolder = Join-Path $folder "n$i"
            [pscustomobject]@{
                Name = "dm-$id-n$i"; Index = $i; Namespace = "dm-$id-n$i"; Address = "172.16.$x.$(10 + $i)"; Veth = "dmv$($id)n$i"
                Folder = $nodeFolder; Socket = "unix://$nodeFolder/docker.sock"; Pid = 0
                DataRoot = "$nodeFolder/data"; ExecRoot = "$nodeFolder/exec"; Log = "$nodeFolder/dockerd.log"; RegistryPid = 0
                Forwards = @()
            }
        })
    Save-TestNodeState $set
    try {
        Invoke-TestNodeTool /usr/sbin/ip link, add, $set.Bridge, type, bridge | Out-Null
        Invoke-TestNodeTool /usr/sbin/ip addr, add, "$($set.HostAddress)/24", dev, $set.Bridge | Out-Null
        Invoke-TestNodeTool /usr/sbin/ip link, set, $set.Bridge, up | Out-Null
        & /usr/sbin/iptables -w -n -L DOCKER-USER *> $null
        $set.Chain = if ($LASTEXITCODE -eq 0) { 'DOCKER-USER' } else { 'FORWARD' }
        Invoke-TestNodeTool /usr/sbin/iptables '-w', '-I', $set.Chain, '-i', $set.Bridge, '-o', $set.Bridge, '-j', 'ACCEPT' | Out-Null
        Save-TestNodeState $set
        foreach ($node in $set.Nodes) {
            New-Item -ItemType Directory -Path $node.DataRoot, $node.ExecRoot -Force | Out-Null
            Set-Content "$($node.Folder)/daemon.json" '{}'
            Invoke-TestNodeTool /usr/sbin/ip netns, add, $node.Namespace | Out-Null
            Invoke-TestNodeTool /usr/sbin/ip link, add, $node.Veth, type, veth, peer, name, eth0, netns, $node.Namespace | Out-Null
            Invoke-TestNodeTool /usr/sbin/ip link, set, $node.Veth, master, $set.Bridge, up | Out-Null
            Invoke-TestNodeTool /usr/sbin/ip '-n', $node.Namespace, addr, add, "$($node.Address)/24", dev, eth0 | Out-Null
            Invoke-TestNodeTool /usr/sbin/ip '-n', $node.Namespace, link, set, eth0, up | Out-Null
            Invoke-TestNodeTool /usr/sbin/ip '-n', $node.Namespace, link, set, lo, up | Out-Null
            Save-TestNodeState $set
        }
        # All daemons start at once, then each is waited for.
        foreach ($node in $set.Nodes) { Start-TestNodeProcess $node }
        Save-TestNodeState $set
        foreach ($node in $set.Nodes) { Wait-TestNodeEngine $node }
        Write-Verbose "Test nodes $id`: $Count engine(s) answer after $($watch.ElapsedMilliseconds) ms."
        if ($Registry) {
            foreach ($node in $set.Nodes) { Start-TestNodeRegistry $node $Registry }
            Save-TestNodeState $set
        }
        if ($Swarm) {
            $set.Manager = $set.Nodes[0]
            $watch.Restart()
            Invoke-TestNodeDocker $set.Manager swarm init --advertise-addr $set.Manager.Address --listen-addr "$($set.Manager.Address):2377" --dispatcher-heartbeat $DispatcherHeartbeat | Out-Null
            $token = (Invoke-TestNodeDocker $set.Manager swarm join-token -q worker | Select-Object -Last 1).Trim()
            Write-Verbose "Test nodes $id`: swarm init took $($watch.ElapsedMilliseconds) ms."
            $watch.Restart()
            foreach ($node in $set.Nodes | Select-Object -Skip 1) {
                Invoke-TestNodeDocker $node swarm join --token $token --advertise-addr $node.Address --listen-addr "$($node.Address):2377" "$($set.Manager.Address):2377" | Out-Null
            }
            foreach ($node in $set.Nodes) { Wait-TestSwarmNodeState $set $node ready | Out-Null }
            Write-Verbose "Test nodes $id`: $($Count - 1) worker(s) joined and ready after $($watch.ElapsedMilliseconds) ms."
        }
        $set
    }
    catch {
        $failure = $_
        Stop-TestNode $set
        throw $failure
    }
}

# Starts (or restarts) one node's dockerd; the pid kept is dockerd's own.
function Start-TestNodeProcess($Node) {
    Remove-Item "$($Node.Folder)/docker.pid" -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Path "$($Node.Folder)/etc-docker" -Force | Out-Null
    # Names and paths are the run's own ([a-z0-9-] and /tmp/dm-nodes-<id>/...): safe in single quotes.
    $Node.Pid = Start-TestBackgroundProcess -LogPath $Node.Log -Setup "hostname '$($Node.Name)'; mount --bind '$($Node.Folder)/etc-docker' /etc/docker" `
        -Prefix '/usr/bin/unshare', '--uts', '--mount', '--propagation', 'slave', '/usr/bin/nsenter', "--net=/run/netns/$($Node.Namespace)" `
        -ArgumentList '/usr/sbin/dockerd', '--data-root', $Node.DataRoot, '--exec-root', $Node.ExecRoot,
        '--pidfile', "$($Node.Folder)/docker.pid", '-H', $Node.Socket, '--config-file', "$($Node.Folder)/daemon.json"
}

function Wait-TestNodeEngine($Node, [int] $TimeoutSeconds = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (-not (Get-Process -Id $Node.Pid -ErrorAction SilentlyContinue)) { break }
        & docker -H $Node.Socket version --format '{{.Server.Version}}' *> $null
        if ($LASTEXITCODE -eq 0) {
            $written = Get-Content "$($Node.Folder)/docker.pid" -Raw -ErrorAction SilentlyContinue
            if ([int]"$written".Trim() -ne $Node.Pid) { throw "dockerd of $($Node.Name) wrote pid '$written', not the $($Node.Pid) started." }
            return
        }
        Start-Sleep -Milliseconds 200
    }
    throw "dockerd of $($Node.Name) did not answer on $($Node.Socket) within $TimeoutSeconds s; its log: $((Get-Content $Node.Log -Tail 8 -ErrorAction SilentlyContinue) -join "`n")"
}

function Start-TestNodeEngine($Node) {
    if ($Node.Pid -and (Get-TestProcessCommandLine $Node.Pid).Contains($Node.Folder)) { return }
    Start-TestNodeProcess $Node
    Wait-TestNodeEngine $Node
}

# Stops one node's dockerd by its pid and waits for it to exit (-Kill: SIGKILL at once, a crash).
function Stop-TestNodeEngine($Node, [switch] $Kill) {
    if ($Kill -and $Node.Pid -and (Get-TestProcessCommandLine $Node.Pid).Contains($Node.Folder)) { /bin/kill -KILL $Node.Pid }
    if (-not (Stop-TestProcess $Node.Pid $Node.Folder -TimeoutSeconds 60)) { throw "dockerd $($Node.Pid) of $($Node.Name) did not stop." }
}

function Start-TestNodeRegistry($Node, $Registry) {
    $config = "$($Node.Folder)/registry.yml"
    Set-TestPrivateFile $config (New-TestRegistryConfig $Registry.Folder $Registry.Address -Htpasswd:([bool]$Registry.Credential))
    $Node.RegistryPid = Start-TestBackgroundProcess -LogPath "$($Node.Folder)/registry.log" `
        -Prefix '/usr/bin/nsenter', "--net=/run/netns/$($Node.Namespace)" -ArgumentList '/usr/bin/docker-registry', 'serve', $config
    if (-not (Wait-TestRegistry $Registry.Address $Node.RegistryPid -Namespace $Node.Namespace)) {
        throw "The registry of $($Node.Name) did not start on its 127.0.0.1:$($Registry.Port); its log: $(Get-Content "$($Node.Folder)/registry.log" -Tail 5 -ErrorAction SilentlyContinue)"
    }
}

# Waits until the manager reports Node in State (ready, down, unknown) and returns the seconds it took.
function Wait-TestSwarmNodeState($Set, $Node, [string] $State, [int] $TimeoutSeconds = 120) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    while ($watch.Elapsed.TotalSeconds -lt $TimeoutSeconds) {
        $states = & docker -H $Set.Nodes[0].Socket node ls --format '{{.Hostname}} {{.Status}}' 2>$null
        if ($states -contains "$($Node.Name) $((Get-Culture).TextInfo.ToTitleCase($State))") { return $watch.Elapsed.TotalSeconds }
        Start-Sleep -Milliseconds 250
    }
    throw "The swarm manager did not report $($Node.Name) as $State within $TimeoutSeconds s."
}

# Makes 127.0.0.1:<HostPort> on the host reach 127.0.0.1:<Port> INSIDE a node, where a stack that
# publishes its ports on loopback listens (a node's loopback is its own; the host cannot reach it).
# Two docker-proxy processes (Debian's docker.io ships it): one in the host's namespace,
# 127.0.0.1:HostPort -> node address:relay port, one in the node's, node address:relay port ->
# 127.0.0.1:Port. Returns the host port; Stop-TestNode stops both.
function Add-TestNodePortForward($Set, $Node, [Parameter(Mandatory)][int] $Port) {
    $hostPort = Get-FreeLoopbackPort
    $relayPort = Get-Random -Minimum 40000 -Maximum 50000
    # docker-proxy ignores arguments after its flags: the node's folder goes last, as the marker
    # that lets Stop-TestProcess and the stale clean-up know the process for ours.
    $nodePid = Start-TestBackgroundProcess -LogPath "$($Node.Folder)/forward-$Port.log" -Prefix '/usr/bin/nsenter', "--net=/run/netns/$($Node.Namespace)" `
        -ArgumentList '/usr/sbin/docker-proxy', '-proto', 'tcp', '-host-ip', $Node.Address, '-host-port', $relayPort, '-container-ip', '127.0.0.1', '-container-port', $Port, $Node.Folder
    $hostPid = Start-TestBackgroundProcess -LogPath "$($Node.Folder)/forward-$Port.log" `
        -ArgumentList '/usr/sbin/docker-proxy', '-proto', 'tcp', '-host-ip', '127.0.0.1', '-host-port', $hostPort, '-container-ip', $Node.Address, '-container-port', $relayPort, $Node.Folder
    $Node.Forwards = @($Node.Forwards) + [pscustomobject]@{ Port = $Port; HostPort = $hostPort; RelayPort = $relayPort; NodePid = $nodePid; HostPid = $hostPid }
    Save-TestNodeState $Set
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ([DateTime]::UtcNow -lt $deadline) {
        & /usr/bin/nsenter "--net=/run/netns/$($Node.Namespace)" /bin/bash -c "exec 3<>/dev/tcp/$($Node.Address)/$relayPort" 2>$null
        $relayUp = $LASTEXITCODE -eq 0
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $hostPort); $hostUp = $true } catch { $hostUp = $false } finally { $client.Dispose() }
        if ($relayUp -and $hostUp) { return $hostPort }
        if (@(Get-Process -Id $nodePid, $hostPid -ErrorAction SilentlyContinue).Count -ne 2) { break }
        Start-Sleep -Milliseconds 100
    }
    throw "The port forward to 127.0.0.1:$Port in $($Node.Name) did not come up; its log: $(Get-Content "$($Node.Folder)/forward-$Port.log" -Tail 5 -ErrorAction SilentlyContinue)"
}

# Copies an image of the host engine onto nodes (docker save, then docker load on each).
function Copy-TestImageToNode([Parameter(Mandatory)][string] $Image, [Parameter(Mandatory)] $Node) {
    $archive = Join-Path ([IO.Path]::GetTempPath()) "dm-image-$([guid]::NewGuid().ToString('N')).tar"
    try {
        Invoke-TestNodeTool docker save, '-o', $archive, $Image | Out-Null
        foreach ($target in @($Node)) { Invoke-TestNodeDocker $target load -q -i $archive | Out-Null }
    }
    finally { Remove-Item $archive -ErrorAction SilentlyContinue }
}

function Stop-TestNode($Set) {
    if (-not $Set -or -not $Set.Folder) { return }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    # Containers are killed first: a graceful dockerd stop waits each one's stop timeout (10 s for a
    # busybox httpd as PID 1), one daemon after another. Then every daemon is told at once.
    foreach ($node in @($Set.Nodes)) {
        Stop-TestProcess $node.RegistryPid $node.Folder | Out-Null
        foreach ($forward in @($node.Forwards)) { Stop-TestProcess $forward.HostPid $node.Folder | Out-Null; Stop-TestProcess $forward.NodePid $node.Folder | Out-Null }
        if ($node.Pid -and (Get-TestProcessCommandLine $node.Pid).Contains($node.Folder)) {
            $running = @(& docker -H $node.Socket ps -q 2>$null)
            if ($running) { & docker -H $node.Socket kill $running *> $null }
            /bin/kill -TERM $node.Pid 2>$null
        }
    }
    Write-Verbose "Test nodes $($Set.Id): containers killed and daemons told to stop after $($watch.ElapsedMilliseconds) ms."
    foreach ($node in @($Set.Nodes)) { Stop-TestProcess $node.Pid $node.Folder -TimeoutSeconds 60 | Out-Null }
    Write-Verbose "Test nodes $($Set.Id): daemons gone after $($watch.ElapsedMilliseconds) ms."
    # What a killed dockerd leaves: its containerd and shims (their command lines name the folder),
    # and the processes of its containers (in the cgroups named after its containers' ids).
    foreach ($leftover in @(Find-TestProcess $Set.Folder)) { Stop-TestProcess $leftover $Set.Folder -TimeoutSeconds 10 | Out-Null }
    foreach ($node in @($Set.Nodes)) {
        foreach ($container in Get-ChildItem "$($node.DataRoot)/containers" -Directory -ErrorAction SilentlyContinue) {
            foreach ($cgroup in Get-ChildItem "/sys/fs/cgroup/*/docker/$($container.Name)" -Directory -ErrorAction SilentlyContinue) {
                foreach ($process in Get-Content "$($cgroup.FullName)/cgroup.procs" -ErrorAction SilentlyContinue) { /bin/kill -KILL $process 2>$null }
            }
            Get-ChildItem "/sys/fs/cgroup/*/docker/$($container.Name)" -Directory -ErrorAction SilentlyContinue | ForEach-Object { /bin/rmdir $_.FullName 2>$null }
        }
    }
    $namespaces = @(& /usr/sbin/ip netns list 2>$null | ForEach-Object { $_.Split(' ')[0] })
    foreach ($node in @($Set.Nodes)) {
        if ($node.Namespace -in $namespaces) { & /usr/sbin/ip netns delete $node.Namespace 2>$null }
        if (Test-Path "/sys/class/net/$($node.Veth)") { & /usr/sbin/ip link delete $node.Veth 2>$null }
    }
    if ($Set.Bridge -and (Test-Path "/sys/class/net/$($Set.Bridge)")) { & /usr/sbin/ip link delete $Set.Bridge 2>$null }
    if ($Set.Chain) {
        for ($try = 0; $try -lt 10; $try++) {
            & /usr/sbin/iptables -w -C $Set.Chain -i $Set.Bridge -o $Set.Bridge -j ACCEPT 2>$null
            if ($LASTEXITCODE -ne 0) { break }
            & /usr/sbin/iptables -w -D $Set.Chain -i $Set.Bridge -o $Set.Bridge -j ACCEPT 2>$null
        }
    }
    Write-Verbose "Test nodes $($Set.Id): leftovers, namespaces, links and rule gone after $($watch.ElapsedMilliseconds) ms."
    Remove-TestFolder $Set.Folder
    Write-Verbose "Test nodes $($Set.Id): folder removed after $($watch.ElapsedMilliseconds) ms."
}
