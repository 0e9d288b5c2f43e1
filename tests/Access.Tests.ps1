BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'env/TestSlapd.ps1')
    Import-Module $script:ModulePath -Force
    $script:Ldap = Start-TestSlapd
    $script:Root = New-TestFolder
    $script:Stack = Join-Path $script:Root 'stack'
    New-DatamancyStack -Path $script:Stack | Out-Null
    $script:Dir = @{ Path = $script:Stack; Server = $script:Ldap.Uri; Credential = $script:Ldap.Credential }
    $script:Hostnames = (Get-DatamancyStack -Path $script:Stack).Hostnames
    foreach ($role in 'viewer', 'operator', 'admin') {
        New-DatamancyUser @Dir -Name "$role-user" -DisplayName "A $role" -Mail "$role@stack.local" -Role $role | Out-Null
    }
    New-DatamancyUser @Dir -Name 'both' -DisplayName 'Viewer and admin' -Mail both@stack.local -Role viewer, admin | Out-Null
    # The intent of the stack record, written out here, independent of configuration.yml.
    $script:Reach = @{
        admin    = 'adminer', 'mongo-express', 'portainer', 'prometheus', 'alertmanager', 'kopia', 'localai',
                   'grafana', 'mkdocs', 'librechat', 'nextcloud', 'vaultwarden', 'paperless', 'stirling-pdf', 'planka', 'outline', 'jellyfin', 'homeassistant'
        operator = 'prometheus', 'alertmanager', 'kopia', 'localai',
                   'grafana', 'mkdocs', 'librechat', 'nextcloud', 'vaultwarden', 'paperless', 'stirling-pdf', 'planka', 'outline', 'jellyfin', 'homeassistant'
        viewer   = 'grafana', 'mkdocs', 'librechat', 'nextcloud', 'vaultwarden', 'paperless', 'stirling-pdf', 'planka', 'outline', 'jellyfin', 'homeassistant'
    }
}

AfterAll {
    Stop-TestSlapd $script:Ldap
    Remove-Item $script:Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-DatamancyAccess for each role' {
    It 'agrees with the access rules for the <_> on every hostname of the Caddyfile' -ForEach 'viewer', 'operator', 'admin' {
        $role = $_
        $access = Get-DatamancyAccess @Dir -User "$role-user"
        ($access.Hostname | Sort-Object) | Should -Be ($script:Hostnames | Sort-Object)
        foreach ($entry in $access) {
            $entry | Should -BeOfType ([Datamancy.AccessInfo])
            $entry.User | Should -Be "$role-user"
            $entry.Groups | Should -Be @($role)
            $service = $entry.Hostname.Split('.')[0]
            if ($service -eq 'authelia') {
                $entry.Protected | Should -BeFalse -Because 'the portal itself is not behind forward_auth'
                $entry.Allowed | Should -BeTrue
                continue
            }
            $expected = $script:Reach[$role] -contains $service
            $entry.Protected | Should -BeTrue -Because "$($entry.Hostname) must be behind forward_auth"
            $entry.Allowed | Should -Be $expected -Because "$role on $($entry.Hostname)"
            $entry.Policy | Should -Be $(if ($expected) { 'one_factor' } else { 'deny' })
            $entry.Rule | Should -Match $(if ($expected) { '^rule \d \(.*configuration\.yml:\d+:\d+\)$' } else { '^default_policy$' })
        }
    }

    It 'unions the roles of a user in two groups' {
        $access = Get-DatamancyAccess @Dir -User both
        ($access | Where-Object { $_.Protected -and $_.Allowed }).Count | Should -Be $script:Reach.admin.Count
    }

    It 'follows a membership change' {
        (Get-DatamancyAccess @Dir -User viewer-user -Hostname prometheus.stack.local).Allowed | Should -BeFalse
        Add-DatamancyGroupMember @Dir -Group operator -User viewer-user
        (Get-DatamancyAccess @Dir -User viewer-user -Hostname prometheus.stack.local).Allowed | Should -BeTrue
        Remove-DatamancyGroupMember @Dir -Group operator -User viewer-user -Confirm:$false
        (Get-DatamancyAccess @Dir -User viewer-user -Hostname prometheus.stack.local).Allowed | Should -BeFalse
    }

    It 'takes users from the pipeline and filters hostnames with wildcards' {
        $access = Get-DatamancyUser @Dir -Name '*-user' | Get-DatamancyAccess -Credential $script:Ldap.Credential -Hostname 'p[or]*.stack.local'
        $access.Count | Should -Be 6
        ($access | Where-Object Allowed).User | Sort-Object | Should -Be @('admin-user', 'admin-user', 'operator-user')
    }

    It 'denies every protected site to a user without a group' {
        New-DatamancyUser @Dir -Name loner -DisplayName Loner -Mail loner@stack.local -Role viewer | Out-Null
        Remove-DatamancyGroupMember @Dir -Group viewer -User loner -Confirm:$false
        Get-DatamancyAccess @Dir -User loner | Where-Object { $_.Protected -and $_.Allowed } | Should -BeNullOrEmpty
    }

    It 'reports an unknown user and an unknown hostname' {
        Get-DatamancyAccess @Dir -User ghost -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $errs[0] | Should -Be 'UserNotFound'
        Get-DatamancyAccess @Dir -User admin-user -Hostname nowhere.stack.local -ErrorVariable errs2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorId $errs2[0] | Should -Be 'HostnameNotFound'
    }

    It 'shows a table grouped by user' {
        $text = Get-DatamancyAccess @Dir -User operator-user | Out-String
        $text | Should -Match 'Access of: operator-user'
        $text | Should -Match 'Policy'
    }
}

