# The stack definition (configs/) checked by the real tools Debian ships: docker-compose 1.29.2,
# caddy, promtool, amtool, slapd/slapadd/slaptest/ldapsearch, mkdocs, and PyYAML (the parser
# docker-compose itself uses) for the YAML no Debian tool checks. A missing tool fails the tests
# that need it, naming the package; nothing is skipped. These tests need no built module.

BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:Configs = Join-Path $script:RepoRoot 'configs'
    $script:WorkRoot = Join-Path ([IO.Path]::GetTempPath()) "dm-configs-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $script:WorkRoot | Out-Null

    $script:Membership = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ProfileMembership.psd1')
    $script:AllServices = @($script:Membership.Values | ForEach-Object { $_ }) | Sort-Object
    $script:OneShots = @('docs-indexer', 'mkdocs', 'test-runner')
    $script:Databases = @('mariadb', 'mongodb', 'clickhouse', 'paperless-postgres', 'planka-postgres', 'outline-postgres', 'redis', 'outline-redis')
    $script:SocketUsers = @('portainer', 'watchtower', 'promtail')
    $script:ExceptionKinds = @('root-user', 'capabilities', 'privileged', 'devices', 'docker-socket', 'host-network', 'writable-config', 'forward-auth')
    $script:SecretPattern = '_(PASSWORD|SECRET|KEY|TOKEN)$'

    . (Join-Path $PSScriptRoot 'CheckerHelpers.ps1')

    # A stack folder as New-DatamancyStack makes it: configs/ plus a .env whose secrets are 64 hex chars.
    function New-StackCopy([string] $Name, [switch] $WithoutEnv) {
        $target = Join-Path $script:WorkRoot $Name
        Copy-Item -Path $script:Configs -Destination $target -Recurse
        if (-not $WithoutEnv) {
            $lines = foreach ($line in [IO.File]::ReadAllLines((Join-Path $target '.env.example'))) {
                if ($line -match '^([A-Za-z_][A-Za-z0-9_]*)=$') {
                    "$($Matches[1])=$([Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant())"
                }
                else { $line }
            }
            [IO.File]::WriteAllLines((Join-Path $target '.env'), [string[]]$lines)
        }
        $target
    }

    $script:Compose = ConvertFrom-YamlFile (Join-Path $script:Configs 'docker-compose.yml')
    $script:ComposeText = [IO.File]::ReadAllText((Join-Path $script:Configs 'docker-compose.yml'))
}

