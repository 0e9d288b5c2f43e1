BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'env/TestSlapd.ps1')
    Import-Module $script:ModulePath -Force
    $script:Ldap = Start-TestSlapd -Tls
    $script:Root = New-TestFolder
    $script:Stack = Join-Path $script:Root 'stack'
    New-DatamancyStack -Path $script:Stack | Out-Null
    $script:Dir = @{ Path = $script:Stack; Server = $script:Ldap.Uri; Credential = $script:Ldap.Credential }
    $script:People = "ou=people,$($script:Ldap.BaseDn)"
    $script:Groups = "ou=groups,$($script:Ldap.BaseDn)"

    function ConvertFrom-Secure([securestring] $Secure) { [System.Net.NetworkCredential]::new('', $Secure).Password }
    function ConvertTo-Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }
    # The members of a group as the server stores them (ldapsearch, not the module).
    function Get-StoredMember([string] $Group) {
        Invoke-TestSlapdSearch $script:Ldap "(cn=$Group)" member -Base $script:Groups | Where-Object { $_ -like 'member:*' } | ForEach-Object { $_.Substring(8).Trim() }
    }
    # Every entry and value of the directory, to prove that an operation changed nothing.
    function Get-DirectoryDump { (Invoke-TestSlapdSearch $script:Ldap '(objectClass=*)' '*') -join "`n" }
    function Get-StoredPasswordHash([string] $Uid) {
        $line = Invoke-TestSlapdSearch $script:Ldap "(uid=$Uid)" userPassword -Base $script:People | Where-Object { $_ -like 'userPassword::*' }
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($line.Substring(14).Trim()))
    }
}

