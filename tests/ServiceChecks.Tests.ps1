# Test-DatamancyService end to end: Debian's Caddy (datamancy-test/debian:12) with a certificate
# from New-DatamancyCertificate, in front of busybox services on a user network (tests/stacks/checks),
# reached only through 127.0.0.1 at the port the engine published for Caddy's 443.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }

    $script:Project = 'dmcheck' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Stack = New-TestFolder 'dm-checks'
    Copy-Item (Join-Path $PSScriptRoot 'stacks/checks/*') $script:Stack -Recurse
    Set-Content (Join-Path $script:Stack '.env') "COMPOSE_PROJECT_NAME=$script:Project`n"
    $script:Certificate = New-DatamancyCertificate -Path $script:Stack
    $started = Start-DatamancyService -Path $script:Stack -Name caddy, good, wrongtext, down -Timeout 180
    $failed = @($started | Where-Object { -not $_.Succeeded })
    if ($failed) { throw "The test stack did not start: $($failed | ForEach-Object { "$($_.Name): $($_.Error)" })" }
    Stop-DatamancyService -Path $script:Stack -Name down | Out-Null
    $caddy = Get-DatamancyService -Path $script:Stack -Name caddy
    $script:Port = [int](($caddy.Live.PublishedPorts | Where-Object { $_ -match '^127\.0\.0\.1:\d+->443/tcp$' }) -replace '^127\.0\.0\.1:(\d+)->.*$', '$1')
    $script:Address = "127.0.0.1:$script:Port"
    $script:Results = Test-DatamancyService -Path $script:Stack -Name good, wrongtext, down -CaddyAddress $script:Address -InformationVariable info
    $script:Information = $info

    function Get-Check([string] $Service, [string] $Check) { $script:Results | Where-Object { $_.Service -eq $Service -and $_.Check -eq $Check } }
    function Get-LastPassFile([string] $Service) { Join-Path $script:Stack "data/tests/$Service/last_pass.json" }
}

