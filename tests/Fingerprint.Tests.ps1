# Get-DatamancyFingerprint on plain stack folders: ConfigHash against the coreutils pipeline it is
# defined by, run on the same trees, and the comparison with last_pass.json. No container needed.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force

    # The pipeline documented in Get-DatamancyFingerprint's help, run in the folder.
    function Get-PipelineHash([string] $Folder) {
        $out = bash -c 'cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum' _ $Folder
        if ($LASTEXITCODE -ne 0) { throw "the coreutils pipeline failed in $Folder" }
        'sha256:' + ($out -split ' ')[0]
    }

    function New-FingerprintStack {
        $path = New-TestFolder 'dm-fingerprint'
        Set-Content (Join-Path $path 'docker-compose.yml') @"
services:
  tree:
    image: datamancy-test/busybox:1
    environment:
      TREE_PASSWORD: "`${TREE_PASSWORD:-a-secret-value}"
  empty:
    image: datamancy-test/busybox:1
"@
        Set-Content (Join-Path $path '.env') "COMPOSE_PROJECT_NAME=dmfp$([guid]::NewGuid().ToString('N').Substring(0, 10))`n"
        $path
    }

    function Write-TreeFile([string] $Root, [string] $Relative, [string] $Content) {
        $path = Join-Path $Root $Relative
        [IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($path)) | Out-Null
        [IO.File]::WriteAllText($path, $Content)
    }
}

Describe 'ConfigHash is exactly the coreutils pipeline' {
    BeforeAll {
        $script:Stack = New-FingerprintStack
        $script:Tree = Join-Path $script:Stack 'tree'
        # Names that sha256sum escapes (backslash, newline, carriage return), that sort by bytes
        # ('a b' < 'a-b' < 'a/b' < 'é'), hidden ones, empty files and a big one.
        Write-TreeFile $script:Tree 'plain.conf' "listen 80`n"
        Write-TreeFile $script:Tree 'with space/file name.yml' 'a: 1'
        Write-TreeFile $script:Tree 'a b' 'x'
        Write-TreeFile $script:Tree 'a-b' 'y'
        Write-TreeFile $script:Tree 'a/b' 'z'
        Write-TreeFile $script:Tree 'ünïcödé/日本語.txt' 'non-ASCII'
        Write-TreeFile $script:Tree 'é' 'e acute'
        Write-TreeFile $script:Tree 'back\slash' 'backslash'
        Write-TreeFile $script:Tree "new`nline" 'newline'
        Write-TreeFile $script:Tree "carriage`rreturn" 'carriage return'
        Write-TreeFile $script:Tree "all\of`nthem`r" 'everything escaped'
        Write-TreeFile $script:Tree '-starts-with-dash' 'dash'
        Write-TreeFile $script:Tree '.hidden/.env' 'HIDDEN=1'
        Write-TreeFile $script:Tree 'empty-file' ''
        $big = [byte[]]::new(9MB + 123)
        [Random]::new(3).NextBytes($big)
        [IO.File]::WriteAllBytes((Join-Path $script:Tree 'big.bin'), $big)
        # find -type f lists none of these: a symbolic link to a file, one to a folder, a FIFO.
        New-Item -ItemType SymbolicLink -Path (Join-Path $script:Tree 'link-to-file') -Target (Join-Path $script:Tree 'plain.conf') | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $script:Tree 'link-to-dir') -Target (Join-Path $script:Tree 'a') | Out-Null
        mkfifo (Join-Path $script:Tree 'a-fifo')
        New-Item -ItemType Directory -Path (Join-Path $script:Tree 'empty-folder') | Out-Null
    }
    AfterAll { Remove-Item $script:Stack -Recurse -Force }

    It 'equals the pipeline on a tree with spaces, non-ASCII, backslash, newline and carriage return in names' {
        $pipeline = Get-PipelineHash $script:Tree
        $fingerprint = Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue
        $fingerprint.ConfigHash | Should -Be $pipeline
        $fingerprint.ConfigHash | Should -Match '^sha256:[0-9a-f]{64}$'
        $fingerprint.ConfigFolder | Should -Be $script:Tree
    }

    It 'follows the pipeline when a file changes, and only then' {
        $before = (Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue).ConfigHash
        (Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue).ConfigHash | Should -Be $before
        Write-TreeFile $script:Tree "new`nline" 'changed'
        $after = (Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue).ConfigHash
        $after | Should -Not -Be $before
        $after | Should -Be (Get-PipelineHash $script:Tree)
    }

    It 'hashes a missing service folder as the pipeline does on an empty folder' {
        $emptyFolder = New-TestFolder 'dm-empty'
        try {
            $pipeline = Get-PipelineHash $emptyFolder
            $pipeline | Should -Be 'sha256:abcfa6a9d4df344d1781bc2560b5e4cdcae08b39ed303063535e7e1e926a304a'
            Test-Path (Join-Path $script:Stack 'empty') | Should -BeFalse
            (Get-DatamancyFingerprint -Path $script:Stack -Name empty -WarningAction SilentlyContinue).ConfigHash | Should -Be $pipeline
        }
        finally { Remove-Item $emptyFolder -Recurse -Force }
    }
}

