# The views of Datamancy.Format.ps1xml as an admin sees them, at 80 and 120 columns, with no engine.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
    $script:Root = New-TestFolder 'dm-views'
    $script:Stack = (New-DatamancyStack -Path (Join-Path $script:Root 'stack')).Path
    $script:SavedDockerHost = Hide-DockerEngine $script:Root

    # Text rendered at a width; a cell PowerShell cuts off ends with '…'.
    function Show-AtWidth([object[]] $InputObject, [int] $Width) { $InputObject | Out-String -Width $Width }
    function Get-Line([string] $Text, [string] $Pattern) { @($Text -split "`n" | Where-Object { $_ -match $Pattern }) }
}

AfterAll {
    Restore-DockerHost $script:SavedDockerHost
    Remove-Item $script:Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Datamancy.Format.ps1xml' {
    BeforeDiscovery {
        $format = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../src/Datamancy/Datamancy.Format.ps1xml'))
        $script:Views = foreach ($view in $format.Configuration.ViewDefinitions.View) {
            $labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label) + @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem.Label)
            $properties = @($view.SelectNodes('.//PropertyName').'#text')
            @{ View = $view.Name; TypeName = $view.ViewSelectedBy.TypeName; Labels = @($labels | Where-Object { $_ }); Properties = $properties }
        }
    }

    It '<View> labels its columns with property names of <TypeName>, so that what is seen can be filtered on' -ForEach $script:Views {
        $type = $TypeName -as [type]
        $type | Should -Not -BeNullOrEmpty
        foreach ($name in $Labels + $Properties) {
            $type.GetProperty($name) | Should -Not -BeNullOrEmpty -Because "$View shows '$name'"
        }
    }
}

Describe 'Get-DatamancyService view' {
    BeforeAll {
        $script:Services = Get-DatamancyService -Path $script:Stack -WarningAction SilentlyContinue
    }

    It 'shows Name, State, Health, Hostname and Ports whole at 120 columns' {
        $text = Show-AtWidth $script:Services 120
        Get-Line $text '^Name\s+State\s+Health\s+Hostname\s+Ports\s+Image' | Should -Not -BeNullOrEmpty
        foreach ($service in $script:Services) {
            $cells = [regex]::Escape($service.Name) + '(\s\(job\))?\s+' + [regex]::Escape($service.State) + '\s+' + [regex]::Escape($service.Health) + '\s+' +
                [regex]::Escape($service.Hostname) + '\s+' + [regex]::Escape($service.Ports -join ', ') + '(\s|$)'
            Get-Line $text "^$cells" | Should -HaveCount 1 -Because "$($service.Name) shows its hostname and ports whole"
        }
    }

    It 'shows Name, State, Health and Hostname whole at 80 columns' {
        $text = Show-AtWidth $script:Services 80
        Get-Line $text '^Name\s+State\s+Health\s+Hostname' | Should -Not -BeNullOrEmpty
        foreach ($service in $script:Services) {
            $cells = [regex]::Escape($service.Name) + '(\s\(job\))?\s+' + [regex]::Escape($service.State) + '\s+' + [regex]::Escape($service.Health) + '\s+' + [regex]::Escape($service.Hostname) + '(\s|$)'
            Get-Line $text "^$cells" | Should -HaveCount 1 -Because "$($service.Name) shows its hostname whole"
        }
        ($text -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 80
    }
}

Describe 'Get-DatamancyProfile view' {
    It 'heads its columns with ServiceCount, Running and Healthy, the properties a filter uses' {
        $text = Show-AtWidth (Get-DatamancyProfile -Path $script:Stack -WarningAction SilentlyContinue) 120
        Get-Line $text '^Name\s+ServiceCount\s+Running\s+Healthy\s+Services' | Should -HaveCount 1
        Get-Line $text '^datastores\s+8\s+\?\s+\?\s+mariadb' | Should -HaveCount 1
    }
}

Describe 'Get-DatamancyFingerprint view' {
    It 'shows the image digest under ImageDigest and no state word there' {
        $fingerprints = Get-DatamancyFingerprint -Path $script:Stack -Name caddy, grafana -WarningAction SilentlyContinue
        $text = Show-AtWidth $fingerprints 120
        Get-Line $text '^Name\s+State\s+Changed\s+LastPassedAt\s+ImageDigest' | Should -HaveCount 1
        $text | Should -Not -Match 'NotRunning'
        Get-Line $text '^caddy\s+NeverPassed\s*$' | Should -HaveCount 1
    }
}

Describe 'Test-DatamancySecurity views' {
    BeforeAll {
        $script:Findings = @(Test-DatamancySecurity -Path $script:Stack)
        $script:Excepted = @($script:Findings | Where-Object Exception)
    }

    It 'finds something to show on the bundled stack, some of it excepted' {
        $script:Findings.Count | Should -BeGreaterThan 5
        $script:Excepted.Count | Should -BeGreaterThan 0
    }

    It 'shows every Message, Remediation and Exception whole at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Show-AtWidth $script:Findings $Width
        $text | Should -Not -Match '…'
        # A list wraps long values onto indented lines: compare without white space.
        $flat = $text -replace '\s'
        foreach ($finding in $script:Findings) {
            foreach ($value in $finding.Message, $finding.Remediation, $finding.Exception) {
                $flat.Contains(($value -replace '\s')) | Should -BeTrue -Because "'$value' must not be cut off"
            }
        }
        Get-Line $text '^Remediation\s+:' | Should -HaveCount $script:Findings.Count
        Get-Line $text '^Exception\s+:' | Should -HaveCount $script:Excepted.Count
    }

    It 'marks the excepted findings before the message in the table that Format-Table shows' {
        $text = Show-AtWidth ($script:Findings | Format-Table) 80
        Get-Line $text '^Severity\s+RuleId\s+Service\s+Source\s+Exception\s+Message' | Should -HaveCount 1
        Get-Line $text '^\w+\s+DMS\d{3}\s+.*\sexcepted\s' | Should -HaveCount $script:Excepted.Count
    }
}

