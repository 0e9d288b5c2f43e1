# Images and updates against a real registry (Debian's docker-registry on loopback, tests/env/TestRegistry.ps1)
# and the real engine: Get-DatamancyUpdate, Update-DatamancyService with its checks through Debian's
# Caddy and its rollbacks, the pin a rollback leaves, -Pull, and the registry's credentials.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'env/TestRegistry.ps1')
    . (Join-Path $PSScriptRoot '../build/FreshPwsh.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }

    $script:Registry = Start-TestRegistry
    $script:V1 = New-TestImageVersion -Registry $script:Registry -Repository app -Tag 1 -Version v1
    $script:Db1 = New-TestImageVersion -Registry $script:Registry -Repository db -Tag 1 -Version db1
    $script:Worker1 = New-TestImageVersion -Registry $script:Registry -Repository worker -Tag 1 -Version w1

    $script:Project = 'dmupd' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $script:Stack = New-TestFolder 'dm-update'
    Copy-Item (Join-Path $PSScriptRoot 'stacks/update/*') $script:Stack -Recurse
    Set-Content (Join-Path $script:Stack '.env') "COMPOSE_PROJECT_NAME=$script:Project`nREGISTRY=$($script:Registry.Address)`n"
    New-DatamancyCertificate -Path $script:Stack | Out-Null
    $started = Start-DatamancyProfile -Path $script:Stack -Name '*' -Timeout 180
    $failed = @($started | Where-Object { -not $_.Succeeded })
    if ($failed) { throw "The test stack did not start: $($failed | ForEach-Object { "$($_.Name): $($_.Error)" })" }
    $caddy = Get-DatamancyService -Path $script:Stack -Name caddy
    $script:Caddy = ($caddy.Live.PublishedPorts | Where-Object { $_ -match '^127\.0\.0\.1:\d+->443/tcp$' }) -replace '^(127\.0\.0\.1:\d+)->.*$', '$1'

    function Get-RunningImage([string] $Service) { (docker inspect --format '{{.Image}}' "$script:Project-$Service-1").Trim() }
    function Get-Health([string] $Service) { (docker inspect --format '{{.State.Health.Status}}' "$script:Project-$Service-1").Trim() }
    function Update-App { Update-DatamancyService -Path $script:Stack -CaddyAddress $script:Caddy -Timeout 60 @args }
}

AfterAll {
    Remove-DockerProject $script:Project
    Stop-TestRegistry $script:Registry
    Remove-Item $script:Stack -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-DatamancyUpdate' {
    It 'sees every service up to date, and the excluded database as excluded without asking the registry' {
        $updates = Get-DatamancyUpdate -Path $script:Stack -Name app, db, worker
        $updates | Should -HaveCount 3
        $app = $updates | Where-Object Name -eq app
        $app | Should -BeOfType ([Datamancy.UpdateInfo])
        $app.RunningDigest | Should -Be $script:V1.Digest
        $app.RegistryDigest | Should -Be $script:V1.Digest
        $app.UpdateAvailable | Should -BeFalse
        $db = $updates | Where-Object Name -eq db
        $db.Excluded | Should -BeTrue
        $db.RegistryDigest | Should -BeNullOrEmpty
        $db.UpdateAvailable | Should -BeNullOrEmpty
        $db.Note | Should -BeLike '*com.centurylinklabs.watchtower.enable=false*-IncludeExcluded*'
        (Get-DatamancyUpdate -Path $script:Stack -Name db -IncludeExcluded).RegistryDigest | Should -Be $script:Db1.Digest
    }

    It 'shows a new image pushed under the running tag' {
        $script:V2 = New-TestImageVersion -Registry $script:Registry -Repository app -Tag 1 -Version v2
        $app = Get-DatamancyUpdate -Path $script:Stack -Name app
        $app.UpdateAvailable | Should -BeTrue
        $app.RunningDigest | Should -Be $script:V1.Digest
        $app.RegistryDigest | Should -Be $script:V2.Digest
    }
}

