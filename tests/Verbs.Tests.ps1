# The everyday verbs of issue 12 on the real engine, with the busybox stack in tests/stacks/verbs:
# -WhatIf that reads the live state, Stop -Timeout, Get-DatamancyLog -Follow and -Since,
# Invoke-DatamancyCommand, and Get-DatamancyBackupPolicy. One project, started once, removed at the end.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $script:RepoRoot 'build/FreshPwsh.ps1')
    Import-Module $script:ModulePath -Force
    if (-not (Test-Path /var/run/docker.sock)) { throw 'No Docker engine socket: build.ps1 -Task Test starts one (tests/env/start-engine.sh).' }
    if (-not (docker image ls -q datamancy-test/busybox:1)) { throw 'The image datamancy-test/busybox:1 is missing: run tests/env/build-images.sh.' }

    $script:Path = New-TestFolder 'dm-verbs'
    Copy-Item (Join-Path $PSScriptRoot 'stacks/verbs/docker-compose.yml') $script:Path
    $script:Project = 'dmverbs' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    Set-Content (Join-Path $script:Path '.env') "COMPOSE_PROJECT_NAME=$script:Project`n"
    $started = Start-DatamancyProfile -Path $script:Path -Name verbs -Timeout 60
    if ($started.Succeeded -contains $false) { throw "The verbs stack did not start: $($started.Error)" }

    function Get-ContainerState([string] $Service) { docker inspect --format '{{.State.Status}}' "$script:Project-$Service-1" 2>$null }
    function Get-Completion([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches) }
}

AfterAll {
    Remove-DockerProject $script:Project
    Remove-Item $script:Path -Recurse -Force -ErrorAction SilentlyContinue
}