AfterAll {
    Stop-TestSlapd $script:Ldap
    Remove-Item $script:Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A user''s life cycle against slapd' {
    It 'creates a user and returns a generated password once, as a SecureString' {
        $user = New-DatamancyUser @Dir -Name alice -DisplayName 'Alice Liddell' -Mail alice@stack.local -Role viewer
        $user | Should -BeOfType ([Datamancy.UserInfo])
        $user.DistinguishedName | Should -Be "uid=alice,$script:People"
        $user.Roles | Should -Be @('viewer')
        $user.Server | Should -Be $script:Ldap.Uri
        $user.Password | Should -BeOfType ([securestring])
        $script:AlicePassword = ConvertFrom-Secure $user.Password
        $script:AlicePassword | Should -Match '^[A-Za-z0-9]{24}$'
        Test-TestSlapdBind $script:Ldap $user.DistinguishedName $script:AlicePassword | Should -BeTrue
        Get-StoredMember viewer | Should -Contain "uid=alice,$script:People"
    }

    It 'lets slapd hash the password itself (RFC 3062), never storing it in clear' {
        $hash = Get-StoredPasswordHash alice
        $hash | Should -BeLike '{SSHA}*'
        $hash | Should -Not -Match ([regex]::Escape($script:AlicePassword))
    }

    It 'finds users by exact name, wildcard and role, with the password left out' {
        $found = Get-DatamancyUser @Dir -Name alice
        $found.DisplayName | Should -Be 'Alice Liddell'
        $found.Mail | Should -Be 'alice@stack.local'
        $found.Groups | Should -Be @('viewer')
        $found.Password | Should -BeNullOrEmpty
        (Get-DatamancyUser @Dir -Name 'AL*').Name | Should -Be 'alice'
        (Get-DatamancyUser @Dir -Role viewer).Name | Should -Contain 'alice'
        Get-DatamancyUser @Dir -Role admin | Should -BeNullOrEmpty
    }

    It 'reports an unknown exact name as a non-terminating UserNotFound' {
        $found = Get-DatamancyUser @Dir -Name nobody, alice -ErrorVariable errs -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'alice'
        Get-ErrorId $errs[0] | Should -Be 'UserNotFound'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a second user with the same name, changing nothing' {
        $before = Get-DirectoryDump
        { New-DatamancyUser @Dir -Name alice -DisplayName X -Mail x@stack.local -Role admin -ErrorAction Stop } |
            Should -Throw -ErrorId 'UserExists,Datamancy.Commands.NewDatamancyUserCommand'
        Get-DirectoryDump | Should -BeExactly $before
    }

    It 'changes display name, mail and roles' {
        $changed = Set-DatamancyUser @Dir -Name alice -DisplayName 'Alice L.' -Mail al@stack.local -Role operator -PassThru
        $changed.DisplayName | Should -Be 'Alice L.'
        $changed.Mail | Should -Be 'al@stack.local'
        $changed.Roles | Should -Be @('operator')
        $stored = Invoke-TestSlapdSearch $script:Ldap '(uid=alice)' displayName, mail, cn -Base $script:People
        $stored | Should -Contain 'displayName: Alice L.'
        $stored | Should -Contain 'mail: al@stack.local'
        $stored | Should -Contain 'cn: Alice L.'
        Get-StoredMember viewer | Should -Not -Contain "uid=alice,$script:People"
        Get-StoredMember operator | Should -Contain "uid=alice,$script:People"
    }

    It 'resets the password: the new one binds, the old one does not' {
        $reset = Reset-DatamancyUserPassword @Dir -Name alice
        $new = ConvertFrom-Secure $reset.Password
        $new | Should -Not -Be $script:AlicePassword
        Test-TestSlapdBind $script:Ldap "uid=alice,$script:People" $new | Should -BeTrue
        Test-TestSlapdBind $script:Ldap "uid=alice,$script:People" $script:AlicePassword | Should -BeFalse
        Get-StoredPasswordHash alice | Should -BeLike '{SSHA}*'
    }

    It 'sets a given password without returning it, and refuses a short one' {
        Reset-DatamancyUserPassword @Dir -Name alice -Password (ConvertTo-Secure 'Tea-Party-At-Six-1865') | Should -BeNullOrEmpty
        Test-TestSlapdBind $script:Ldap "uid=alice,$script:People" 'Tea-Party-At-Six-1865' | Should -BeTrue
        Reset-DatamancyUserPassword @Dir -Name alice -Password (ConvertTo-Secure 'short') -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorId $errs[0] | Should -Be 'PasswordTooWeak'
        Test-TestSlapdBind $script:Ldap "uid=alice,$script:People" 'Tea-Party-At-Six-1865' | Should -BeTrue
    }

    It 'lets the user bind with its own name as -Credential' {
        $own = [pscredential]::new('alice', (ConvertTo-Secure 'Tea-Party-At-Six-1865'))
        (Get-DatamancyUser -Path $script:Stack -Server $script:Ldap.Uri -Credential $own -Name alice).Name | Should -Be 'alice'
    }

    It 'adds and removes group members both ways' {
        Add-DatamancyGroupMember @Dir -Group admin -User alice
        (Get-DatamancyGroup @Dir -Name admin).Members | Should -Contain 'alice'
        (Get-DatamancyUser @Dir -Name alice).Groups | Should -Be @('admin', 'operator')
        Add-DatamancyGroupMember @Dir -Group admin -User alice
        @(Get-StoredMember admin | Where-Object { $_ -eq "uid=alice,$script:People" }).Count | Should -Be 1
        Remove-DatamancyGroupMember @Dir -Group admin -User alice -Confirm:$false
        (Get-DatamancyGroup @Dir -Name admin).Members | Should -Not -Contain 'alice'
        Get-StoredMember admin | Should -Not -Contain "uid=alice,$script:People"
    }

    It 'takes users from the pipeline: Get-DatamancyUser -Role viewer | Add-DatamancyGroupMember -Group operator' {
        foreach ($name in 'bob', 'carol') {
            New-DatamancyUser @Dir -Name $name -DisplayName $name -Mail "$name@stack.local" -Role viewer | Out-Null
        }
        # Path and Server come from the piped UserInfo objects; only the credential is given again.
        Get-DatamancyUser @Dir -Role viewer | Add-DatamancyGroupMember -Group operator -Credential $script:Ldap.Credential
        (Get-DatamancyGroup @Dir -Name operator).Members | Should -Be @('alice', 'bob', 'carol')
    }

    It 'keeps a group valid when its last member leaves' {
        Add-TestSlapdEntry $script:Ldap "dn: cn=solo,$script:Groups`nobjectClass: groupOfNames`ncn: solo`nmember: uid=alice,$script:People`n"
        (Get-DatamancyGroup @Dir -Name solo).Members | Should -Be @('alice')
        Remove-DatamancyGroupMember @Dir -Group solo -User alice -Confirm:$false
        Get-StoredMember solo | Should -Be @($script:Ldap.AdminDn)
        (Get-DatamancyGroup @Dir -Name solo).MemberCount | Should -Be 0
        (Get-DatamancyGroup @Dir -Name solo).IsRole | Should -BeFalse
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-DirectoryDump
        New-DatamancyUser @Dir -Name dave -DisplayName Dave -Mail dave@stack.local -Role admin -WhatIf
        Set-DatamancyUser @Dir -Name alice -Mail other@stack.local -WhatIf
        Reset-DatamancyUserPassword @Dir -Name alice -WhatIf
        Add-DatamancyGroupMember @Dir -Group admin -User alice -WhatIf
        Remove-DatamancyGroupMember @Dir -Group operator -User alice -WhatIf
        Remove-DatamancyUser @Dir -Name alice -WhatIf
        Get-DirectoryDump | Should -BeExactly $before
    }

    It 'removes a user and takes it out of every group' {
        Add-DatamancyGroupMember @Dir -Group admin, viewer -User alice
        Remove-DatamancyUser @Dir -Name alice -Confirm:$false
        Invoke-TestSlapdSearch $script:Ldap "(member=uid=alice,$script:People)" dn | Should -BeNullOrEmpty
        Invoke-TestSlapdSearch $script:Ldap '(uid=alice)' dn -Base $script:People | Should -BeNullOrEmpty
        { Get-DatamancyUser @Dir -Name alice -ErrorAction Stop } | Should -Throw -ErrorId 'UserNotFound,Datamancy.Commands.GetDatamancyUserCommand'
        (Get-DatamancyGroup @Dir -Name operator).Members | Should -Be @('bob', 'carol')
    }

    It 'runs LDAP through the Linux build of System.DirectoryServices.Protocols in the module''s own load context' {
        $loaded = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'Datamancy' |
            ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq 'System.DirectoryServices.Protocols' }
        $loaded | Should -HaveCount 1
        $loaded.Location | Should -BeLike ([IO.Path]::Combine((Split-Path $script:ModulePath), 'dependencies', 'runtimes', 'linux', 'lib', 'net8.0', '*'))
    }

    It 'completes role names from the stack''s access rules' {
        $line = "Get-DatamancyUser -Path '$script:Stack' -Role op"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('operator')
        $line = "Add-DatamancyGroupMember -Path '$script:Stack' -Group "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Sort-Object | Should -Be @('admin', 'operator', 'viewer')
    }

    It 'shows users and groups as tables' {
        (Get-DatamancyUser @Dir | Out-String) | Should -Match 'Roles'
        (Get-DatamancyGroup @Dir | Out-String) | Should -Match 'Members'
    }
}