Describe 'Update-DatamancyService' {
    It 'changes nothing with -WhatIf' {
        $before = Get-RunningImage app
        Update-App -Name app -WhatIf
        Get-RunningImage app | Should -Be $before
        Test-Path (Join-Path $script:Stack 'data/updates/history.jsonl') | Should -BeFalse
    }

    It 'updates to the new image, proves it through Caddy, records the pass and the history' {
        $result = Update-App -Name app
        $result | Should -HaveCount 1
        $result.Status | Should -Be 'Updated'
        $result.From | Should -Be $script:V1.Digest
        $result.To | Should -Be $script:V2.Digest
        Get-RunningImage app | Should -Be $script:V2.ImageId
        Get-Health app | Should -Be 'healthy'
        (docker exec "$script:Project-app-1" cat /app/version) | Should -Be 'v2'
        (Get-DatamancyFingerprint -Path $script:Stack -Name app).State | Should -Be 'Fresh'
        $history = @(Get-DatamancyUpdate -Path $script:Stack -History)
        $history | Should -HaveCount 1
        $history[0].Status | Should -Be 'Updated'
        $history[0].To | Should -Be $script:V2.Digest
    }

    It 'rolls back an image whose healthcheck fails, and holds the service on the version that works' {
        $v3 = New-TestImageVersion -Registry $script:Registry -Repository app -Tag 1 -Version v3 -HealthFails
        $result = Update-DatamancyService -Path $script:Stack -CaddyAddress $script:Caddy -Timeout 60 -Name app -ErrorVariable failed -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'RolledBack'
        $result.To | Should -Be $v3.Digest
        $result.Reason | Should -BeLike '*did not become healthy*'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'UpdateRolledBack,*'
        Get-RunningImage app | Should -Be $script:V2.ImageId
        Get-Health app | Should -Be 'healthy'
        (Get-DatamancyUpdate -Path $script:Stack -Name app).PinnedTo | Should -Be $script:V2.ImageId
        # The tag names the broken image now; a plain start keeps the pinned one.
        (Start-DatamancyService -Path $script:Stack -Name app | Where-Object Name -eq app).Action | Should -Be 'Unchanged'
        Get-RunningImage app | Should -Be $script:V2.ImageId
        $line = (Get-Content (Join-Path $script:Stack 'data/updates/history.jsonl'))[-1] | ConvertFrom-Json
        $line.status | Should -Be 'RolledBack'
        $line.reason | Should -BeLike '*did not become healthy*'
    }

    It 'rolls back an image that is healthy but fails its check through Caddy (HTTP 500)' {
        $v4 = New-TestImageVersion -Registry $script:Registry -Repository app -Tag 1 -Version v4 -Http500
        $result = Update-App -Name app -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'RolledBack'
        $result.To | Should -Be $v4.Digest
        $result.Reason | Should -BeLike '*checks failed*500*'
        Get-RunningImage app | Should -Be $script:V2.ImageId
        Get-Health app | Should -Be 'healthy'
    }

    It 'leaves an excluded database alone when named, says why, and updates it with -IncludeExcluded' {
        $db2 = New-TestImageVersion -Registry $script:Registry -Repository db -Tag 1 -Version db2
        $before = Get-RunningImage db
        $result = Update-DatamancyService -Path $script:Stack -CaddyAddress $script:Caddy -Name db -WarningVariable warned -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Unchanged'
        $result.Reason | Should -BeLike '*excluded*-IncludeExcluded*'
        "$warned" | Should -BeLike '*db is not updated*'
        Get-RunningImage db | Should -Be $before
        $included = Update-App -Name db -IncludeExcluded
        $included.Status | Should -Be 'Updated'
        Get-RunningImage db | Should -Be $db2.ImageId
        # The dependents were checked against the new database and still run.
        Get-Health app | Should -Be 'healthy'
    }

    It 'puts a service interrupted by Ctrl+C back on the image it ran, and the next run converges' {
        $v5 = New-TestImageVersion -Registry $script:Registry -Repository app -Tag 1 -Version v5 -HealthFails
        $ps = [PowerShell]::Create()
        $null = $ps.AddCommand('Import-Module').AddArgument($script:ModulePath).AddStatement()
        $null = $ps.AddCommand('Update-DatamancyService').AddParameter('Path', $script:Stack).AddParameter('Name', 'app').AddParameter('CaddyAddress', $script:Caddy).AddParameter('Timeout', 60)
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        # Interrupted while it waits for the new (failing) version to become healthy.
        while ((Get-RunningImage app 2>$null) -ne $v5.ImageId -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Get-RunningImage app | Should -Be $v5.ImageId
        $ps.Stop()
        try { $ps.EndInvoke($async) } catch { }
        $ps.Dispose()
        Get-RunningImage app | Should -Be $script:V2.ImageId
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-Health app) -ne 'healthy' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Get-Health app | Should -Be 'healthy'
        docker ps -a --filter "label=com.docker.compose.project=$script:Project" --format '{{.Names}}' | Should -Not -Match '^[0-9a-f]{12}_'
        # The next run tries again and ends in a known state.
        (Update-App -Name app -ErrorAction SilentlyContinue).Status | Should -Be 'RolledBack'
    }
}