Describe '-WhatIf reads the live state (issue 12, item 7)' {
    It 'Restart-DatamancyService -WhatIf reports a service without a container as ContainerNotFound, as the real run does' {
        Restart-DatamancyService -Path $script:Path -Name idle -WhatIf -ErrorVariable dry -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $real = Restart-DatamancyService -Path $script:Path -Name idle -ErrorVariable wet -ErrorAction SilentlyContinue
        $real.Succeeded | Should -BeFalse
        $dry | Should -HaveCount 1
        Get-ErrorId $dry[0] | Should -Be 'ContainerNotFound'
        Get-ErrorId $wet[0] | Should -Be (Get-ErrorId $dry[0])
        $dry[0].Exception.Message | Should -Be $wet[0].Exception.Message
    }

    It 'Stop-DatamancyService and Stop-DatamancyProfile -WhatIf say "nothing to stop" as the real run does' {
        Stop-DatamancyService -Path $script:Path -Name idle -WhatIf -InformationVariable dry | Should -BeNullOrEmpty
        "$dry" | Should -Be "Service 'idle' has no container: nothing to stop."
        Stop-DatamancyProfile -Path $script:Path -Name idle -WhatIf -InformationVariable dryProfile | Should -BeNullOrEmpty
        "$dryProfile" | Should -Be "$dry"
        $real = Stop-DatamancyService -Path $script:Path -Name idle -InformationVariable wet
        $real.Action | Should -Be 'Unchanged'
        "$wet" | Should -Be "$dry"
    }

    It 'shows a What if line only for a change the real run would make' {
        # What if lines go to the host, so a fresh pwsh prints them where this test can read them.
        $script = @"
Import-Module '$script:ModulePath'
`$p = '$script:Path'
'[restart idle]'; Restart-DatamancyService -Path `$p -Name idle -WhatIf 2>`$null
'[stop idle]'; Stop-DatamancyService -Path `$p -Name idle -WhatIf
'[stop profile idle]'; Stop-DatamancyProfile -Path `$p -Name idle -WhatIf
'[start shell]'; Start-DatamancyService -Path `$p -Name shell -WhatIf
'[start absent]'; try { Start-DatamancyService -Path `$p -Name absent -Pull Never -WhatIf -ErrorAction Stop } catch { "error: `$(`$_.FullyQualifiedErrorId)" }
'[stop shell]'; Stop-DatamancyService -Path `$p -Name shell -WhatIf
'[end]'
"@
        $output = Invoke-FreshPwsh -EncodedCommand ([Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))) 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match '\[end\]' -Because $output
        $section = { param($Name) [regex]::Match($output, "(?s)\[$([regex]::Escape($Name))\](.*?)\r?\n\[").Groups[1].Value }
        & $section 'restart idle' | Should -Not -Match 'What if' -Because $output
        & $section 'stop idle' | Should -Not -Match 'What if' -Because $output
        & $section 'stop profile idle' | Should -Not -Match 'What if' -Because $output
        & $section 'start shell' | Should -Not -Match 'What if' -Because 'shell runs unchanged'
        & $section 'start absent' | Should -Match 'error: ImageMissing' -Because $output
        & $section 'stop shell' | Should -Match 'What if: Performing the operation "Stop" on target "shell"' -Because $output
        Get-ContainerState shell | Should -Be 'running'
    }
}

Describe 'Stop -Timeout (issue 12, item 18)' {
    It 'kills a container that ignores SIGTERM after -Timeout seconds instead of its 60 s stop_grace_period' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $stopped = Stop-DatamancyService -Path $script:Path -Name stubborn -Timeout 1
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        $stopped.Action | Should -Be 'Stop'
        $stopped.Succeeded | Should -BeTrue
        Get-ContainerState stubborn | Should -Be 'exited'
        (docker inspect --format '{{.State.ExitCode}}' "$script:Project-stubborn-1") | Should -Be 137 -Because 'it was killed, not stopped by SIGTERM'
    }

    It 'is a parameter of Stop-DatamancyProfile too, and refuses a negative value' {
        (Get-Command Stop-DatamancyProfile).Parameters['Timeout'].ParameterType | Should -Be ([Nullable[int]])
        { Stop-DatamancyService -Path $script:Path -Name stubborn -Timeout -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'says a stopped service has nothing to stop, under -WhatIf too' {
        Stop-DatamancyService -Path $script:Path -Name stubborn -WhatIf -InformationVariable said
        "$said" | Should -Be "Service 'stubborn' is not running: nothing to stop."
    }
}

Describe 'Get-DatamancyLog -Follow and -Since (issue 12, item 14)' {
    It 'streams new lines as they are written, as LogEntry objects' {
        $begun = [DateTimeOffset]::UtcNow.AddSeconds(-1)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $entries = Get-DatamancyLog -Path $script:Path -Name ticker -Follow -Tail 0 | Select-Object -First 6
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        $entries | Should -HaveCount 6
        $entries | ForEach-Object { $_ | Should -BeOfType ([Datamancy.LogEntry]) }
        $entries.Timestamp | ForEach-Object { $_ | Should -BeGreaterThan $begun }
        $entries.Stream | Sort-Object -Unique | Should -Be @('stderr', 'stdout')
        $ticks = @($entries | Where-Object Stream -EQ stdout | ForEach-Object { [int]($_.Message -replace '^tick ') })
        $ticks | Should -Be ($ticks | Sort-Object) -Because 'lines of one stream keep their order'
    }

    It 'keeps writing until stopped (Ctrl+C), and stops promptly' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $shell = [powershell]::Create($runspace)
        try {
            $shell.AddScript("Import-Module '$script:ModulePath'; Get-DatamancyLog -Path '$script:Path' -Name ticker -Follow -Tail 0") | Out-Null
            $noInput = [Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $output = [Management.Automation.PSDataCollection[psobject]]::new()
            $handle = $shell.BeginInvoke($noInput, $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ($output.Count -lt 4 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $early = $output.Count
            # (The stream collections stay open while it runs; enumerating one would wait for its end.)
            $early | Should -BeGreaterOrEqual 4 -Because "$($shell.Streams.Error.Count) error(s) were written"
            Start-Sleep -Seconds 1
            $output.Count | Should -BeGreaterThan $early -Because 'lines keep arriving while it follows'
            $handle.IsCompleted | Should -BeFalse
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $output[0] | Should -BeOfType ([Datamancy.LogEntry])
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
        }
    }

    It 'follows several services, and reports one without a container as ContainerNotFound' {
        $entries = Get-DatamancyLog -Path $script:Path -Name idle, ticker -Follow -Tail 0 -ErrorVariable problems -ErrorAction SilentlyContinue | Select-Object -First 2
        $entries | Should -HaveCount 2
        $entries.Service | Sort-Object -Unique | Should -Be 'ticker'
        $problems | Should -HaveCount 1
        Get-ErrorId $problems[0] | Should -Be 'ContainerNotFound'
    }

    It 'takes -Since as a TimeSpan: the lines of that long ago until now' {
        $now = [DateTimeOffset]::UtcNow
        $recent = @(Get-DatamancyLog -Path $script:Path -Name ticker -Since (New-TimeSpan -Seconds 2))
        $all = @(Get-DatamancyLog -Path $script:Path -Name ticker)
        $recent.Count | Should -BeGreaterThan 0
        $recent.Count | Should -BeLessThan $all.Count
        $recent.Timestamp | ForEach-Object { $_ | Should -BeGreaterThan $now.AddSeconds(-2.5) }
    }

    It 'still takes -Since as a DateTime, and refuses a negative TimeSpan' {
        $recent = @(Get-DatamancyLog -Path $script:Path -Name ticker -Since (Get-Date).AddSeconds(-2))
        $recent.Count | Should -BeGreaterThan 0
        { Get-DatamancyLog -Path $script:Path -Name ticker -Since (New-TimeSpan -Seconds -5) } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
    }
}

Describe 'Invoke-DatamancyCommand (issue 12, item 15)' {
    It 'returns output lines by stream, then the exit code on a final object' {
        $out = Invoke-DatamancyCommand -Path $script:Path -Name shell -Command sh, -c, 'echo out; echo err >&2; exit 3'
        $out | ForEach-Object { $_ | Should -BeOfType ([Datamancy.CommandOutput]) }
        $out | Should -HaveCount 3
        ($out | Where-Object Stream -EQ Stdout).Text | Should -Be 'out'
        ($out | Where-Object Stream -EQ Stderr).Text | Should -Be 'err'
        $out[-1].Stream | Should -Be 'Exit'
        $out[-1].ExitCode | Should -Be 3
        $out.Service | Sort-Object -Unique | Should -Be 'shell'
    }

    It 'runs the words as given, without a shell, also when they follow the name' {
        $out = Invoke-DatamancyCommand -Path $script:Path shell echo '$HOME' '*' '; true'
        ($out | Where-Object Stream -EQ Stdout).Text | Should -Be '$HOME * ; true'
        (Invoke-DatamancyCommand -Path $script:Path shell -- cat /etc/hostname | Select-Object -ExpandProperty Text) |
            Should -Be (docker inspect --format '{{.Config.Hostname}}' "$script:Project-shell-1")
    }

    It 'writes strings from the pipeline to standard input' {
        $out = 'first', 'second line', '' | Invoke-DatamancyCommand -Path $script:Path -Name shell -Command sh, -c, 'while IFS= read -r l; do echo "[$l]"; done'
        ($out | Where-Object Stream -EQ Stdout).Text | Should -Be @('[first]', '[second line]', '[]')
        $out[-1].ExitCode | Should -Be 0
    }

    It 'with -ErrorOnNonZero, writes CommandFailed for a non-zero exit code instead of the Exit object' {
        $out = Invoke-DatamancyCommand -Path $script:Path -Name shell -Command sh, -c, 'echo before; exit 2' -ErrorOnNonZero -ErrorVariable failed -ErrorAction SilentlyContinue
        $out.Text | Should -Be 'before'
        $out.Stream | Should -Not -Contain 'Exit'
        $failed | Should -HaveCount 1
        Get-ErrorId $failed[0] | Should -Be 'CommandFailed'
        $failed[0].Exception.Message | Should -Match "service 'shell' exited with code 2"
        Invoke-DatamancyCommand -Path $script:Path -Name shell -Command true -ErrorOnNonZero -ErrorVariable none | Should -BeNullOrEmpty
        $none | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Invoke-DatamancyCommand -Path $script:Path -Name shell -Command touch, /tmp/whatif -WhatIf | Should -BeNullOrEmpty
        (Invoke-DatamancyCommand -Path $script:Path -Name shell -Command test, -e, /tmp/whatif)[-1].ExitCode | Should -Be 1
    }

    It 'refuses an unknown service, a service without a container and a stopped one, each with its id' {
        { Invoke-DatamancyCommand -Path $script:Path -Name nope -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'ServiceNotFound,Datamancy.Commands.InvokeDatamancyCommandCommand'
        { Invoke-DatamancyCommand -Path $script:Path -Name idle -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'ContainerNotFound,Datamancy.Commands.InvokeDatamancyCommandCommand' -ExpectedMessage "*'idle'*Start-DatamancyService*"
        Get-ContainerState stubborn | Should -Be 'exited' -Because 'Stop -Timeout stopped it'
        { Invoke-DatamancyCommand -Path $script:Path -Name stubborn -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'ContainerNotRunning,Datamancy.Commands.InvokeDatamancyCommandCommand' -ExpectedMessage "*'stubborn' is not running*"
    }

    It 'completes -Name with the stack''s service names' {
        (Get-Completion "Invoke-DatamancyCommand -Path '$script:Path' -Name sh").CompletionText | Should -Be @('shell')
    }
}

Describe 'Get-DatamancyBackupPolicy (issue 12, item 16)' {
    BeforeAll {
        $script:PolicyStack = New-TestFolder 'dm-verbs-policy'
        Copy-Item (Join-Path $PSScriptRoot 'stacks/verbs/docker-compose.yml'), (Join-Path $script:Path '.env') $script:PolicyStack
    }
    AfterAll { Remove-Item $script:PolicyStack -Recurse -Force -ErrorAction SilentlyContinue }

    It 'returns the defaults for a stack without backup-policy.json' {
        $policy = Get-DatamancyBackupPolicy -Path $script:PolicyStack
        $policy | Should -BeOfType ([Datamancy.BackupPolicyInfo])
        $policy.MaxAge | Should -Be ([timespan]::FromHours(26))
        $policy.KeepDaily | Should -BeNullOrEmpty
        $policy.Schedule | Should -Be ''
        $policy.StackPath | Should -Be $script:PolicyStack
    }

    It 'returns what Set-DatamancyBackupPolicy set, its cron file included' {
        $cron = Join-Path $script:PolicyStack 'datamancy-backup'
        $set = Set-DatamancyBackupPolicy -Path $script:PolicyStack -MaxAge '2.00:00:00' -Schedule '@daily' -ScheduleFile $cron -Confirm:$false
        $got = Get-DatamancyBackupPolicy -Path $script:PolicyStack
        foreach ($property in $set.PSObject.Properties.Name) {
            $got.$property | Should -Be $set.$property -Because $property
        }
        $got.ScheduleFile | Should -Be $cron
        Set-DatamancyBackupPolicy -Path $script:PolicyStack -MaxAge '3.00:00:00' -Confirm:$false | Out-Null
        (Get-DatamancyBackupPolicy -Path $script:PolicyStack).ScheduleFile | Should -Be $cron -Because 'a call without -Schedule keeps the cron file'
    }

    It 'takes the stack from the pipeline' {
        (Get-DatamancyStack -Path $script:PolicyStack | Get-DatamancyBackupPolicy).StackPath | Should -Be $script:PolicyStack
    }

    It 'writes nothing when the stack''s backup settings are broken (validated before anything is written)' {
        $broken = New-TestFolder 'dm-verbs-policy-broken'
        try {
            Set-Content (Join-Path $broken 'docker-compose.yml') "x-datamancy-backup:`n  engine: restic`n  colour: blue`nservices:`n  web:`n    image: datamancy-test/busybox:1`n"
            { Set-DatamancyBackupPolicy -Path $broken -KeepDaily 7 -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'UnknownKey,Datamancy.Commands.SetDatamancyBackupPolicyCommand' -ExpectedMessage "*unknown key 'colour'*"
            Join-Path $broken 'backup-policy.json' | Should -Not -Exist
        }
        finally { Remove-Item $broken -Recurse -Force }
    }

    It 'refuses a policy file it cannot read, with InvalidValue' {
        Set-Content (Join-Path $script:PolicyStack 'backup-policy.json') '{ "maxAge": "soon" }'
        { Get-DatamancyBackupPolicy -Path $script:PolicyStack -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidValue,Datamancy.Commands.GetDatamancyBackupPolicyCommand' -ExpectedMessage '*backup-policy.json*Set-DatamancyBackupPolicy*'
    }
}