Describe 'Hostile names' {
    BeforeAll {
        # Entries the module would refuse to create, made with ldapadd; each RDN written with hex escapes.
        $script:Odd = @(
            @{ Value = 'star*'; Rdn = 'uid=star*' }
            @{ Value = 'par)(en'; Rdn = 'uid=par)(en' }
            @{ Value = 'back\slash'; Rdn = 'uid=back\5cslash' }
            @{ Value = '#hash'; Rdn = 'uid=\23hash' }
            @{ Value = 'com,ma'; Rdn = 'uid=com\2cma' }
            @{ Value = 'josé'; Rdn = 'uid=jos\c3\a9' }
            @{ Value = 'plus+eq='; Rdn = 'uid=plus\2beq\3d' }
        )
        foreach ($odd in $script:Odd) {
            $dn = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($odd.Rdn),$script:People"))
            $uid = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($odd.Value))
            Add-TestSlapdEntry $script:Ldap "dn:: $dn`nobjectClass: inetOrgPerson`nuid:: $uid`ncn: odd`nsn: odd`ndisplayName: odd`nmail: odd@stack.local`n"
        }
        Add-DatamancyGroupMember @Dir -Group viewer -User 'com,ma'
    }

    It 'refuses <_> as a new user name and creates nothing' -ForEach @('*', ')(', '*)(uid=*', '\', "a`0b", '#lead', 'a,b', 'jöra', 'UPPER') {
        $before = Get-DirectoryDump
        New-DatamancyUser @Dir -Name $_ -DisplayName Evil -Mail evil@stack.local -Role admin -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorId $errs[0] | Should -Be 'InvalidUserName'
        $errs[0].Exception.Message | Should -Not -Match "`0"
        Get-DirectoryDump | Should -BeExactly $before
    }

    It 'finds, changes and removes exactly the entry named <Value>' -ForEach @(
        @{ Value = 'star*' }, @{ Value = 'par)(en' }, @{ Value = 'back\slash' }, @{ Value = '#hash' }, @{ Value = 'com,ma' }, @{ Value = 'josé' }, @{ Value = 'plus+eq=' }
    ) {
        $all = @(Get-DatamancyUser @Dir)
        $found = @(Get-DatamancyUser @Dir -Name ([WildcardPattern]::Escape($Value)))
        $found.Count | Should -Be 1
        $found[0].Name | Should -BeExactly $Value
        $changed = Set-DatamancyUser @Dir -Name $Value -DisplayName "Renamed $Value" -PassThru
        $changed.DistinguishedName | Should -Be $found[0].DistinguishedName
        @(Get-DatamancyUser @Dir | Where-Object DisplayName -like 'Renamed*').Name | Should -Be @($Value)
        Remove-DatamancyUser @Dir -Name $Value -Confirm:$false
        @(Get-DatamancyUser @Dir).Count | Should -Be ($all.Count - 1)
        Get-DatamancyUser @Dir | Where-Object Name -eq $Value | Should -BeNullOrEmpty
    }

    It 'left the groups of a removed odd user too' {
        Get-StoredMember viewer | Where-Object { $_ -like '*com*ma*' } | Should -BeNullOrEmpty
    }

    It 'matches nothing and changes nothing for <_> in any cmdlet' -ForEach @('*)(uid=*', ')(', '*', '\2a', 'bob)(objectClass=*') {
        $before = Get-DirectoryDump
        $name = $_
        if ($name -ne '*') { Get-DatamancyUser @Dir -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty }
        Set-DatamancyUser @Dir -Name $name -Mail x@stack.local -ErrorVariable e1 -ErrorAction SilentlyContinue
        Reset-DatamancyUserPassword @Dir -Name $name -ErrorVariable e2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Add-DatamancyGroupMember @Dir -Group admin -User $name -ErrorVariable e3 -ErrorAction SilentlyContinue
        Remove-DatamancyGroupMember @Dir -Group viewer -User $name -Confirm:$false -ErrorVariable e4 -ErrorAction SilentlyContinue
        Remove-DatamancyUser @Dir -Name $name -Confirm:$false -ErrorVariable e5 -ErrorAction SilentlyContinue
        foreach ($errs in $e1, $e2, $e3, $e4, $e5) { Get-ErrorId $errs[0] | Should -Be 'UserNotFound' }
        Get-DirectoryDump | Should -BeExactly $before
    }

    It 'refuses a NUL in a name to look up' {
        Get-DatamancyUser @Dir -Name "bob`0" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $errs[0] | Should -Be 'InvalidUserName'
    }

    It 'refuses an unknown group with GroupNotFound' {
        Add-DatamancyGroupMember @Dir -Group '*)(cn=*' -User bob -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorId $errs[0] | Should -Be 'GroupNotFound'
        { New-DatamancyUser @Dir -Name erin -DisplayName Erin -Mail erin@stack.local -Role nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'GroupNotFound,Datamancy.Commands.NewDatamancyUserCommand'
    }
}

