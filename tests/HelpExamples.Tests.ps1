# Every help example that needs only a stack folder runs as written, verbatim, and raises no error.
#
# What an example needs beyond the files of a stack folder is written in its markdown, after the
# language of its code block (```powershell needs=engine,prompt), and reviewed with the example:
#   engine      a Docker engine that runs the stack (live state, logs, starts and stops)
#   ldap        the stack's directory server
#   repository  a backup repository
#   system      changes the machine outside the stack folder (/etc, sudo, systemd)
#   prompt      asks for input (Read-Host, Get-Credential, a confirmation)
#   emptyhome   runs in a home folder without ~/datamancy (it creates that stack itself)
# Every other example runs in its own runspace with a temp home folder as ~, $HOME and the current
# folder, ~/datamancy made by New-DatamancyStack and named by $env:DATAMANCY_STACK, and no engine
# ($env:DOCKER_HOST names a socket that does not exist). Select-Object, Format-*, Sort-Object,
# Where-Object and Group-Object are wrapped to fail on a property name the input object lacks,
# which PowerShell itself lets pass silently.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../build/HelpBuilder.ps1')
    $script:KnownNeeds = 'engine', 'ldap', 'repository', 'system', 'prompt', 'emptyhome'
    $script:Examples = foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot '../en-US') -Filter *.md | Where-Object Name -NotLike 'about_*' | Sort-Object Name) {
        $help = ConvertFrom-HelpMarkdown -Path $file.FullName
        $number = 0
        foreach ($example in $help.Examples) {
            $number++
            @{ Command = $help.Name; Number = $number; Code = $example.Code; Needs = $example.Needs; KnownNeeds = $script:KnownNeeds }
        }
    }
    $script:Runnable = $script:Examples | Where-Object { -not ($_.Needs | Where-Object { $_ -ne 'emptyhome' }) }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force

    # Defines, in the example's runspace, the wrappers that refuse a property name the input object lacks.
    $script:PropertyCheck = {
        function Assert-ExampleProperty($InputObject, [hashtable] $Bound, [string] $Command) {
            if ($null -eq $InputObject) { return }
            $names = @($Bound['Property']) + @($Bound['ExpandProperty']) |
                Where-Object { $_ -is [string] -and -not [WildcardPattern]::ContainsWildcardCharacters($_) }
            foreach ($name in $names) {
                if ($null -eq $InputObject.PSObject.Properties[$name]) {
                    throw "$Command names the property '$name', which $($InputObject.GetType().FullName) does not have."
                }
            }
        }
        foreach ($name in 'Select-Object', 'Format-Table', 'Format-List', 'Sort-Object', 'Where-Object', 'Group-Object') {
            $proxy = [System.Management.Automation.ProxyCommand]::Create([System.Management.Automation.CommandMetadata]::new((Get-Command "Microsoft.PowerShell.Utility\$name", "Microsoft.PowerShell.Core\$name" -ErrorAction Ignore)))
            $check = "Assert-ExampleProperty `$_ `$PSBoundParameters '$name'; `$steppablePipeline.Process(`$_)"
            Set-Item "function:global:$name" ([scriptblock]::Create($proxy.Replace('$steppablePipeline.Process($_)', $check)))
        }
    }

    # Runs one example verbatim in a runspace of its own whose home is $HomeFolder; returns its output and errors.
    function Invoke-HelpExample([string] $Code, [string] $HomeFolder) {
        $saved = $env:HOME
        $env:HOME = $HomeFolder # read when the runspace opens: ~ and $HOME
        try {
            $state = [initialsessionstate]::CreateDefault2()
            $state.ImportPSModule($script:ModulePath)
            $runspace = [runspacefactory]::CreateRunspace($state)
            $runspace.Open()
        }
        finally { $env:HOME = $saved }
        $shell = [powershell]::Create($runspace)
        try {
            $runspace.SessionStateProxy.Path.SetLocation($HomeFolder) | Out-Null
            $shell.AddScript($script:PropertyCheck.ToString()).Invoke() | Out-Null
            $shell.Commands.Clear()
            $failure = $null
            $output = try { $shell.AddScript($Code).AddCommand('Out-String').Invoke() } catch { $failure = $_.Exception.InnerException ?? $_.Exception }
            [pscustomobject]@{
                Output = $output -join ''
                Errors = @(@($shell.Streams.Error | ForEach-Object { "$_" }) + @($failure | Where-Object { $_ } | ForEach-Object Message))
            }
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
        }
    }
}

Describe 'Help example markers' {
    It '<Command> example <Number> names only known needs' -ForEach $script:Examples {
        @($Needs | Where-Object { $_ -notin $KnownNeeds }) | Should -BeNullOrEmpty
    }
}

Describe 'Help examples that need only a stack folder' {
    BeforeAll {
        $script:SavedStack = $env:DATAMANCY_STACK
        $script:SavedDockerHost = Hide-DockerEngine ([IO.Path]::GetTempPath())
    }
    AfterAll {
        [Environment]::SetEnvironmentVariable('DATAMANCY_STACK', $script:SavedStack)
        Restore-DockerHost $script:SavedDockerHost
    }
    BeforeEach {
        $script:ExampleHome = New-TestFolder 'dm-example'
        $env:DATAMANCY_STACK = $null
    }
    AfterEach {
        Remove-Item $script:ExampleHome -Recurse -Force -ErrorAction SilentlyContinue
    }

    It '<Command> example <Number> runs as written' -ForEach $script:Runnable {
        if ('emptyhome' -notin $Needs) {
            $env:DATAMANCY_STACK = (New-DatamancyStack -Path (Join-Path $script:ExampleHome 'datamancy')).Path
        }
        $result = Invoke-HelpExample -Code $Code -HomeFolder $script:ExampleHome
        $result.Errors | Should -BeNullOrEmpty -Because "the example is`n$Code`nand wrote`n$($result.Output)"
    }
}
