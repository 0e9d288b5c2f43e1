# Test-DatamancyService -Browser end to end: a real headless Chromium, started here and driven over
# the DevTools protocol by the module, loads pages through Debian's Caddy (tests/stacks/browser).
# Chromium resolves *.stack.local to Caddy's published loopback port (--host-resolver-rules), as
# the stack's Caddy aliases do for browserless. Chromium does not trust the local CA: the check
# itself tells the page to accept it (the Https check validates the certificate).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'CheckerHelpers.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }
    $chromium = Get-Checker chromium chromium

    $script:Project = 'dmbrowser' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Stack = New-TestFolder 'dm-browser'
    Copy-Item (Join-Path $PSScriptRoot 'stacks/browser/*') $script:Stack -Recurse
    Set-Content (Join-Path $script:Stack '.env') "COMPOSE_PROJECT_NAME=$script:Project`n"
    New-DatamancyCertificate -Path $script:Stack | Out-Null
    $started = Start-DatamancyService -Path $script:Stack -Name caddy, titled, wrongtitle -Timeout 180
    $failed = @($started | Where-Object { -not $_.Succeeded })
    if ($failed) { throw "The test stack did not start: $($failed | ForEach-Object { "$($_.Name): $($_.Error)" })" }
    $caddy = Get-DatamancyService -Path $script:Stack -Name caddy
    $script:Port = [int](($caddy.Live.PublishedPorts | Where-Object { $_ -match '^127\.0\.0\.1:\d+->443/tcp$' }) -replace '^127\.0\.0\.1:(\d+)->.*$', '$1')
    $script:Address = "127.0.0.1:$script:Port"

    # Chromium prints its DevTools WebSocket on stderr; the file is read until that line appears.
    $script:Profile = New-TestFolder 'dm-chromium'
    $script:ChromiumLog = Join-Path $script:Profile 'stderr.log'
    $arguments = '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1',
        "--user-data-dir=$script:Profile/data", "`"--host-resolver-rules=MAP *.stack.local $script:Address`"", 'about:blank'
    $script:Chromium = Start-Process $chromium -ArgumentList $arguments -RedirectStandardError $script:ChromiumLog -RedirectStandardOutput (Join-Path $script:Profile 'stdout.log') -PassThru
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not ($script:Endpoint = Select-String -Path $script:ChromiumLog -Pattern 'DevTools listening on (ws://\S+)' -ErrorAction SilentlyContinue |
                ForEach-Object { $_.Matches[0].Groups[1].Value } | Select-Object -First 1)) {
        if ($script:Chromium.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "Chromium did not print its DevTools endpoint: $(Get-Content $script:ChromiumLog -Raw)" }
        Start-Sleep -Milliseconds 100
    }

    $script:Results = Test-DatamancyService -Path $script:Stack -Name titled, wrongtitle -CaddyAddress $script:Address -Browser -BrowserEndpoint $script:Endpoint -TimeoutSec 30
    function Get-Browser([string] $Service) { $script:Results | Where-Object { $_.Service -eq $Service -and $_.Check -eq 'Browser' } }
    function Get-Screenshot([string] $Service) { Join-Path $script:Stack "data/tests/$Service/browser.png" }
}

AfterAll {
    # Exactly the Chromium this file started, with the renderer processes it forked.
    if ($script:Chromium -and -not $script:Chromium.HasExited) { $script:Chromium.Kill($true); $script:Chromium.WaitForExit(10000) | Out-Null }
    Remove-DockerProject $script:Project
    Remove-Item $script:Stack, $script:Profile -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Test-DatamancyService -Browser in a real Chromium' {
    It 'passes a page with the expected title and element, and says what it saw' {
        $check = Get-Browser titled
        $check | Should -BeOfType ([Datamancy.CheckResult])
        $check.Passed | Should -BeTrue -Because $check.Detail
        $check.Url | Should -Be 'https://titled.stack.local/'
        $check.Detail | Should -BeLike "HTTP 200, title 'Datamancy browser page', 'h1#welcome' found; screenshot *browser.png"
        @($script:Results | Where-Object Service -eq titled).Check | Should -Be @('Container', 'Https', 'SecurityHeaders', 'Browser')
    }

    It 'fails a page whose title is wrong, with the reason' {
        $check = Get-Browser wrongtitle
        $check.Passed | Should -BeFalse
        $check.Detail | Should -BeLike "title was 'Some other title', expected 'The title it should have'; screenshot *"
    }

    It 'saves a PNG screenshot beside last_pass.json, for a failing page too' {
        foreach ($service in 'titled', 'wrongtitle') {
            $bytes = [IO.File]::ReadAllBytes((Get-Screenshot $service))
            $bytes.Length | Should -BeGreaterThan 1000
            $bytes[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        }
        Test-Path (Join-Path $script:Stack 'data/tests/titled/last_pass.json') | Should -BeTrue
        Test-Path (Join-Path $script:Stack 'data/tests/wrongtitle/last_pass.json') | Should -BeFalse
    }

    It 'leaves no tab open in the browser' {
        $version = $script:Endpoint -replace '^ws://([^/]+)/.*$', 'http://$1/json/list'
        @(Invoke-RestMethod $version -ErrorAction SilentlyContinue | Where-Object type -eq page | Where-Object url -like 'https://*').Count | Should -Be 0
    }

    It 'finds the browser''s WebSocket from an http:// endpoint''s /json/version, and saves no screenshot under -WhatIf' {
        $http = $script:Endpoint -replace '^ws://([^/]+)/.*$', 'http://$1'
        Remove-Item (Get-Screenshot titled)
        $check = Test-DatamancyService -Path $script:Stack -Name titled -CaddyAddress $script:Address -BrowserEndpoint $http -WhatIf | Where-Object Check -eq Browser
        $check.Passed | Should -BeTrue -Because $check.Detail
        $check.Detail | Should -BeLike '*; no screenshot (-WhatIf)'
        Test-Path (Get-Screenshot titled) | Should -BeFalse
    }

    It 'is BrowserUnreachable when nothing answers at -BrowserEndpoint' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        { Test-DatamancyService -Path $script:Stack -Name titled -CaddyAddress $script:Address -BrowserEndpoint "ws://127.0.0.1:$port/devtools/browser/x" -ErrorAction Stop } |
            Should -Throw -ErrorId 'BrowserUnreachable,Datamancy.Commands.TestDatamancyServiceCommand'
    }

    It 'refuses an endpoint that is not a DevTools URL' {
        { Test-DatamancyService -Path $script:Stack -Name titled -Browser -BrowserEndpoint 'chromium' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidBrowserEndpoint,Datamancy.Commands.TestDatamancyServiceCommand'
    }
}