Describe 'Connection errors and TLS' {
    It 'reports wrong credentials as DirectoryAuthenticationFailed, without the password' {
        $wrong = [pscredential]::new($script:Ldap.AdminDn, (ConvertTo-Secure 'Wrong-Password-1234'))
        $err = { Get-DatamancyUser -Path $script:Stack -Server $script:Ldap.Uri -Credential $wrong -ErrorAction Stop } |
            Should -Throw -ErrorId 'DirectoryAuthenticationFailed,Datamancy.Commands.GetDatamancyUserCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -Not -Match 'Wrong-Password-1234'
        $err.Exception.Message | Should -Match ([regex]::Escape($script:Ldap.AdminDn))
    }

    It 'reports a server that does not answer as DirectoryUnreachable, naming it' {
        $port = Get-FreeLoopbackPort
        $err = { Get-DatamancyGroup -Path $script:Stack -Server "ldap://127.0.0.1:$port" -Credential $script:Ldap.Credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'DirectoryUnreachable,Datamancy.Commands.GetDatamancyGroupCommand' -PassThru
        $err.Exception.Message | Should -Match "ldap://127\.0\.0\.1:$port"
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'refuses a server that is not an LDAP URI' {
        { Get-DatamancyGroup -Path $script:Stack -Server 'http://127.0.0.1' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDirectoryServer,Datamancy.Commands.GetDatamancyGroupCommand'
    }

    It 'uses the port the compose file publishes and LDAP_ADMIN_PASSWORD from .env without -Server and -Credential' {
        $own = Join-Path $script:Root 'published'
        New-DatamancyStack -Path $own | Out-Null
        $compose = Join-Path $own 'docker-compose.yml'
        (Get-Content $compose -Raw).Replace('"127.0.0.1:389:389"', "`"127.0.0.1:$($script:Ldap.Port):389`"") | Set-Content $compose
        $env = Join-Path $own '.env'
        (Get-Content $env) -replace '^LDAP_ADMIN_PASSWORD=.*$', "LDAP_ADMIN_PASSWORD=$($script:Ldap.AdminPassword)" | Set-Content $env
        $groups = Get-DatamancyGroup -Path $own -Verbose 4>&1
        ($groups | Where-Object { $_ -is [Datamancy.GroupInfo] }).Name | Should -Be @('admin', 'operator', 'solo', 'viewer')
        ($groups | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Binding to ldap://127.0.0.1:$($script:Ldap.Port) as $($script:Ldap.AdminDn)."
        (Get-Content $env) -replace '^LDAP_ADMIN_PASSWORD=.*$', 'LDAP_ADMIN_PASSWORD=not-the-password' | Set-Content $env
        { Get-DatamancyGroup -Path $own -ErrorAction Stop } | Should -Throw -ErrorId 'DirectoryAuthenticationFailed,Datamancy.Commands.GetDatamancyGroupCommand'
    }

    It 'validates the certificate with StartTLS: the right CA passes' {
        (Get-DatamancyGroup -Path $script:Stack -Server $script:Ldap.Uri -StartTls -CaCertificate $script:Ldap.CaCertificate -Credential $script:Ldap.Credential).Count | Should -BeGreaterThan 2
        (Get-DatamancyGroup -Path $script:Stack -Server $script:Ldap.LdapsUri -CaCertificate $script:Ldap.CaCertificate -Credential $script:Ldap.Credential).Count | Should -BeGreaterThan 2
    }

    It 'fails with DirectoryTlsFailed for <Case>' -ForEach @(
        @{ Case = 'no CA given'; Uri = 'Uri'; Ca = $null }
        @{ Case = 'another CA'; Uri = 'Uri'; Ca = 'OtherCaCertificate' }
        @{ Case = 'an address the certificate does not name'; Uri = 'MismatchUri'; Ca = 'CaCertificate' }
        @{ Case = 'ldaps without the CA'; Uri = 'LdapsUri'; Ca = $null }
    ) {
        $parameters = @{ Path = $script:Stack; Server = $script:Ldap.$Uri; Credential = $script:Ldap.Credential; StartTls = $true }
        if ($Ca) { $parameters.CaCertificate = $script:Ldap.$Ca }
        { Get-DatamancyGroup @parameters -ErrorAction Stop } | Should -Throw -ErrorId 'DirectoryTlsFailed,Datamancy.Commands.GetDatamancyGroupCommand'
    }

    It 'says so when the server offers no StartTLS' {
        $plain = Start-TestSlapd
        try {
            $err = { Get-DatamancyGroup -Path $script:Stack -Server $plain.Uri -StartTls -Credential $plain.Credential -ErrorAction Stop } |
                Should -Throw -ErrorId 'DirectoryTlsFailed,Datamancy.Commands.GetDatamancyGroupCommand' -PassThru
            $err.Exception.Message | Should -Match 'does not offer StartTLS'
        }
        finally { Stop-TestSlapd $plain }
    }
}

Describe 'No password reaches output, verbose, debug or errors' {
    It 'keeps every password out of every stream' {
        $given = 'Given-Secret-Password-42'
        $records = & {
            New-DatamancyUser @Dir -Name frank -DisplayName Frank -Mail frank@stack.local -Role viewer -Verbose -Debug
            Reset-DatamancyUserPassword @Dir -Name frank -Verbose -Debug
            Reset-DatamancyUserPassword @Dir -Name frank -Password (ConvertTo-Secure $given) -PassThru -Verbose -Debug
            Reset-DatamancyUserPassword @Dir -Name frank -Password (ConvertTo-Secure 'short') -Verbose -ErrorAction Continue
            Get-DatamancyUser @Dir -Name frank -Verbose
            try { Get-DatamancyUser -Path $script:Stack -Server $script:Ldap.Uri -Credential ([pscredential]::new('frank', (ConvertTo-Secure 'Wrong-Frank-Pass'))) -ErrorAction Stop }
            catch { $_ }
        } *>&1
        $generated = $records | Where-Object { $_ -is [Datamancy.UserInfo] -and $_.Password } | ForEach-Object { ConvertFrom-Secure $_.Password }
        $generated.Count | Should -Be 2
        $text = ($records | ForEach-Object { $_ | Format-List * -Force | Out-String }) -join "`n"
        $text += ($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.Exception.ToString() }) -join "`n"
        $text | Should -Match 'frank'
        foreach ($secret in @($generated) + $given + 'short' + 'Wrong-Frank-Pass' + $script:Ldap.AdminPassword) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
        Test-TestSlapdBind $script:Ldap "uid=frank,$script:People" $given | Should -BeTrue
    }
}

Describe 'The help examples of the directory cmdlets' {
    BeforeDiscovery {
        $script:Examples = foreach ($name in 'New-DatamancyUser', 'Get-DatamancyUser', 'Set-DatamancyUser', 'Reset-DatamancyUserPassword', 'Get-DatamancyGroup',
            'Add-DatamancyGroupMember', 'Remove-DatamancyGroupMember', 'Get-DatamancyAccess', 'Remove-DatamancyUser') {
            $number = 0
            foreach ($match in [regex]::Matches((Get-Content (Join-Path $PSScriptRoot "../en-US/$name.md") -Raw), '(?s)```powershell\n(.*?)\n```')) {
                $number++
                # Examples that prompt (Read-Host, Get-Credential, -Confirm) or name another host cannot run unattended.
                if ($match.Groups[1].Value -notmatch 'Read-Host|Get-Credential|-Confirm \||ldap\.example\.com') {
                    @{ Name = $name; Number = $number; Code = $match.Groups[1].Value }
                }
            }
        }
    }

    BeforeAll {
        $script:ExampleLdap = Start-TestSlapd
        $script:ExampleStack = Join-Path $script:Root 'examples'
        New-DatamancyStack -Path $script:ExampleStack | Out-Null
        "Name,DisplayName,Mail,Role`ncarol,Carol C,carol@example.com,viewer`ndan,Dan D,dan@example.com,operator" | Set-Content (Join-Path $script:ExampleStack 'people.csv')
        $script:SavedDefaults = $PSDefaultParameterValues.Clone()
        $script:SavedStack = $env:DATAMANCY_STACK
        $env:DATAMANCY_STACK = $script:ExampleStack
        $PSDefaultParameterValues['*-Datamancy*:Server'] = $script:ExampleLdap.Uri
        $PSDefaultParameterValues['*-Datamancy*:Credential'] = $script:ExampleLdap.Credential
        $PSDefaultParameterValues['*-Datamancy*:Confirm'] = $false
        Push-Location $script:ExampleStack
        foreach ($name in 'bob', 'test-1') {
            New-DatamancyUser -Name $name -DisplayName $name -Mail "$name@example.com" -Role viewer | Out-Null
        }
    }

    AfterAll {
        Pop-Location
        $PSDefaultParameterValues.Clear()
        foreach ($key in $script:SavedDefaults.Keys) { $PSDefaultParameterValues[$key] = $script:SavedDefaults[$key] }
        $env:DATAMANCY_STACK = $script:SavedStack
        Stop-TestSlapd $script:ExampleLdap
    }

    It '<Name> example <Number> runs without an error' -ForEach $script:Examples {
        { $ErrorActionPreference = 'Stop'; $null = Invoke-Expression $Code } | Should -Not -Throw
    }
}