AfterAll {
    if ($script:WorkRoot -and (Test-Path $script:WorkRoot)) {
        Remove-Item $script:WorkRoot -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'docker-compose.yml read by docker-compose 1.29.2' {
    BeforeAll {
        $script:DockerCompose = Get-Checker 'docker-compose' 'docker-compose'
        $script:Stack = New-StackCopy 'compose'
        $script:ComposeArgs = @('--project-directory', $script:Stack, '-f', (Join-Path $script:Stack 'docker-compose.yml'))
    }

    It 'passes "docker-compose config -q" without warnings' {
        $result = Invoke-Checker -Path $script:DockerCompose -Arguments ($script:ComposeArgs + @('config', '-q'))
        $result.StdErr | Should -Not -Match 'WARNING|ERROR'
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
    }

    It 'resolves exactly the 36 services, each in its one profile' {
        $result = Invoke-Checker -Path $script:DockerCompose -Arguments ($script:ComposeArgs + @('config'))
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $resolved = ConvertFrom-YamlText $result.StdOut
        @($resolved.services.Keys | Sort-Object) | Should -Be $script:AllServices
        foreach ($profile in $script:Membership.Keys) {
            foreach ($service in $script:Membership[$profile]) {
                @($resolved.services[$service].profiles) | Should -Be @($profile) -Because "$service belongs to $profile only"
            }
        }
    }

    It 'refuses to start without .env, telling the admin to run New-DatamancyStack' {
        $bare = New-StackCopy 'compose-noenv' -WithoutEnv
        $arguments = @('--project-directory', $bare, '-f', (Join-Path $bare 'docker-compose.yml'), 'config', '-q')
        $result = Invoke-Checker -Path $script:DockerCompose -Arguments $arguments
        $result.ExitCode | Should -Not -Be 0
        $result.StdErr | Should -Match 'is not set: run New-DatamancyStack'
    }
}

Describe 'docker-compose.yml stack rules' {
    BeforeAll {
        $script:Services = $script:Compose.services
        $script:AllowedKeys = @('image', 'container_name', 'hostname', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'expose',
            'volumes', 'tmpfs', 'networks', 'network_mode', 'user', 'group_add', 'cap_add', 'cap_drop', 'read_only', 'security_opt',
            'privileged', 'init', 'restart', 'healthcheck', 'labels', 'devices', 'extra_hosts', 'working_dir', 'stop_grace_period',
            'stop_signal', 'shm_size', 'ulimits', 'sysctls', 'depends_on', 'profiles', 'logging', 'mem_limit', 'cpus', 'pids_limit')
        function Get-Exceptions([string] $Service) {
            $exceptions = $script:Services[$Service]['x-datamancy-exceptions']
            if ($exceptions) { $exceptions } else { @{} }
        }
    }

    It 'uses only the top-level and service keys the loader accepts' {
        $bad = @($script:Compose.Keys | Where-Object { $_ -notin @('services', 'networks', 'volumes') -and -not $_.StartsWith('x-') })
        foreach ($name in $script:Services.Keys) {
            $bad += @($script:Services[$name].Keys | Where-Object { $_ -notin $script:AllowedKeys -and -not $_.StartsWith('x-') } | ForEach-Object { "$name.$_" })
            $health = $script:Services[$name].healthcheck
            if ($health) { $bad += @($health.Keys | Where-Object { $_ -notin @('test', 'interval', 'timeout', 'retries', 'start_period', 'disable') } | ForEach-Object { "$name.healthcheck.$_" }) }
        }
        $bad | Should -BeNullOrEmpty
    }

    It 'merges the hardening baseline into every service through x-hardened' {
        $script:ComposeText | Should -Match '(?m)^x-hardened: &hardened$'
        ([regex]::Matches($script:ComposeText, '(?m)^    <<: \*hardened$')).Count | Should -Be 36
        foreach ($name in $script:Services.Keys) {
            @($script:Services[$name].cap_drop) | Should -Be @('ALL') -Because $name
            @($script:Services[$name].security_opt) | Should -Contain 'no-new-privileges:true' -Because $name
        }
    }

    It 'pins every image to a version tag' {
        foreach ($name in $script:Services.Keys) {
            $image = $script:Services[$name].image
            $image | Should -Match '^[a-z0-9./-]+:[A-Za-z0-9][A-Za-z0-9._-]*$' -Because "$name needs image:tag"
            $image | Should -Not -Match ':(latest|stable|main|master)$' -Because $name
        }
    }

    It 'runs non-root unless a root-user exception says why, and explains every added capability' {
        $violations = foreach ($name in $script:Services.Keys) {
            $service = $script:Services[$name]
            $exceptions = Get-Exceptions $name
            $nonRoot = $service.user -match '^[1-9][0-9]*:[0-9]+$'
            if (-not $nonRoot -and -not $exceptions['root-user']) { "$name runs as root without a root-user exception" }
            if ($service.user -and -not ($service.user -is [string] -and $service.user -match '^[0-9]+:[0-9]+$')) { "$name user is not a quoted uid:gid" }
            if ($service.cap_add -and -not $exceptions['capabilities']) { "$name adds capabilities without a capabilities exception" }
            if ($service.privileged -and -not $exceptions['privileged']) { "$name is privileged without an exception" }
            if ($service.devices -and -not $exceptions['devices']) { "$name maps devices without an exception" }
            if ($service.network_mode -eq 'host' -and -not $exceptions['host-network']) { "$name uses the host network without an exception" }
            foreach ($kind in $exceptions.Keys) {
                if ($kind -notin $script:ExceptionKinds) { "$name has an unknown exception kind '$kind'" }
                if ([string]::IsNullOrWhiteSpace($exceptions[$kind])) { "$name gives no reason for '$kind'" }
            }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'mounts the Docker socket read-only, only into portainer, watchtower and promtail' {
        $users = foreach ($name in $script:Services.Keys) {
            foreach ($volume in @($script:Services[$name].volumes | Where-Object { $_ })) {
                if ($volume -match 'docker\.sock') {
                    $volume | Should -Be '/var/run/docker.sock:/var/run/docker.sock:ro' -Because $name
                    (Get-Exceptions $name)['docker-socket'] | Should -Not -BeNullOrEmpty -Because "$name needs a docker-socket exception"
                    $name
                }
            }
        }
        @($users | Sort-Object) | Should -Be @($script:SocketUsers | Sort-Object)
    }

    It 'mounts every host path read-only and keeps state in named volumes' {
        $declared = @($script:Compose.volumes.Keys)
        $violations = foreach ($name in $script:Services.Keys) {
            foreach ($volume in @($script:Services[$name].volumes | Where-Object { $_ })) {
                $source = $volume.Split(':')[0]
                if ($source -match '^[./$]') {
                    if ($volume -notmatch ':ro$' -and -not (Get-Exceptions $name)['writable-config']) { "$name mounts $source writable" }
                }
                elseif ($source -notin $declared) { "$name uses undeclared volume $source" }
            }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'publishes only caddy on 80/443, and ldap and browserless on loopback' {
        $published = @{}
        foreach ($name in $script:Services.Keys) {
            if ($script:Services[$name].ports) { $published[$name] = @($script:Services[$name].ports) }
        }
        @($published.Keys | Sort-Object) | Should -Be @('browserless', 'caddy', 'ldap')
        $published['caddy'] | Should -Be @('80:80', '443:443')
        $published['ldap'] | Should -Be @('127.0.0.1:389:389')
        $published['browserless'] | Should -Be @('127.0.0.1:3000:3000') -Because 'Test-DatamancyService -Browser drives it at its default endpoint ws://127.0.0.1:3000'
    }

    It 'gives caddy every site of the Caddyfile as an alias on frontend, so browserless reaches each through it' {
        $sites = [regex]::Matches((Get-Content (Join-Path $script:Configs 'caddy/Caddyfile') -Raw), '(?m)^([a-z0-9-]+\.stack\.local) \{') | ForEach-Object { $_.Groups[1].Value }
        @($sites).Count | Should -BeGreaterThan 10
        @($script:Services['caddy'].networks.frontend.aliases | Sort-Object) | Should -Be @($sites | Sort-Object)
        $script:Services['browserless'].networks | Should -Contain 'frontend'
    }

    It 'keeps databases on the internal backend network only, excluded from Watchtower' {
        $script:Compose.networks.backend.internal | Should -BeTrue
        foreach ($name in $script:Databases) {
            @($script:Services[$name].networks) | Should -Be @('backend') -Because $name
            $script:Services[$name].labels['com.centurylinklabs.watchtower.enable'] | Should -BeExactly 'false' -Because $name
        }
    }

    It 'gives every long-running service a healthcheck and makes the one-shot jobs restart "no"' {
        foreach ($name in $script:Services.Keys) {
            if ($name -in $script:OneShots) {
                $script:Services[$name].restart | Should -BeExactly 'no' -Because $name
                continue
            }
            $test = @($script:Services[$name].healthcheck.test)
            $test[0] | Should -BeIn @('CMD', 'CMD-SHELL') -Because "$name needs a healthcheck"
            $script:Services[$name].restart | Should -Be 'unless-stopped' -Because $name
        }
    }

    It 'declares depends_on in long form with conditions, on known services, without cycles' {
        $edges = @{}
        foreach ($name in $script:Services.Keys) {
            $edges[$name] = @()
            $dependsOn = $script:Services[$name].depends_on
            if (-not $dependsOn) { continue }
            $dependsOn | Should -BeOfType [System.Collections.IDictionary] -Because "$name uses the long form"
            foreach ($target in $dependsOn.Keys) {
                $target | Should -BeIn $script:AllServices
                @($dependsOn[$target].Keys) | Should -Be @('condition') -Because "$name -> $target (no required:/restart: for docker-compose 1.29)"
                $dependsOn[$target].condition | Should -BeIn @('service_started', 'service_healthy', 'service_completed_successfully')
                if ($dependsOn[$target].condition -eq 'service_healthy') { $script:Services[$target].healthcheck | Should -Not -BeNullOrEmpty }
                $edges[$name] += $target
            }
        }
        $script:Services['mkdocs'].depends_on['docs-indexer'].condition | Should -Be 'service_completed_successfully'
        $state = @{}
        function Visit([string] $node) {
            if ($state[$node] -eq 1) { throw "depends_on cycle through $node" }
            if ($state[$node] -eq 2) { return }
            $state[$node] = 1
            foreach ($next in $edges[$node]) { Visit $next }
            $state[$node] = 2
        }
        { foreach ($node in $edges.Keys) { Visit $node } } | Should -Not -Throw
    }

    It 'reads every secret from .env with the New-DatamancyStack message, and nothing else with :?' {
        $uses = [regex]::Matches($script:ComposeText, '\$\{([A-Za-z_][A-Za-z0-9_]*)(:\?|:-|\?|-)?([^}]*)\}')
        $violations = foreach ($use in $uses) {
            $name, $operator, $rest = $use.Groups[1].Value, $use.Groups[2].Value, $use.Groups[3].Value
            if ($name -match $script:SecretPattern) {
                if ($operator -ne ':?' -or $rest -ne "$name is not set: run New-DatamancyStack") { "secret $name used as $($use.Value)" }
            }
            elseif ($operator -ne ':-') { "non-secret $name must have a default: $($use.Value)" }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'describes web checks as path, status and contains' {
        foreach ($name in $script:Services.Keys) {
            foreach ($check in @($script:Services[$name]['x-datamancy-checks'] | Where-Object { $_ })) {
                @($check.Keys | Sort-Object) | Should -Be @('contains', 'path', 'status') -Because $name
                $check.path | Should -Match '^/' -Because $name
                $check.status | Should -BeOfType [long]
                $check.contains | Should -Not -BeNullOrEmpty -Because $name
            }
        }
    }
}

Describe '.env.example' {
    BeforeAll {
        $script:ExampleLines = [IO.File]::ReadAllLines((Join-Path $script:Configs '.env.example'))
        $script:Example = [ordered]@{}
        for ($i = 0; $i -lt $script:ExampleLines.Count; $i++) {
            if ($script:ExampleLines[$i] -match '^([A-Za-z_][A-Za-z0-9_]*)=(.*)$') {
                $name, $value = $Matches[1], $Matches[2]
                $documented = $i -gt 0 -and $script:ExampleLines[$i - 1] -match '^# \S'
                $script:Example[$name] = [pscustomobject]@{ Value = $value; Comment = $documented }
            }
        }
        # COMPOSE_PROJECT_NAME is read by Compose and the module themselves, not through the file.
        $script:Used = @(@([regex]::Matches($script:ComposeText, '\$\{([A-Za-z_][A-Za-z0-9_]*)') | ForEach-Object { $_.Groups[1].Value }) + 'COMPOSE_PROJECT_NAME' | Sort-Object -Unique)
    }

    It 'names every variable the compose file uses, and no other' {
        @($script:Example.Keys | Sort-Object) | Should -Be $script:Used
        $script:Example['COMPOSE_PROJECT_NAME'].Value | Should -Be 'datamancy'
    }

    It 'documents each variable on the line above it' {
        @($script:Example.Keys | Where-Object { -not $script:Example[$_].Comment }) | Should -BeNullOrEmpty
    }

    It 'leaves exactly the secrets empty, and holds no usable password' {
        foreach ($name in $script:Example.Keys) {
            if ($name -match $script:SecretPattern) {
                $script:Example[$name].Value | Should -BeExactly '' -Because "$name is a secret"
            }
            else {
                $script:Example[$name].Value | Should -Not -BeNullOrEmpty -Because "$name is a setting with a default"
            }
        }
        @($script:Example.Keys | Where-Object { $_ -match $script:SecretPattern }).Count | Should -BeGreaterThan 20
    }
}

Describe 'Caddyfile validated by caddy' {
    BeforeAll {
        $script:Caddy = Get-Checker 'caddy' 'caddy'
        $openssl = Get-Checker 'openssl' 'openssl'
        $script:Caddyfile = Join-Path $script:Configs 'caddy/Caddyfile'
        $script:CaddyText = [IO.File]::ReadAllText($script:Caddyfile)
        $script:CertDir = Join-Path $script:WorkRoot 'certs'
        New-Item -ItemType Directory -Path $script:CertDir | Out-Null
        $made = Invoke-Checker -Path $openssl -Arguments @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
            '-keyout', (Join-Path $script:CertDir 'wildcard.key'), '-out', (Join-Path $script:CertDir 'wildcard.crt'),
            '-subj', '/CN=*.stack.local', '-addext', 'subjectAltName=DNS:*.stack.local,DNS:stack.local')
        if ($made.ExitCode -ne 0) { throw "openssl could not make the throwaway certificate: $($made.StdErr)" }
        # Site blocks: "<host> {" at column 0 up to the next "}" at column 0.
        $script:Sites = @{}
        foreach ($match in [regex]::Matches($script:CaddyText, '(?ms)^([a-z0-9.-]+\.stack\.local) \{\n(.*?)^\}')) {
            $script:Sites[$match.Groups[1].Value] = $match.Groups[2].Value
        }
        $script:WebServices = @($script:Compose.services.Keys | Where-Object { $script:Compose.services[$_]['x-datamancy-checks'] })
    }

    It 'passes "caddy validate" with a throwaway certificate' {
        $result = Invoke-Checker -Path $script:Caddy -Arguments @('validate', '--adapter', 'caddyfile', '--config', $script:Caddyfile) -Environment @{ DATAMANCY_TLS_DIR = $script:CertDir }
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $result.StdOut + $result.StdErr | Should -Match 'Valid configuration'
    }

    It 'is formatted as "caddy fmt" writes it' {
        $result = Invoke-Checker -Path $script:Caddy -Arguments @('fmt', $script:Caddyfile)
        $result.ExitCode | Should -Be 0
        $result.StdOut | Should -BeExactly $script:CaddyText
    }

    It 'has one site per web service, named after it under stack.local and proxied to it' {
        @($script:Sites.Keys | Sort-Object) | Should -Be @($script:WebServices | ForEach-Object { "$_.stack.local" } | Sort-Object)
        foreach ($service in $script:WebServices | Where-Object { $_ -ne 'mkdocs' }) {
            $script:Sites["$service.stack.local"] | Should -Match "(?m)^\treverse_proxy $([regex]::Escape($service)):\d+$"
        }
        $script:Sites['mkdocs.stack.local'] | Should -Match '(?m)^\tfile_server$'
    }

    It 'guards every site with Authelia forward_auth, except documented forward-auth exceptions' {
        foreach ($site in $script:Sites.Keys) {
            $service = $site -replace '\.stack\.local$', ''
            $excepted = $script:Compose.services[$service] -and $script:Compose.services[$service]['x-datamancy-exceptions'] -and $script:Compose.services[$service]['x-datamancy-exceptions']['forward-auth']
            if ($excepted) {
                $script:Sites[$site] | Should -Not -Match 'forward_auth' -Because $site
                continue
            }
            $script:Sites[$site] | Should -Match '(?m)^\tforward_auth authelia:9091 \{\n\t\turi /api/authz/forward-auth\n\t\tcopy_headers Remote-User Remote-Groups Remote-Email Remote-Name\n\t\}' -Because $site
        }
        $script:Compose.services['authelia']['x-datamancy-exceptions']['forward-auth'] | Should -Not -BeNullOrEmpty
    }

    It 'imports the security headers and the wildcard certificate in every site, and routes no /metrics' {
        $script:CaddyText | Should -Match 'Strict-Transport-Security "max-age=31536000; includeSubDomains"'
        $script:CaddyText | Should -Match 'Content-Security-Policy "'
        $script:CaddyText | Should -Match '(?m)^\t\t-Server$'
        $script:CaddyText | Should -Match '(?m)^\tadmin (off|127\.0\.0\.1:\d+|localhost:\d+)$'
        foreach ($site in $script:Sites.Keys) {
            $script:Sites[$site] | Should -Match '(?m)^\timport security_headers$' -Because $site
            $script:Sites[$site] | Should -Match '(?m)^\ttls \{\$DATAMANCY_TLS_DIR:/etc/caddy/certs\}/wildcard\.crt \{\$DATAMANCY_TLS_DIR:/etc/caddy/certs\}/wildcard\.key$' -Because $site
            foreach ($line in $script:Sites[$site] -split "`n" | Where-Object { $_ -match '/metrics' }) {
                $line | Should -Match '^\trespond /metrics 404$' -Because $site
            }
        }
    }
}

Describe 'Prometheus and Alertmanager configs' {
    BeforeAll {
        $script:Promtool = Get-Checker 'promtool' 'prometheus'
        $script:Amtool = Get-Checker 'amtool' 'prometheus-alertmanager'
        $script:PrometheusDir = Join-Path $script:Configs 'prometheus'
    }

    It 'passes "promtool check config" (rule files included)' {
        $result = Invoke-Checker -Path $script:Promtool -Arguments @('check', 'config', 'prometheus.yml') -WorkingDirectory $script:PrometheusDir
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $result.StdOut + $result.StdErr | Should -Match 'SUCCESS: prometheus.yml is valid prometheus config file syntax'
    }

    It 'passes "promtool check rules" on every rule file, with InstanceDown and a memory alert' {
        $files = @(Get-ChildItem (Join-Path $script:PrometheusDir 'rules') -Filter '*.yml' | ForEach-Object FullName)
        $files.Count | Should -BeGreaterThan 0
        $result = Invoke-Checker -Path $script:Promtool -Arguments (@('check', 'rules') + $files)
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $result.StdOut | Should -Match 'SUCCESS: \d+ rules found'
        $text = ($files | ForEach-Object { [IO.File]::ReadAllText($_) }) -join "`n"
        $text | Should -Match 'alert: InstanceDown'
        $text | Should -Match 'alert: HighMemoryUsage'
    }

    It 'passes "promtool test rules" on every unit test file (the status alerts included)' {
        $tests = @(Get-ChildItem (Join-Path $script:PrometheusDir 'tests') -Filter '*.yml' | ForEach-Object { "tests/$($_.Name)" })
        $tests | Should -Contain 'tests/status_test.yml'
        $result = Invoke-Checker -Path $script:Promtool -Arguments (@('test', 'rules') + $tests) -WorkingDirectory $script:PrometheusDir
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $result.StdOut + $result.StdErr | Should -Match 'SUCCESS'
    }

    It 'scrapes services on the backend network and alerts through alertmanager' {
        $prometheus = ConvertFrom-YamlFile (Join-Path $script:PrometheusDir 'prometheus.yml')
        $prometheus.alerting.alertmanagers[0].static_configs[0].targets | Should -Contain 'alertmanager:9093'
        foreach ($job in $prometheus.scrape_configs | Where-Object { $_.job_name -ne 'prometheus' }) {
            foreach ($target in $job.static_configs.targets) {
                $service = $target.Split(':')[0]
                @($script:Compose.services[$service].networks) | Should -Contain 'backend' -Because "$target is scraped on the backend network"
            }
        }
    }

    It 'passes "amtool check-config"' {
        $result = Invoke-Checker -Path $script:Amtool -Arguments @('check-config', (Join-Path $script:Configs 'alertmanager/alertmanager.yml'))
        $result.ExitCode | Should -Be 0 -Because ($result.StdOut + $result.StdErr)
        $result.StdOut + $result.StdErr | Should -Match 'SUCCESS'
    }
}

Describe 'LDAP bootstrap loaded into a real slapd' {
    BeforeAll {
        $script:Slapd = Get-Checker 'slapd' 'slapd'
        $script:Slapadd = Get-Checker 'slapadd' 'slapd'
        $script:Slaptest = Get-Checker 'slaptest' 'slapd'
        $script:Ldapsearch = Get-Checker 'ldapsearch' 'ldap-utils'
        $script:LdapDir = Join-Path $script:WorkRoot 'ldap'
        New-Item -ItemType Directory -Path (Join-Path $script:LdapDir 'db') -Force | Out-Null
        $script:PidFile = Join-Path $script:LdapDir 'slapd.pid'
        $script:SlapdConf = Join-Path $script:LdapDir 'slapd.conf'
        $schemas = @('core', 'cosine', 'inetorgperson', 'nis') | ForEach-Object {
            $schema = "/etc/ldap/schema/$_.schema"
            if (-not (Test-Path $schema)) { throw "The schema $schema is missing: apt-get install slapd." }
            "include $schema"
        }
        $module = if (Test-Path '/usr/lib/ldap/back_mdb.so') { "modulepath /usr/lib/ldap`nmoduleload back_mdb" } else { '' }
        @"
$($schemas -join "`n")
pidfile $script:PidFile
argsfile $(Join-Path $script:LdapDir 'slapd.args')
$module
database mdb
maxsize 10485760
suffix "dc=stack,dc=local"
rootdn "cn=admin,dc=stack,dc=local"
directory $(Join-Path $script:LdapDir 'db')
"@ | Set-Content -Path $script:SlapdConf
        $script:Ldifs = @(Get-ChildItem (Join-Path $script:Configs 'ldap/bootstrap') -Filter '*.ldif' | Sort-Object Name | ForEach-Object FullName)
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $script:LdapPort = $listener.LocalEndpoint.Port
        $listener.Stop()
        $script:LdapUri = "ldap://127.0.0.1:$script:LdapPort"
        $script:SlapdPid = $null
    }

    AfterAll {
        # Stop exactly the slapd this file started (its pidfile), never by name.
        if ($script:SlapdPid) {
            $kill = Get-Command kill -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($kill) { & $kill.Source -TERM $script:SlapdPid 2>$null }
            $process = Get-Process -Id $script:SlapdPid -ErrorAction SilentlyContinue
            if ($process -and -not $process.WaitForExit(10000)) { Stop-Process -Id $script:SlapdPid -Force -ErrorAction SilentlyContinue }
        }
    }

    It 'passes slaptest for a minimal mdb configuration with the stock schemas' {
        $result = Invoke-Checker -Path $script:Slaptest -Arguments @('-f', $script:SlapdConf, '-u')
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $result.StdErr | Should -Match 'config file testing succeeded'
    }

    It 'loads every bootstrap LDIF with slapadd' {
        $script:Ldifs.Count | Should -BeGreaterThan 0
        foreach ($ldif in $script:Ldifs) {
            $result = Invoke-Checker -Path $script:Slapadd -Arguments @('-f', $script:SlapdConf, '-l', $ldif)
            $result.ExitCode | Should -Be 0 -Because "$ldif`n$($result.StdErr)"
        }
    }

    It 'serves the tree from slapd on a loopback port' {
        # slapd forks into the background; the parent returns once it has detached.
        $result = Invoke-Checker -Path $script:Slapd -Arguments @('-h', "$script:LdapUri/", '-f', $script:SlapdConf) -TimeoutSeconds 30
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while (-not (Test-Path $script:PidFile) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $script:PidFile | Should -Exist
        $script:SlapdPid = [int](Get-Content $script:PidFile -Raw).Trim()
        Get-Process -Id $script:SlapdPid -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
    }

    It 'returns the base, ou=people, ou=groups and the three role groups to ldapsearch' {
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        do {
            $result = Invoke-Checker -Path $script:Ldapsearch -Arguments @('-x', '-LLL', '-H', $script:LdapUri, '-b', 'dc=stack,dc=local', 'dn')
            if ($result.ExitCode -eq 0) { break }
            Start-Sleep -Milliseconds 200
        } while ([DateTime]::UtcNow -lt $deadline)
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $dns = @($result.StdOut -split "`n" | Where-Object { $_ -like 'dn: *' } | ForEach-Object { $_.Substring(4).Trim() })
        $dns | Should -Contain 'dc=stack,dc=local'
        $dns | Should -Contain 'ou=people,dc=stack,dc=local'
        $dns | Should -Contain 'ou=groups,dc=stack,dc=local'
        foreach ($role in 'viewer', 'operator', 'admin') { $dns | Should -Contain "cn=$role,ou=groups,dc=stack,dc=local" }
    }

    It 'makes viewer, operator and admin groupOfNames with a member' {
        $result = Invoke-Checker -Path $script:Ldapsearch -Arguments @('-x', '-LLL', '-H', $script:LdapUri, '-b', 'ou=groups,dc=stack,dc=local', '(&(objectClass=groupOfNames)(member=*))', 'cn')
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $names = @($result.StdOut -split "`n" | Where-Object { $_ -like 'cn: *' } | ForEach-Object { $_.Substring(4).Trim() } | Sort-Object)
        $names | Should -Be @('admin', 'operator', 'viewer')
    }
}

Describe 'MkDocs site built by mkdocs' {
    BeforeAll {
        $script:Mkdocs = Get-Checker 'mkdocs' 'mkdocs mkdocs-material'
    }

    It 'builds with --strict (material theme)' {
        $site = Join-Path $script:WorkRoot 'site'
        $result = Invoke-Checker -Path $script:Mkdocs -Arguments @('build', '--strict', '--config-file', (Join-Path $script:Configs 'mkdocs/mkdocs.yml'), '--site-dir', $site)
        $result.ExitCode | Should -Be 0 -Because ($result.StdErr + "`n(apt-get install mkdocs mkdocs-material)")
        Join-Path $site 'index.html' | Should -Exist
        Get-Content (Join-Path $site 'index.html') -Raw | Should -Match 'Datamancy'
    }
}

Describe 'Configs no Debian tool checks, parsed by PyYAML' {
    It 'parses <File>' -ForEach @(
        @{ File = 'authelia/configuration.yml' }, @{ File = 'loki/loki.yml' }, @{ File = 'promtail/promtail.yml' },
        @{ File = 'grafana/provisioning/datasources/datasources.yml' }, @{ File = 'grafana/provisioning/dashboards/dashboards.yml' },
        @{ File = 'benthos/benthos.yaml' }, @{ File = 'librechat/librechat.yaml' }, @{ File = 'homeassistant/configuration.yaml' }
    ) {
        { ConvertFrom-YamlFile (Join-Path $script:Configs $File) } | Should -Not -Throw
    }

    It 'points Authelia at the LDAP groups, denies by default and covers every protected site' {
        $authelia = ConvertFrom-YamlFile (Join-Path $script:Configs 'authelia/configuration.yml')
        $ldap = $authelia.authentication_backend.ldap
        $ldap.address | Should -Be 'ldap://ldap:389'
        $ldap.base_dn | Should -Be 'dc=stack,dc=local'
        $ldap.additional_users_dn | Should -Be 'ou=people'
        $ldap.additional_groups_dn | Should -Be 'ou=groups'
        $ldap.groups_filter | Should -Match 'objectClass=groupOfNames'
        $ldap.Keys | Should -Not -Contain 'password'
        $authelia.session.cookies[0].domain | Should -Be 'stack.local'
        $authelia.session.cookies[0].authelia_url | Should -Be 'https://authelia.stack.local'
        $authelia.Keys | Should -Contain 'notifier'
        $authelia.access_control.default_policy | Should -Be 'deny'
        $covered = @{}
        foreach ($rule in $authelia.access_control.rules) {
            $rule.policy | Should -BeIn @('one_factor', 'two_factor')
            foreach ($group in @($rule.subject | ForEach-Object { $_ })) { $group | Should -BeIn @('group:viewer', 'group:operator', 'group:admin') }
            foreach ($domain in $rule.domain) { $covered[$domain] = @($rule.subject | ForEach-Object { $_ }) }
        }
        $protected = [regex]::Matches([IO.File]::ReadAllText((Join-Path $script:Configs 'caddy/Caddyfile')), '(?ms)^([a-z0-9.-]+\.stack\.local) \{\n(.*?)^\}') |
            Where-Object { $_.Groups[2].Value -match 'forward_auth' } | ForEach-Object { $_.Groups[1].Value }
        @($covered.Keys | Sort-Object) | Should -Be @($protected | Sort-Object)
        foreach ($domain in 'adminer.stack.local', 'mongo-express.stack.local', 'portainer.stack.local') { $covered[$domain] | Should -Be @('group:admin') }
        foreach ($domain in $covered.Keys) { $covered[$domain] | Should -Contain 'group:admin' }
    }

    It 'provisions Prometheus and Loki in Grafana, and promtail discovers containers on the Docker socket' {
        $datasources = ConvertFrom-YamlFile (Join-Path $script:Configs 'grafana/provisioning/datasources/datasources.yml')
        @($datasources.datasources | ForEach-Object { $_.type } | Sort-Object) | Should -Be @('loki', 'prometheus')
        $promtail = ConvertFrom-YamlFile (Join-Path $script:Configs 'promtail/promtail.yml')
        $promtail.scrape_configs[0].docker_sd_configs[0].host | Should -Be 'unix:///var/run/docker.sock'
        $promtail.clients[0].url | Should -Be 'http://loki:3100/loki/api/v1/push'
    }
}

Describe 'Shell scripts of the one-shot jobs' {
    It 'parses <Script> with sh -n' -ForEach @(@{ Script = 'docs-indexer/index.sh' }, @{ Script = 'test-runner/run.sh' }) {
        $sh = Get-Checker 'sh' 'dash'
        $result = Invoke-Checker -Path $sh -Arguments @('-n', (Join-Path $script:Configs $Script))
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
    }
}

Describe 'MariaDB init script run by bash' {
    It 'creates the nextcloud and vaultwarden databases and users from the environment' {
        $bash = Get-Checker 'bash' 'bash'
        # The mariadb entrypoint sources the script and provides docker_process_sql; a stub prints the SQL.
        $script = 'docker_process_sql() { cat; }; . "$1"'
        $result = Invoke-Checker -Path $bash -Arguments @('-euc', $script, 'bash', (Join-Path $script:Configs 'mariadb/initdb/10-apps.sh')) `
            -Environment @{ NEXTCLOUD_DB_PASSWORD = 'nc-test-value'; VAULTWARDEN_DB_PASSWORD = 'vw-test-value' }
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $result.StdOut | Should -Match 'CREATE DATABASE IF NOT EXISTS `nextcloud`'
        $result.StdOut | Should -Match 'CREATE DATABASE IF NOT EXISTS `vaultwarden`'
        $result.StdOut | Should -Match "'nextcloud'@'%' IDENTIFIED BY 'nc-test-value'"
        $result.StdOut | Should -Match "'vaultwarden'@'%' IDENTIFIED BY 'vw-test-value'"
    }
}