Describe 'Get-DatamancyFingerprint' {
    BeforeAll { $script:Stack = New-FingerprintStack; Write-TreeFile (Join-Path $script:Stack 'tree') 'app.conf' 'a' }
    AfterAll { Remove-Item $script:Stack -Recurse -Force }

    It 'gives every part as sha256 and NeverPassed before any test' {
        $all = Get-DatamancyFingerprint -Path $script:Stack -WarningAction SilentlyContinue
        $all.Name | Should -Be @('tree', 'empty')
        foreach ($fingerprint in $all) {
            $fingerprint | Should -BeOfType ([Datamancy.FingerprintInfo])
            $fingerprint.State | Should -Be 'NeverPassed'
            $fingerprint.Changed | Should -BeNullOrEmpty
            foreach ($part in 'Fingerprint', 'ConfigHash', 'EnvHash', 'ComposeHash') { $fingerprint.$part | Should -Match '^sha256:[0-9a-f]{64}$' }
            $fingerprint.ImageDigest | Should -BeNullOrEmpty -Because 'the service has no container'
            $fingerprint.LastPassFile | Should -Be (Join-Path $script:Stack "data/tests/$($fingerprint.Name)/last_pass.json")
        }
    }

    It 'never shows an environment value, and EnvHash follows it' {
        $fingerprint = Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue
        ($fingerprint | Format-List * | Out-String) | Should -Not -Match 'a-secret-value'
        $env:TREE_PASSWORD = 'another-value'
        try { $changed = Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue }
        finally { Remove-Item Env:TREE_PASSWORD }
        $changed.EnvHash | Should -Not -Be $fingerprint.EnvHash
        $changed.ComposeHash | Should -Be $fingerprint.ComposeHash
        $changed.ConfigHash | Should -Be $fingerprint.ConfigHash
    }

    It 'takes services from Get-DatamancyService through the pipeline' {
        $piped = Get-DatamancyService -Path $script:Stack -Name empty -WarningAction SilentlyContinue | Get-DatamancyFingerprint -WarningAction SilentlyContinue
        $piped.Name | Should -Be 'empty'
        $piped.StackPath | Should -Be $script:Stack
    }

    It 'reports a name that matches no service as ServiceNotFound and goes on' {
        $result = Get-DatamancyFingerprint -Path $script:Stack -Name tree, nosuch -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $result.Name | Should -Be 'tree'
        Get-ErrorId $errs[0] | Should -Be 'ServiceNotFound'
    }

    It 'compares with a recorded pass: Fresh, then Stale naming the part that changed' {
        $now = Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue
        $record = [ordered]@{
            schemaVersion = 1; service = 'tree'; fingerprint = $now.Fingerprint
            parts = [ordered]@{ imageDigest = $now.ImageDigest; repoDigest = ''; configHash = $now.ConfigHash; envHash = $now.EnvHash; composeHash = $now.ComposeHash }
            passedAt = '2025-01-31T12:00:00+00:00'; moduleVersion = '0.1.0'; checks = @('Container')
        }
        New-Item -ItemType Directory -Path (Split-Path $now.LastPassFile) -Force | Out-Null
        $record | ConvertTo-Json -Depth 3 | Set-Content $now.LastPassFile
        $fresh = Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue
        $fresh.State | Should -Be 'Fresh'
        $fresh.LastPassedAt | Should -Be ([DateTimeOffset]'2025-01-31T12:00:00+00:00')

        Write-TreeFile (Join-Path $script:Stack 'tree') 'app.conf' 'b'
        $stale = Get-DatamancyFingerprint -Path $script:Stack -Name tree -WarningAction SilentlyContinue
        $stale.State | Should -Be 'Stale'
        $stale.Changed | Should -Be @('ConfigHash')
    }

    It 'reports a last_pass.json it cannot use as LastPassInvalid and shows the service as NeverPassed' {
        $file = Join-Path $script:Stack 'data/tests/tree/last_pass.json'
        New-Item -ItemType Directory -Path (Split-Path $file) -Force | Out-Null
        Set-Content $file '{"schemaVersion": 99}'
        $result = Get-DatamancyFingerprint -Path $script:Stack -Name tree -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $result.State | Should -Be 'NeverPassed'
        Get-ErrorId $errs[0] | Should -Be 'LastPassInvalid'
        $errs[0].Exception.Message | Should -Match 'newer than this module reads'
    }
}