Describe 'Get-DatamancyAccess -Group, without LDAP' {
    It 'computes the same answer from groups alone, with no directory server running' {
        $port = Get-FreeLoopbackPort
        $byGroup = Get-DatamancyAccess -Path $script:Stack -Server "ldap://127.0.0.1:$port" -Group operator
        $byUser = Get-DatamancyAccess @Dir -User operator-user
        ($byGroup | ForEach-Object { "$($_.Hostname)=$($_.Policy)" }) | Should -Be ($byUser | ForEach-Object { "$($_.Hostname)=$($_.Policy)" })
        $byGroup[0].User | Should -BeNullOrEmpty
    }

    It 'warns that a group no access rule names grants nothing' {
        $access = Get-DatamancyAccess -Path $script:Stack -Group nope -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -HaveCount 1
        "$($warned[0])" | Should -Match "names the group 'nope', so it grants nothing"
        "$($warned[0])" | Should -Match 'The rules name: .*viewer'
        $access | Where-Object { $_.Protected -and $_.Allowed } | Should -BeNullOrEmpty
        Get-DatamancyAccess -Path $script:Stack -Group operator, viewer -WarningVariable quiet | Out-Null
        $quiet | Should -BeNullOrEmpty
    }

    It 'reports a rule with request conditions as conditional' {
        $custom = Join-Path $script:Root 'conditional'
        New-DatamancyStack -Path $custom | Out-Null
        $file = Join-Path $custom 'authelia/configuration.yml'
        $rule = "  rules:`n    - domain: 'grafana.stack.local'`n      policy: 'bypass'`n      resources: ['^/api/health$']`n"
        (Get-Content $file -Raw).Replace("  rules:`n", $rule) | Set-Content $file
        $grafana = Get-DatamancyAccess -Path $custom -Group viewer -Hostname grafana.stack.local
        $grafana.Policy | Should -Be 'one_factor'
        $grafana.Conditions | Should -Be @('rule 1: bypass when resources ^/api/health$')
        (Get-DatamancyAccess -Path $custom -Group nobody -Hostname grafana.stack.local -WarningAction SilentlyContinue).Conditions | Should -HaveCount 1
    }
}