AfterAll {
    Remove-DockerProject $script:Project
    Remove-Item $script:Stack -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Test-DatamancyService through a real Caddy' {
    It 'publishes Caddy on 127.0.0.1 only' {
        $script:Port | Should -BeGreaterThan 0
        $bindings = (docker inspect "$script:Project-caddy-1" | ConvertFrom-Json).NetworkSettings.Ports.'443/tcp'
        $bindings.HostIp | Sort-Object -Unique | Should -Be '127.0.0.1'
    }

    It 'passes every check of a healthy service, HTTPS validated against the stack''s CA' {
        $good = @($script:Results | Where-Object Service -eq good)
        $good.Check | Should -Be @('Container', 'Dependencies', 'Https', 'SecurityHeaders', 'GET /', 'GET /no-such-page.html')
        foreach ($result in $good) {
            $result | Should -BeOfType ([Datamancy.CheckResult])
            $result.Passed | Should -BeTrue -Because "$($result.Check): $($result.Detail)"
        }
        (Get-Check good Dependencies).Detail | Should -Be 'db: running, healthy'
        (Get-Check good Https).Detail | Should -Match "HTTP 200 OK through Caddy at $([regex]::Escape($script:Address)); certificate \*\.stack\.local valid until"
        (Get-Check good Https).Url | Should -Be 'https://good.stack.local/'
        (Get-Check good SecurityHeaders).Detail | Should -Match 'HSTS max-age=31536000'
        (Get-Check good 'GET /').Detail | Should -Be "HTTP 200 OK, contains 'datamancy test page'"
        (Get-Check good 'GET /no-such-page.html').Detail | Should -Be 'HTTP 404 Not Found'
    }

    It 'fails a service whose page lacks the expected text, and says so' {
        $check = Get-Check wrongtext 'GET /'
        $check.Passed | Should -BeFalse
        $check.Detail | Should -Match "HTTP 200 OK, but the page \(\d+ characters\) does not contain 'text this page does not have'"
        (Get-Check wrongtext Container).Passed | Should -BeTrue
        (Get-Check wrongtext Https).Passed | Should -BeTrue
    }

    It 'fails a site that sends no security headers, naming each one' {
        $check = Get-Check wrongtext SecurityHeaders
        $check.Passed | Should -BeFalse
        $check.Detail | Should -Match 'Strict-Transport-Security is missing'
        $check.Detail | Should -Match 'Content-Security-Policy is missing'
        $check.Detail | Should -Match 'X-Content-Type-Options is missing'
    }

    It 'fails a service whose backend is down, and says why' {
        (Get-Check down Container).Passed | Should -BeFalse
        (Get-Check down Container).Detail | Should -Match '^not running: Exited .*Start-DatamancyService -Name down'
        (Get-Check down Https).Passed | Should -BeFalse
        (Get-Check down Https).Detail | Should -Match 'HTTP 502 Bad Gateway from Caddy .* could not get an answer from the service behind it'
        (Get-Check down 'GET /').Detail | Should -Be 'expected HTTP 200, got HTTP 502 Bad Gateway'
    }

    It 'writes last_pass.json for the passing service only, in schema 1' {
        Test-Path (Get-LastPassFile wrongtext) | Should -BeFalse
        Test-Path (Get-LastPassFile down) | Should -BeFalse
        $record = Get-Content (Get-LastPassFile good) -Raw | ConvertFrom-Json
        $record.schemaVersion | Should -Be 1
        $record.service | Should -Be 'good'
        $record.moduleVersion | Should -Be (Get-Module Datamancy).Version.ToString()
        [DateTimeOffset]$record.passedAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-15))
        $record.checks | Should -Be @('Container', 'Dependencies', 'Https', 'SecurityHeaders', 'GET /', 'GET /no-such-page.html')
        $fingerprint = Get-DatamancyFingerprint -Path $script:Stack -Name good
        $record.fingerprint | Should -Be $fingerprint.Fingerprint
        $record.parts.imageDigest | Should -Be $fingerprint.ImageDigest
        $record.parts.imageDigest | Should -Match '^sha256:[0-9a-f]{64}$'
        $record.parts.configHash | Should -Be $fingerprint.ConfigHash
    }

    It 'sums up per service on the information stream' {
        $lines = $script:Information | ForEach-Object { "$_" }
        $lines | Should -Contain 'good: all 6 checks passed; fingerprint recorded.'
        $lines | Should -Contain '3 service(s) tested: 1 passed, 2 failed.'
        $script:Information[0].Tags | Should -Contain 'TestSummary'
    }

    It 'gives per-service totals with -Summary, which pipe on by Name' {
        $summary = Test-DatamancyService -Path $script:Stack -Name good, down -CaddyAddress $script:Address -Summary
        $summary | Should -HaveCount 2
        $good = $summary | Where-Object Name -eq good
        $good | Should -BeOfType ([Datamancy.ServiceTestSummary])
        $good.Passed | Should -BeTrue
        $good.Recorded | Should -BeTrue
        $down = $summary | Where-Object Name -eq down
        $down.Passed | Should -BeFalse
        $down.Failed | Should -Contain 'Https'
        $down.FailedCount | Should -Be 4
    }

    It 'tests the services piped from Get-DatamancyService' {
        $piped = Get-DatamancyService -Path $script:Stack -Name good | Test-DatamancyService -CaddyAddress $script:Address
        ($piped.Service | Sort-Object -Unique) | Should -Be 'good'
        $piped.Passed | Should -Not -Contain $false
    }

    It 'turns the fingerprint Stale, naming ConfigHash, when a file of the service changes' {
        (Get-DatamancyFingerprint -Path $script:Stack -Name good).State | Should -Be 'Fresh'
        (Get-DatamancyFingerprint -Path $script:Stack -Name wrongtext).State | Should -Be 'NeverPassed'
        Add-Content (Join-Path $script:Stack 'good/site.conf') 'gzip on'
        $stale = Get-DatamancyFingerprint -Path $script:Stack -Name good
        $stale.State | Should -Be 'Stale'
        $stale.Changed | Should -Be @('ConfigHash')
    }

    It 'records nothing with -WhatIf' {
        Remove-Item (Get-LastPassFile good)
        $results = Test-DatamancyService -Path $script:Stack -Name good -CaddyAddress $script:Address -WhatIf
        $results.Passed | Should -Not -Contain $false
        Test-Path (Get-LastPassFile good) | Should -BeFalse
        (Get-DatamancyFingerprint -Path $script:Stack -Name good).State | Should -Be 'NeverPassed'
        Test-DatamancyService -Path $script:Stack -Name good -CaddyAddress $script:Address | Out-Null
        (Get-DatamancyFingerprint -Path $script:Stack -Name good).State | Should -Be 'Fresh'
    }

    It 'fails HTTPS when the certificate does not chain to the stack''s CA, unless told loudly to skip the check' {
        $caFile = $script:Certificate.AuthorityPath
        $saved = Get-Content $caFile -Raw
        $other = New-TestFolder 'dm-otherca'
        try {
            Set-Content (Join-Path $other 'docker-compose.yml') "services:`n  x:`n    image: datamancy-test/busybox:1`n"
            $otherCa = New-DatamancyCertificate -Path $other
            Copy-Item $otherCa.AuthorityPath $caFile -Force
            $refused = Test-DatamancyService -Path $script:Stack -Name good -CaddyAddress $script:Address -WhatIf | Where-Object Check -eq Https
            $refused.Passed | Should -BeFalse
            $refused.Detail | Should -Match "^TLS: the certificate \(CN=\*\.stack\.local.*does not validate against the stack's CA $([regex]::Escape($caFile))"

            $skipped = Test-DatamancyService -Path $script:Stack -Name good -CaddyAddress $script:Address -SkipCertificateCheck -WhatIf -WarningVariable warned -WarningAction SilentlyContinue |
                Where-Object Check -eq Https
            $skipped.Passed | Should -BeTrue
            $skipped.Detail | Should -Match 'certificate NOT checked \(-SkipCertificateCheck\)'
            "$warned" | Should -Match 'NOT validated'
        }
        finally {
            Set-Content $caFile $saved -NoNewline
            Remove-Item $other -Recurse -Force
        }
    }

    It 'says where it tried when nothing listens at -CaddyAddress' {
        $closed = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $closed.Start(); $port = $closed.LocalEndpoint.Port; $closed.Stop()
        $https = Test-DatamancyService -Path $script:Stack -Name good -CaddyAddress "127.0.0.1:$port" -WhatIf | Where-Object Check -eq Https
        $https.Passed | Should -BeFalse
        $https.Detail | Should -Match "cannot connect to Caddy at 127\.0\.0\.1:$port"
    }

    It 'refuses an address that is not host:port with InvalidAddress' {
        { Test-DatamancyService -Path $script:Stack -Name good -CaddyAddress '127.0.0.1:notaport' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAddress,Datamancy.Commands.TestDatamancyServiceCommand'
    }

    It 'reports a name that matches no service as ServiceNotFound and tests the others' {
        $results = Test-DatamancyService -Path $script:Stack -Name good, nosuch -CaddyAddress $script:Address -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        ($results.Service | Sort-Object -Unique) | Should -Be 'good'
        Get-ErrorId $errs[0] | Should -Be 'ServiceNotFound'
    }
}
