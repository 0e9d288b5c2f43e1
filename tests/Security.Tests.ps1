# Test-DatamancySecurity on small generated stacks (one per rule, broken and kept), on the bundled
# stack and on running containers that drifted from their file; Update-DatamancySecret on a real
# MariaDB and PostgreSQL from Debian's packages (tests/stacks/secrets). Every project is unique and
# removed afterwards; ports are published on 127.0.0.1 only.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $script:RepoRoot 'build/FreshPwsh.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }

    function New-Secret { -join ([Security.Cryptography.RandomNumberGenerator]::GetBytes(32) | ForEach-Object { $_.ToString('x2') }) }

    $script:AppPassword = New-Secret
    $script:DbPassword = New-Secret

    # A stack that passes every rule: caddy, authelia, an app behind forward_auth, a database.
    $script:CleanCompose = @'
services:
  caddy:
    image: caddy:2.8.4-alpine
    user: "65534:65534"
    cap_drop: [ALL]
    ports: ["80:80", "443:443"]
    volumes: ["./caddy/Caddyfile:/etc/caddy/Caddyfile:ro"]
  authelia:
    image: authelia/authelia:4.38.19
    user: "1000:1000"
    cap_drop: [ALL]
  app:
    image: grafana/grafana:11.3.1
    user: "472:472"
    cap_drop: [ALL]
    environment:
      GF_SECURITY_ADMIN_PASSWORD: "${APP_ADMIN_PASSWORD:?APP_ADMIN_PASSWORD is not set}"
#APP
  db:
    image: postgres:16-alpine
    user: "70:70"
    cap_drop: [ALL]
    environment:
      POSTGRES_PASSWORD: "${DB_PASSWORD:?DB_PASSWORD is not set}"
    labels:
      com.centurylinklabs.watchtower.enable: "false"
'@
    $script:CleanCaddyfile = @'
(security_headers) {
	header {
		Strict-Transport-Security "max-age=31536000; includeSubDomains"
		Content-Security-Policy "default-src 'self'"
	}
}

authelia.stack.local {
	import security_headers
	reverse_proxy authelia:9091
}

app.stack.local {
	import security_headers
	forward_auth authelia:9091 {
		uri /api/authz/forward-auth
	}
#ROUTE
	reverse_proxy app:3000
}
'@

    # The clean stack with one change: extra app keys, a compose or Caddyfile edit, another .env.
    function New-AuditStack([string] $App, [scriptblock] $Compose, [scriptblock] $Caddy, [string] $EnvText) {
        $path = New-TestFolder 'dm-audit'
        New-Item -ItemType Directory (Join-Path $path 'caddy') | Out-Null
        $yaml = $script:CleanCompose
        if ($App) { $yaml = $yaml.Replace('#APP', (($App -split "`n" | ForEach-Object { "    $_" }) -join "`n")) }
        if ($Compose) { $yaml = & $Compose $yaml }
        $site = $script:CleanCaddyfile
        if ($Caddy) { $site = & $Caddy $site }
        Set-Content -Path (Join-Path $path 'docker-compose.yml') -Value $yaml -NoNewline
        Set-Content -Path (Join-Path $path 'caddy/Caddyfile') -Value $site -NoNewline
        $envFile = Join-Path $path '.env'
        Set-Content -Path $envFile -Value $(if ($PSBoundParameters.ContainsKey('EnvText')) { $EnvText } else { "APP_ADMIN_PASSWORD=$script:AppPassword`nDB_PASSWORD=$script:DbPassword`n" }) -NoNewline
        chmod 600 $envFile
        $path
    }

    function Remove-Project([string] $Project, [string] $Path) {
        Remove-DockerProject $Project
        if ($Path) { Remove-Item $Path -Recurse -Force -ErrorAction SilentlyContinue }
    }

    # Everything a cmdlet call shows: its objects in full, and every stream.
    function Get-AllText([scriptblock] $Command) {
        (& $Command *>&1 | ForEach-Object { if ($_ -is [string]) { $_ } else { $_ | Format-List * -Force | Out-String -Width 400 } }) -join "`n"
    }
}