Describe 'Pulling on start' {
    It 'shows Pull, then Create with -WhatIf when the engine lacks the image, and changes nothing' {
        $fresh = New-TestImageVersion -Registry $script:Registry -Repository worker -Tag 2 -Version w2
        docker image rm $fresh.Reference | Out-Null
        (Get-Content (Join-Path $script:Stack 'docker-compose.yml') -Raw).Replace('/worker:1', '/worker:2') | Set-Content (Join-Path $script:Stack 'docker-compose.yml')
        $before = Get-RunningImage worker
        # -WhatIf writes to the host: a fresh pwsh shows what a user sees.
        $whatIf = Invoke-FreshPwsh -Command "Import-Module '$script:ModulePath'; Start-DatamancyService -Path '$script:Stack' -Name worker -WhatIf" 2>&1 | Out-String
        $whatIf | Should -BeLike '*Pull, then Recreate*worker*'
        docker image inspect $fresh.Reference 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0 -Because '-WhatIf pulls nothing'
        Get-RunningImage worker | Should -Be $before
        $started = Start-DatamancyService -Path $script:Stack -Name worker | Where-Object Name -eq worker
        $started.Action | Should -Be 'Recreate'
        Get-RunningImage worker | Should -Be $fresh.ImageId
    }

    It 'pulls with -Pull Always, and refuses with -Pull Never an image the engine lacks' {
        $w3 = New-TestImageVersion -Registry $script:Registry -Repository worker -Tag 2 -Version w3
        docker image rm $w3.Reference | Out-Null
        { Start-DatamancyService -Path $script:Stack -Name worker -Pull Never -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageMissing,Datamancy.Commands.StartDatamancyServiceCommand' -ExpectedMessage '*worker*pull policy is never*'
        (Start-DatamancyService -Path $script:Stack -Name worker -Pull Always | Where-Object Name -eq worker).Action | Should -Be 'Recreate'
        Get-RunningImage worker | Should -Be $w3.ImageId
    }
}

Describe 'Registry credentials and an unreachable registry' {
    It 'pulls from a registry with htpasswd with the docker CLI''s login, and fails clearly without it' {
        $private = Start-TestRegistry -Htpasswd
        $saved = $env:DOCKER_CONFIG
        try {
            $env:DOCKER_CONFIG = $private.DockerConfig
            $image = New-TestImageVersion -Registry $private -Repository secret -Tag 1 -Version s1
            docker image rm $image.Reference | Out-Null
            $folder = New-TestFolder 'dm-private'
            Set-Content (Join-Path $folder 'docker-compose.yml') "services:`n  one:`n    image: $($image.Reference)`n    init: true`n    command: [`"sleep`", `"60`"]`n"
            Set-Content (Join-Path $folder '.env') "COMPOSE_PROJECT_NAME=dmpriv$([guid]::NewGuid().ToString('N').Substring(0, 8))`n"
            $env:DOCKER_CONFIG = Join-Path $folder 'no-login'
            $err = { Start-DatamancyService -Path $folder -Name one -ErrorAction Stop } | Should -Throw -ErrorId 'ImageMissing,*' -PassThru
            $err.Exception.Message | Should -BeLike '*secret:1*no basic auth credentials*docker login*'
            $err.Exception.Message | Should -Not -BeLike "*$($private.Credential.GetNetworkCredential().Password)*"
            $env:DOCKER_CONFIG = $private.DockerConfig
            (Start-DatamancyService -Path $folder -Name one).Succeeded | Should -BeTrue
        }
        finally {
            $env:DOCKER_CONFIG = $saved
            if ($folder) { Remove-DockerProject (Get-Content (Join-Path $folder '.env') -Raw).Trim().Split('=')[1]; Remove-Item $folder -Recurse -Force }
            Stop-TestRegistry $private
        }
    }

    It 'stops with RegistryUnavailable and changes nothing when the registry is down' {
        $before = Get-RunningImage app
        $lines = @(Get-Content (Join-Path $script:Stack 'data/updates/history.jsonl')).Count
        Stop-TestProcess $script:Registry.Pid $script:Registry.Folder | Out-Null
        { Update-App -Name app -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryUnavailable,Datamancy.Commands.UpdateDatamancyServiceCommand' -ExpectedMessage '*Nothing was updated*'
        (Get-DatamancyUpdate -Path $script:Stack -Name app -ErrorVariable unavailable -ErrorAction SilentlyContinue).UpdateAvailable | Should -BeNullOrEmpty
        $unavailable[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnavailable,*'
        Get-RunningImage app | Should -Be $before
        @(Get-Content (Join-Path $script:Stack 'data/updates/history.jsonl')).Count | Should -Be $lines
    }
}