Describe 'Get-DatamancyAccess view' {
    It 'says why a hostname outside forward_auth is allowed although the policy is deny' {
        $access = Get-DatamancyAccess -Path $script:Stack -Group admin
        $portal = $access | Where-Object { -not $_.Protected }
        $portal | Should -Not -BeNullOrEmpty
        $portal[0].Policy | Should -Be 'deny'
        $portal[0].Allowed | Should -BeTrue
        $portal[0].Reason | Should -Match 'not behind forward_auth'
        $text = Show-AtWidth $access 120
        Get-Line $text '^Hostname\s+Allowed\s+Policy\s+Reason\s+Conditions' | Should -HaveCount 1
        Get-Line $text "^$([regex]::Escape($portal[0].Hostname))\s+True\s+deny\s+not behind forward_auth: Authelia is not asked" | Should -HaveCount 1
    }

    It 'gives the deciding rule as the reason on a protected hostname' {
        $denied = Get-DatamancyAccess -Path $script:Stack -Group viewer | Where-Object { $_.Protected -and -not $_.Allowed } | Select-Object -First 1
        $denied.Reason | Should -Be $denied.Rule
        $text = Show-AtWidth $denied 120
        Get-Line $text "^$([regex]::Escape($denied.Hostname))\s+False\s+deny\s+(rule \d+ \(configuration\.yml:\d+:\d+\)|default_policy)" | Should -HaveCount 1
    }
}

Describe 'ConvertTo-Csv of the output types' {
    BeforeDiscovery {
        Import-Module $env:DATAMANCY_MODULE -Force
        $script:OutputTypes = Get-Command -Module Datamancy | ForEach-Object { $_.OutputType.Type } | Where-Object { $_.Namespace -eq 'Datamancy' } | Sort-Object FullName -Unique |
            ForEach-Object { @{ TypeName = $_.FullName } }
    }

    It '<TypeName> has no property that ConvertTo-Csv would write as a type name' -ForEach $script:OutputTypes {
        # ConvertTo-Csv writes each property with ToString: a type that keeps Object's ToString shows up as its name.
        $plain = [string], [bool], [int], [long], [double], [enum], [datetime], [datetimeoffset], [timespan]
        foreach ($property in ($TypeName -as [type]).GetProperties()) {
            $type = [Nullable]::GetUnderlyingType($property.PropertyType) ?? $property.PropertyType
            if ($plain | Where-Object { $_.IsAssignableFrom($type) }) { continue }
            if ($type -eq [securestring]) { continue } # never written out, on purpose
            $type.GetMethod('ToString', [type[]]@()).DeclaringType | Should -Be $type -Because "$TypeName.$($property.Name) is a $($type.FullName)"
        }
    }

    It 'writes list properties as their items, and they stay lists in the pipeline' {
        $services = Get-DatamancyService -Path $script:Stack -Profile core, auth -WarningAction SilentlyContinue
        $csv = $services | ConvertTo-Csv
        $csv -join "`n" | Should -Not -Match 'System\.|Datamancy\.'
        $caddy = $csv | ConvertFrom-Csv | Where-Object Name -eq caddy
        $caddy.Ports | Should -Be '80->80/tcp, 443->443/tcp'
        $caddy.Live | Should -Be 'unknown'
        $real = $services | Where-Object Name -eq caddy
        $real.Ports.Count | Should -Be 2
        $real.Ports[1] | Should -Be '443->443/tcp'
        $real.Ports -contains '80->80/tcp' | Should -BeTrue
        ($real.Ports -join ' ') | Should -Be '80->80/tcp 443->443/tcp'
        ($real | ConvertTo-Json -Depth 3 | ConvertFrom-Json).Ports | Should -Be @('80->80/tcp', '443->443/tcp')
        # Bound by property name to a string[] parameter, as the array was.
        $names = Get-DatamancyProfile -Path $script:Stack -Name auth -WarningAction SilentlyContinue | Select-Object @{ Name = 'Name'; Expression = { $_.Services } }, StackPath |
            Get-DatamancyService -WarningAction SilentlyContinue
        $names.Name | Should -Be @('ldap', 'authelia')
    }

    It 'writes prose lists with semicolons' {
        $exceptions = (Get-DatamancyService -Path $script:Stack -Name jellyfin -WarningAction SilentlyContinue | ConvertTo-Csv | ConvertFrom-Csv).Exceptions
        $exceptions | Should -Match '; '
    }
}