Describe 'Test-DatamancySecurity on generated stacks' {
    It 'finds nothing on a stack that keeps every rule' {
        $path = New-AuditStack
        try { Test-DatamancySecurity -Path $path | Should -BeNullOrEmpty }
        finally { Remove-Item $path -Recurse -Force }
    }

    It 'reports DMS022 when the backup takes the .env that holds the repository password, and not before' {
        $restic = "x-datamancy-backup:`n  engine: restic`n  image: datamancy-test/debian:12`n  repository: ./data/backups/restic`n`n"
        $path = New-AuditStack -Compose { param($y) $restic + $y }.GetNewClosure() -EnvText "APP_ADMIN_PASSWORD=$script:AppPassword`nDB_PASSWORD=$script:DbPassword`nRESTIC_REPOSITORY_PASSWORD=$script:AppPassword-restic`n"
        try {
            Test-DatamancySecurity -Path $path -RuleId DMS022 | Should -BeNullOrEmpty
            Set-DatamancyBackupPolicy -Path $path -IncludeSecrets | Select-Object -ExpandProperty IncludeSecrets | Should -BeTrue
            $finding = @(Test-DatamancySecurity -Path $path -RuleId DMS022)
            $finding | Should -HaveCount 1
            $finding[0].Severity | Should -Be 'High'
            "$($finding[0].Variable)" | Should -BeLike '*RESTIC_REPOSITORY_PASSWORD*'
            $finding[0].Message | Should -Not -BeLike "*$script:AppPassword*"
            Set-DatamancyBackupPolicy -Path $path -IncludeSecrets:$false | Out-Null
            Test-DatamancySecurity -Path $path -RuleId DMS022 | Should -BeNullOrEmpty
        }
        finally { Remove-Item $path -Recurse -Force }
    }

    It 'reports <RuleId> (<Severity>) on a stack that <Case>' -ForEach @(
        @{ RuleId = 'DMS001'; Severity = 'High'; Case = 'keeps the default capabilities'; Compose = { param($y) $y.Replace("    user: `"472:472`"`n    cap_drop: [ALL]`n", "    user: `"472:472`"`n") } }
        @{ RuleId = 'DMS002'; Severity = 'High'; Case = 'adds SYS_ADMIN'; App = 'cap_add: [SYS_ADMIN]' }
        @{ RuleId = 'DMS003'; Severity = 'Medium'; Case = 'runs as uid 0'; Compose = { param($y) $y.Replace('user: "472:472"', 'user: "0:0"') } }
        @{ RuleId = 'DMS004'; Severity = 'Medium'; Case = 'mounts its config read-write'; App = 'volumes: ["./app:/etc/grafana"]' }
        @{ RuleId = 'DMS005'; Severity = 'Critical'; Case = 'mounts the Docker socket read-write'; App = 'volumes: ["/var/run/docker.sock:/var/run/docker.sock"]' }
        @{ RuleId = 'DMS006'; Severity = 'High'; Case = 'publishes a port on every interface'; App = 'ports: ["3000:3000"]' }
        @{ RuleId = 'DMS007'; Severity = 'Critical'; Case = 'is privileged'; App = 'privileged: true' }
        @{ RuleId = 'DMS008'; Severity = 'High'; Case = 'shares the host network'; App = 'network_mode: host' }
        @{ RuleId = 'DMS009'; Severity = 'Medium'; Case = 'maps a device'; App = 'devices: ["/dev/dri:/dev/dri"]' }
        @{ RuleId = 'DMS010'; Severity = 'High'; Case = 'routes /metrics'; Caddy = { param($c) $c.Replace('#ROUTE', "`thandle /metrics* {`n`t`treverse_proxy app:3000`n`t}") } }
        @{ RuleId = 'DMS011'; Severity = 'Medium'; Count = 2; Case = 'sets HSTS for a day (in the snippet both sites import)'; Caddy = { param($c) $c.Replace('max-age=31536000', 'max-age=86400') } }
        @{ RuleId = 'DMS012'; Severity = 'Medium'; Count = 2; Case = 'sets no CSP (in the snippet both sites import)'; Caddy = { param($c) $c.Replace("`t`tContent-Security-Policy `"default-src 'self'`"`n", '') } }
        @{ RuleId = 'DMS013'; Severity = 'High'; Case = 'routes the app without forward_auth'; Caddy = { param($c) $c.Replace("`tforward_auth authelia:9091 {`n`t`turi /api/authz/forward-auth`n`t}`n", '') } }
        @{ RuleId = 'DMS014'; Severity = 'Medium'; Case = 'runs an image on latest'; Compose = { param($y) $y.Replace('grafana/grafana:11.3.1', 'grafana/grafana:latest') } }
        @{ RuleId = 'DMS015'; Severity = 'Medium'; Case = 'leaves its database to Watchtower'; Compose = { param($y) $y.Replace('enable: "false"', 'enable: "true"') } }
        @{ RuleId = 'DMS016'; Severity = 'Critical'; Case = 'keeps a placeholder password'; EnvText = "APP_ADMIN_PASSWORD=changeme`nDB_PASSWORD=<db>`n" }
        @{ RuleId = 'DMS017'; Severity = 'High'; Case = 'reuses one password'; EnvText = "APP_ADMIN_PASSWORD=<db>`nDB_PASSWORD=<db>`n" }
        @{ RuleId = 'DMS018'; Severity = 'High'; Case = 'has a 64-bit password'; EnvText = "APP_ADMIN_PASSWORD=0f1e2d3c4b5a6978`nDB_PASSWORD=<db>`n" }
        @{ RuleId = 'DMS019'; Severity = 'Medium'; Case = 'writes a password into the compose file'; Compose = { param($y) $y.Replace('"${APP_ADMIN_PASSWORD:?APP_ADMIN_PASSWORD is not set}"', '"Kq2v-Zr8t-Lm4p-Xw7n-Bc5j-Hd3s-Gf9y-Nt6u"') } }
        @{ RuleId = 'DMS021'; Severity = 'Info'; Case = 'documents an exception nothing needs'; App = "x-datamancy-exceptions:`n  privileged: `"It used to need the GPU.`"" }
    ) {
        # The data is built at discovery, before BeforeAll: the generated password goes in now.
        $extra = @{}
        if ($EnvText) { $extra.EnvText = $EnvText.Replace('<db>', $script:DbPassword) }
        $path = New-AuditStack -App $App -Compose $Compose -Caddy $Caddy @extra
        try {
            $findings = @(Test-DatamancySecurity -Path $path)
            $findings | Should -HaveCount $(if ($Count) { $Count } else { 1 }) -Because ($findings | Format-Table RuleId, Message | Out-String)
            $findings[0] | Should -BeOfType ([Datamancy.SecurityFinding])
            $findings[0].RuleId | Should -Be $RuleId
            $findings[0].Severity | Should -Be $Severity
            $findings[0].Remediation | Should -Not -BeNullOrEmpty
            $findings[0].StackPath | Should -Be $path
        }
        finally { Remove-Item $path -Recurse -Force }
    }

    It 'reports a .env readable by others (DMS020)' {
        $path = New-AuditStack
        try {
            chmod 644 (Join-Path $path '.env')
            $finding = Test-DatamancySecurity -Path $path
            $finding.RuleId | Should -Be 'DMS020'
            $finding.Severity | Should -Be 'High'
            $finding.Message | Should -Match 'mode 644'
        }
        finally { Remove-Item $path -Recurse -Force }
    }

    It 'lowers a documented exception to Low and shows its reason' {
        $path = New-AuditStack -App "privileged: true`nx-datamancy-exceptions:`n  privileged: `"Needs the GPU.`""
        try {
            $finding = Test-DatamancySecurity -Path $path
            $finding.RuleId | Should -Be 'DMS007'
            $finding.Severity | Should -Be 'Low'
            $finding.Exception | Should -Be 'Needs the GPU.'
        }
        finally { Remove-Item $path -Recurse -Force }
    }

    It 'filters by -Severity and -RuleId, and refuses an unknown rule id' {
        $path = New-AuditStack -App "privileged: true`nports: [`"3000:3000`"]"
        try {
            (Test-DatamancySecurity -Path $path).RuleId | Sort-Object | Should -Be @('DMS006', 'DMS007')
            (Test-DatamancySecurity -Path $path -Severity Critical).RuleId | Should -Be 'DMS007'
            (Test-DatamancySecurity -Path $path -RuleId DMS00[6]).RuleId | Should -Be 'DMS006'
            Test-DatamancySecurity -Path $path -Severity Info, Low | Should -BeNullOrEmpty
            Test-DatamancySecurity -Path $path -RuleId DMS999 -ErrorVariable problems -ErrorAction SilentlyContinue | Out-Null
            Get-ErrorId $problems[0] | Should -Be 'RuleNotFound'
        }
        finally { Remove-Item $path -Recurse -Force }
    }

    It 'never shows a secret''s value, in objects or in any stream' {
        $weak = 'Tr0ub4dor&3'
        $inline = 'Kq2v-Zr8t-Lm4p-Xw7n-Bc5j-Hd3s-Gf9y-Nt6u'
        $path = New-AuditStack -EnvText "APP_ADMIN_PASSWORD=$weak`nDB_PASSWORD=$weak`nSPARE_TOKEN=changeme`n" `
            -App "  OTHER_PASSWORD: `"$inline`"`n  DATABASE_URL: `"postgres://app:hunter2hunter2@db/app`""
        try {
            $text = Get-AllText { Test-DatamancySecurity -Path $path -Verbose }
            $text | Should -Match 'DMS016'
            $text | Should -Match 'DMS017'
            $text | Should -Match 'DMS018'
            $text | Should -Match 'DMS019'
            foreach ($value in $weak, $inline, 'hunter2hunter2', 'changeme') { $text | Should -Not -Match ([regex]::Escape($value)) }
            $text | Should -Match 'APP_ADMIN_PASSWORD'
        }
        finally { Remove-Item $path -Recurse -Force }
    }
}

Describe 'Test-DatamancySecurity on the bundled stack' {
    It 'finds nothing above Low, and every Low finding is a documented exception' {
        $path = New-TestFolder 'dm-audit-bundled'
        $project = 'dmsec' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        try {
            New-DatamancyStack -Path $path -ProjectName $project | Out-Null
            $findings = @(Test-DatamancySecurity -Path $path -Live)
            $findings | Where-Object Severity -gt 'Low' | Should -BeNullOrEmpty -Because ($findings | Where-Object Severity -gt 'Low' | Format-Table RuleId, Service, Message | Out-String)
            $findings | Where-Object { $_.Severity -eq 'Low' -and -not $_.Exception } | Should -BeNullOrEmpty
            ($findings | Where-Object RuleId -eq DMS005).Service | Sort-Object | Should -Be @('portainer', 'promtail', 'watchtower')
            $findings | Where-Object Source -eq live | Should -BeNullOrEmpty
        }
        finally { Remove-Item $path -Recurse -Force }
    }

    It 'says in the information stream that nothing High or Critical was found, and what was left out' {
        $path = New-TestFolder 'dm-audit-quiet'
        try {
            New-DatamancyStack -Path $path -ProjectName ('dmsec' + [guid]::NewGuid().ToString('N').Substring(0, 10)) | Out-Null
            $all = @(Test-DatamancySecurity -Path $path)
            Test-DatamancySecurity -Path $path -Severity High, Critical -InformationVariable said | Should -BeNullOrEmpty
            $said | Should -HaveCount 1
            $said[0].Tags | Should -Be @('Datamancy', 'SecuritySummary')
            "$($said[0].MessageData)" | Should -BeLike "No finding of severity High, Critical in $path, from the files and * running container(s); $($all.Count) other finding(s) left out by -Severity or -RuleId."
            Test-DatamancySecurity -Path $path -RuleId DMS002 -InformationVariable counted | Out-Null
            "$($counted[0].MessageData)" | Should -BeLike "$(@($all | Where-Object RuleId -eq DMS002).Count) finding(s) of rule DMS002 in *"
        }
        finally { Remove-Item $path -Recurse -Force }
    }
}

Describe 'Test-DatamancySecurity on running containers' {
    BeforeAll {
        $script:Drift = New-TestFolder 'dm-audit-live'
        $script:DriftProject = 'dmsec' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        New-Item -ItemType Directory (Join-Path $script:Drift 'conf') | Out-Null
        Set-Content (Join-Path $script:Drift '.env') "COMPOSE_PROJECT_NAME=$script:DriftProject`n"
        chmod 600 (Join-Path $script:Drift '.env')
        # What runs: no cap_drop, root, its config folder writable.
        Set-Content (Join-Path $script:Drift 'docker-compose.yml') @'
services:
  app:
    image: datamancy-test/busybox:1
    init: true
    stop_grace_period: 1s
    command: ["sleep", "3600"]
    volumes: ["./conf:/conf"]
'@
        $started = Start-DatamancyService -Path $script:Drift -Name app -Timeout 60
        if (-not $started.Succeeded) { throw "The drift test container did not start: $($started.Error)" }
        # What the file says now: hardened. The running container was created before.
        Set-Content (Join-Path $script:Drift 'docker-compose.yml') @'
services:
  app:
    image: datamancy-test/busybox:1
    init: true
    stop_grace_period: 1s
    user: "65534:65534"
    cap_drop: [ALL]
    command: ["sleep", "3600"]
    volumes: ["./conf:/conf:ro"]
'@
    }
    AfterAll { Remove-Project $script:DriftProject $script:Drift }

    It 'reports what the running container does that the file no longer allows, from inspect' {
        $findings = @(Test-DatamancySecurity -Path $script:Drift -Live)
        $findings.RuleId | Sort-Object | Should -Be @('DMS001', 'DMS003', 'DMS004')
        $findings | ForEach-Object {
            $_.Source | Should -Be 'live'
            $_.Service | Should -Be 'app'
            $_.Location | Should -Be "container $script:DriftProject-app-1"
        }
    }

    It 'leaves the running containers out when the engine is not asked, and fails -Live when none answers' {
        Test-DatamancySecurity -Path $script:Drift -DockerHost unix:///nonexistent/docker.sock -WarningVariable warned -WarningAction SilentlyContinue |
            Should -BeNullOrEmpty
        $warned | Should -Not -BeNullOrEmpty
        { Test-DatamancySecurity -Path $script:Drift -Live -DockerHost unix:///nonexistent/docker.sock -ErrorAction Stop } |
            Should -Throw -ErrorId 'EngineUnreachable*'
    }
}

Describe 'Update-DatamancySecret on a running MariaDB and PostgreSQL' {
    BeforeAll {
        $script:Db = New-TestFolder 'dm-secrets'
        $script:DbProject = 'dmsec' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Copy-Item (Join-Path $PSScriptRoot 'stacks/secrets/*') $script:Db -Recurse
        $script:EnvFile = Join-Path $script:Db '.env'
        Set-Content $script:EnvFile ("COMPOSE_PROJECT_NAME=$script:DbProject`nMARIADB_ROOT_PASSWORD=$(New-Secret)`n" +
            "VAULTWARDEN_DB_PASSWORD=$(New-Secret)`nPAPERLESS_DB_PASSWORD=$(New-Secret)`nVAULTWARDEN_ADMIN_TOKEN=$(New-Secret)`n") -NoNewline
        chmod 600 $script:EnvFile
        $started = Start-DatamancyService -Path $script:Db -Name mariadb, paperless-postgres -Timeout 180
        $failed = $started | Where-Object { -not $_.Succeeded }
        if ($failed) { throw "The database test containers did not start: $($failed.Name): $($failed.Error)" }

        function Read-Env([string] $File = $script:EnvFile) {
            $values = @{}
            foreach ($line in Get-Content $File) { if ($line -match '^([A-Z_]+)=(.*)$') { $values[$Matches[1]] = $Matches[2] } }
            $values
        }

        # Logs in from inside the container over TCP to 127.0.0.1; the password goes in the exec's
        # environment, taken by docker from this process's environment, never on a command line.
        function Test-MariaDbLogin([string] $User, [string] $Password) {
            $env:MYSQL_PWD = $Password
            try { docker exec -e MYSQL_PWD "$script:DbProject-mariadb-1" mariadb --protocol=TCP -h 127.0.0.1 -u $User -N -e 'SELECT 1' 2>$null | Out-Null }
            finally { Remove-Item Env:MYSQL_PWD }
            $LASTEXITCODE -eq 0
        }

        function Test-PostgresLogin([string] $Password) {
            $env:PGPASSWORD = $Password
            try { docker exec -e PGPASSWORD "$script:DbProject-paperless-postgres-1" psql -X -h 127.0.0.1 -U paperless -d postgres -tAc 'SELECT 1' 2>$null | Out-Null }
            finally { Remove-Item Env:PGPASSWORD }
            $LASTEXITCODE -eq 0
        }

        $script:Before = Read-Env
    }
    AfterAll { Remove-Project $script:DbProject $script:Db }

    It 'starts with the passwords of .env working' {
        Test-MariaDbLogin root $script:Before.MARIADB_ROOT_PASSWORD | Should -BeTrue
        Test-MariaDbLogin vaultwarden $script:Before.VAULTWARDEN_DB_PASSWORD | Should -BeTrue
        Test-PostgresLogin $script:Before.PAPERLESS_DB_PASSWORD | Should -BeTrue
    }

    It 'changes nothing and shows no value with -WhatIf' {
        $script = "Import-Module '$script:ModulePath'; Update-DatamancySecret -Path '$script:Db' -WhatIf"
        $output = Invoke-FreshPwsh -EncodedCommand ([Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))) 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match 'What if: .*MariaDB user .root.*MARIADB_ROOT_PASSWORD'
        $output | Should -Match "What if: .*PostgreSQL role 'paperless'.*PAPERLESS_DB_PASSWORD"
        $output | Should -Match "What if: .*MariaDB user 'vaultwarden'.*VAULTWARDEN_DB_PASSWORD"
        foreach ($value in $script:Before.Values | Where-Object { $_ -match '^[0-9a-f]{64}$' }) { $output | Should -Not -Match $value }
        (Read-Env) | ConvertTo-Json | Should -Be ($script:Before | ConvertTo-Json)
        Get-ChildItem $script:Db -Filter '.env.*.bak' -Force | Should -BeNullOrEmpty
    }

    It 'rotates root, an app user and a PostgreSQL role: the servers accept the new passwords and refuse the old ones' {
        $text = Get-AllText {
            $script:Updates = Update-DatamancySecret -Path $script:Db -Name MARIADB_ROOT_PASSWORD, VAULTWARDEN_DB_PASSWORD, PAPERLESS_DB_PASSWORD -Confirm:$false -Verbose
            $script:Updates
        }
        $script:Updates | Should -HaveCount 3
        foreach ($update in $script:Updates) {
            $update | Should -BeOfType ([Datamancy.SecretUpdate])
            $update.Status | Should -Be 'Updated' -Because $update.Message
            $update.UpdatedIn | Should -Contain 'env'
        }
        ($script:Updates | Where-Object Name -eq MARIADB_ROOT_PASSWORD).UpdatedIn | Should -Contain 'database:mariadb'
        ($script:Updates | Where-Object Name -eq PAPERLESS_DB_PASSWORD).UpdatedIn | Should -Contain 'database:paperless-postgres'
        ($script:Updates | Where-Object Name -eq VAULTWARDEN_DB_PASSWORD).Services | Should -Be @('mariadb', 'vaultwarden')

        $after = Read-Env
        foreach ($name in 'MARIADB_ROOT_PASSWORD', 'VAULTWARDEN_DB_PASSWORD', 'PAPERLESS_DB_PASSWORD') {
            $after[$name] | Should -Match '^[0-9a-f]{64}$'
            $after[$name] | Should -Not -Be $script:Before[$name]
        }
        $after.VAULTWARDEN_ADMIN_TOKEN | Should -Be $script:Before.VAULTWARDEN_ADMIN_TOKEN

        Test-MariaDbLogin root $after.MARIADB_ROOT_PASSWORD | Should -BeTrue
        Test-MariaDbLogin root $script:Before.MARIADB_ROOT_PASSWORD | Should -BeFalse
        Test-MariaDbLogin vaultwarden $after.VAULTWARDEN_DB_PASSWORD | Should -BeTrue
        Test-MariaDbLogin vaultwarden $script:Before.VAULTWARDEN_DB_PASSWORD | Should -BeFalse
        Test-PostgresLogin $after.PAPERLESS_DB_PASSWORD | Should -BeTrue
        Test-PostgresLogin $script:Before.PAPERLESS_DB_PASSWORD | Should -BeFalse

        # No value, old or new, in the objects, the verbose lines, or the servers' logs.
        $logs = (docker logs "$script:DbProject-mariadb-1" 2>&1) + (docker logs "$script:DbProject-paperless-postgres-1" 2>&1) | Out-String
        foreach ($value in @($after.Values) + @($script:Before.Values) | Where-Object { $_ -match '^[0-9a-f]{64}$' }) {
            $text | Should -Not -Match $value
            $logs | Should -Not -Match $value
        }
        $text | Should -Match 'MARIADB_ROOT_PASSWORD: changing it in mariadb'
        $text | Should -Match 'Status +: Updated'
    }

    It 'stores only verifiers: a SCRAM-SHA-256 verifier in PostgreSQL, a hash in MariaDB' {
        docker exec "$script:DbProject-paperless-postgres-1" psql -X -U paperless -d postgres -tAc "SELECT rolpassword FROM pg_authid WHERE rolname = 'paperless'" |
            Should -Match '^SCRAM-SHA-256\$4096:'
        $env:MYSQL_PWD = (Read-Env).MARIADB_ROOT_PASSWORD
        try { $plugins = docker exec -e MYSQL_PWD "$script:DbProject-mariadb-1" mariadb -uroot -N -B -e "SELECT DISTINCT plugin FROM mysql.user WHERE User = 'vaultwarden'" }
        finally { Remove-Item Env:MYSQL_PWD }
        $plugins | Should -Be 'mysql_native_password'
    }

    It 'keeps the previous .env as a backup, both files readable by their owner only' {
        $backup = $script:Updates[0].Backup
        $script:Updates.Backup | Sort-Object -Unique | Should -Be $backup
        $backup | Should -Match '[\\/]\.env\.\d{8}T\d{9}Z\.bak$'
        (Read-Env $backup) | ConvertTo-Json | Should -Be ($script:Before | ConvertTo-Json)
        (Get-Item $backup -Force).UnixMode | Should -Be '-rw-------'
        (Get-Item $script:EnvFile -Force).UnixMode | Should -Be '-rw-------'
        Get-Content $script:EnvFile -TotalCount 1 | Should -Be "COMPOSE_PROJECT_NAME=$script:DbProject"
    }

    It 'rotates again with the rotated root password, so .env and MariaDB agree' {
        $before = (Read-Env).VAULTWARDEN_DB_PASSWORD
        $again = Update-DatamancySecret -Path $script:Db -Name VAULTWARDEN_DB_PASSWORD -Confirm:$false
        $again.Status | Should -Be 'Updated' -Because $again.Message
        Test-MariaDbLogin vaultwarden (Read-Env).VAULTWARDEN_DB_PASSWORD | Should -BeTrue
        Test-MariaDbLogin vaultwarden $before | Should -BeFalse
    }

    It 'reports unknown and non-secret names, and rotates an environment-only secret in .env alone' {
        $result = Update-DatamancySecret -Path $script:Db -Name NO_SUCH_PASSWORD, COMPOSE_PROJECT_NAME, VAULTWARDEN_ADMIN_TOKEN -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems | ForEach-Object { Get-ErrorId $_ }) | Should -Be @('SecretNotFound', 'SecretNotFound')
        ($problems | Out-String) | Should -Match 'not a secret'
        $result.Name | Should -Be 'VAULTWARDEN_ADMIN_TOKEN'
        $result.UpdatedIn | Should -Be @('env')
        $result.Message | Should -Match 'Start-DatamancyService -Name vaultwarden'
    }

    It 'refuses a secret whose server is stopped, before changing anything' {
        Stop-DatamancyService -Path $script:Db -Name paperless-postgres | Out-Null
        $envBefore = Get-Content $script:EnvFile -Raw
        $backups = @(Get-ChildItem $script:Db -Filter '.env.*.bak' -Force).Count
        $result = Update-DatamancySecret -Path $script:Db -Name PAPERLESS_DB_PASSWORD -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        Get-ErrorId $problems[0] | Should -Be 'SecretTargetUnavailable'
        $problems[0].Exception.Message | Should -Match 'paperless-postgres is exited'
        $result.Status | Should -Be 'Failed'
        Get-Content $script:EnvFile -Raw | Should -Be $envBefore
        @(Get-ChildItem $script:Db -Filter '.env.*.bak' -Force).Count | Should -Be $backups
    }
}

Describe 'Update-DatamancySecret on the bundled stack' {
    BeforeAll {
        $script:Bundled = New-TestFolder 'dm-secrets-bundled'
        $script:BundledProject = 'dmsec' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        New-DatamancyStack -Path $script:Bundled -ProjectName $script:BundledProject | Out-Null
    }
    AfterAll { Remove-Item $script:Bundled -Recurse -Force -ErrorAction SilentlyContinue }

    It 'refuses a key that encrypts data unless -Force' {
        $before = Get-Content (Join-Path $script:Bundled '.env') -Raw
        Update-DatamancySecret -Path $script:Bundled -Name KOPIA_REPOSITORY_PASSWORD -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue | Out-Null
        Get-ErrorId $problems[0] | Should -Be 'SecretPinned'
        $problems[0].Exception.Message | Should -Match 'kopia repository change-password'
        Get-Content (Join-Path $script:Bundled '.env') -Raw | Should -Be $before

        $forced = Update-DatamancySecret -Path $script:Bundled -Name KOPIA_REPOSITORY_PASSWORD -Force -Confirm:$false
        $forced.Status | Should -Be 'Updated'
        Get-Content (Join-Path $script:Bundled '.env') -Raw | Should -Not -Be $before
    }

    It 'previews -Name * under -WhatIf without an error: a wildcard leaves the pinned secrets out' {
        $before = Get-Content (Join-Path $script:Bundled '.env') -Raw
        $said = Update-DatamancySecret -Path $script:Bundled -Name * -WhatIf -Verbose -ErrorVariable problems 4>&1
        $problems | Should -BeNullOrEmpty
        ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Left out 12 pinned secret(s)*' }).Message | Should -Match 'KOPIA_REPOSITORY_PASSWORD.*Name one and add -Force'
        Get-Content (Join-Path $script:Bundled '.env') -Raw | Should -Be $before
    }

    It 'previews without an engine with one warning, where the real run refuses the secrets that servers keep' {
        $saved = Hide-DockerEngine $script:Bundled
        try {
            Update-DatamancySecret -Path $script:Bundled -Name * -WhatIf -ErrorVariable problems -WarningVariable warned -WarningAction SilentlyContinue
            $problems | Should -BeNullOrEmpty
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -Match 'Not validated, because servers keep a copy: .*MARIADB_ROOT_PASSWORD.*a real run refuses them'
            $refused = Update-DatamancySecret -Path $script:Bundled -Name MARIADB_ROOT_PASSWORD -Confirm:$false -ErrorVariable realProblems -ErrorAction SilentlyContinue
            Get-ErrorId $realProblems[0] | Should -Be 'SecretTargetUnavailable'
            $refused.Status | Should -Be 'Failed'
        }
        finally { Restore-DockerHost $saved }
    }

    It 'rotates what a wildcard selects and leaves its pinned secrets alone' {
        $pinned = (Get-Content (Join-Path $script:Bundled '.env')) -match '^LIBRECHAT_CREDS_IV_SECRET='
        $results = Update-DatamancySecret -Path $script:Bundled -Name LIBRECHAT_*_SECRET -Confirm:$false -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        ($results.Name | Sort-Object) | Should -Be @('LIBRECHAT_JWT_REFRESH_SECRET', 'LIBRECHAT_JWT_SECRET')
        $results.Status | Should -Be @('Updated', 'Updated')
        (Get-Content (Join-Path $script:Bundled '.env')) -match '^LIBRECHAT_CREDS_IV_SECRET=' | Should -Be $pinned
    }

    It 'writes the LDAP admin password to .env alone while the directory has no data yet' {
        $result = Update-DatamancySecret -Path $script:Bundled -Name LDAP_ADMIN_PASSWORD -Confirm:$false
        $result.Status | Should -Be 'Updated' -Because $result.Message
        $result.UpdatedIn | Should -Be @('env')
        $result.Message | Should -Match 'ldap has no data yet'
        $result.Services | Should -Be @('authelia', 'ldap', 'librechat')
    }

    It 'stops with EnvFileMissing on a stack without .env' {
        $bare = New-TestFolder 'dm-secrets-bare'
        try {
            Set-Content (Join-Path $bare 'docker-compose.yml') "services:`n  app:`n    image: datamancy-test/busybox:1`n"
            { Update-DatamancySecret -Path $bare -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'EnvFileMissing*'
        }
        finally { Remove-Item $bare -Recurse -Force }
    }

    It 'leaves the stack auditing clean after rotating' {
        Test-DatamancySecurity -Path $script:Bundled | Where-Object Severity -gt 'Low' | Should -BeNullOrEmpty
    }
}
