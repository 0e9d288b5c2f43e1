# New-DatamancyCertificate and Get-DatamancyHostname on stack folders made by New-DatamancyStack.
# openssl is only a second reader here: the module itself never runs it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $script:ModulePath -Force
}

Describe 'New-DatamancyCertificate' {
    BeforeAll {
        $script:Stack = New-TestFolder 'dm-cert'
        New-DatamancyStack -Path $script:Stack -Force | Out-Null
        $script:Certs = Join-Path $script:Stack 'caddy/certs'
        $script:Issued = New-DatamancyCertificate -Path $script:Stack
    }
    AfterAll { Remove-Item $script:Stack -Recurse -Force }

    It 'writes ca.crt, wildcard.crt and wildcard.key where the Caddyfile expects them' {
        $script:Issued | Should -BeOfType ([Datamancy.CertificateInfo])
        $script:Issued.CertificatePath | Should -Be (Join-Path $script:Certs 'wildcard.crt')
        $script:Issued.KeyPath | Should -Be (Join-Path $script:Certs 'wildcard.key')
        $script:Issued.AuthorityPath | Should -Be (Join-Path $script:Certs 'ca.crt')
        Get-Content (Join-Path $script:Stack 'caddy/Caddyfile') -Raw | Should -Match ([regex]::Escape('{$DATAMANCY_TLS_DIR:/etc/caddy/certs}/wildcard.crt'))
        Get-Content $script:Issued.CertificatePath -Raw | Should -Match '^-----BEGIN CERTIFICATE-----'
        Get-Content $script:Issued.KeyPath -Raw | Should -Match '^-----BEGIN PRIVATE KEY-----'
    }

    It 'gives the key mode 600, owned by the user Caddy runs as' {
        stat -c '%a %u:%g' $script:Issued.KeyPath | Should -Be '600 65534:65534'
        stat -c '%a' $script:Issued.AuthorityPath $script:Issued.CertificatePath | Should -Be @('644', '644')
        (Get-ChildItem $script:Stack -Recurse -Force -File | Where-Object { (Get-Content $_.FullName -Raw) -match 'PRIVATE KEY' }).Name |
            Should -Be 'wildcard.key' -Because 'the CA key is never written'
    }

    It 'covers *.stack.local and stack.local for server authentication, signed by a name-constrained CA' {
        $script:Issued.DnsNames | Should -Be @('*.stack.local', 'stack.local')
        $verify = openssl verify -CAfile $script:Issued.AuthorityPath -purpose sslserver $script:Issued.CertificatePath 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$verify"
        $leaf = openssl x509 -in $script:Issued.CertificatePath -noout -text | Out-String
        $leaf | Should -Match 'DNS:\*\.stack\.local, DNS:stack\.local'
        $leaf | Should -Match 'TLS Web Server Authentication'
        $leaf | Should -Match 'CA:FALSE'
        $ca = openssl x509 -in $script:Issued.AuthorityPath -noout -text | Out-String
        $ca | Should -Match 'CA:TRUE, pathlen:0'
        $ca | Should -Match 'Permitted:\s+DNS:stack\.local'
        (openssl x509 -in $script:Issued.CertificatePath -noout -fingerprint -sha256) -replace '^.*=' -replace ':' | Should -Be $script:Issued.Sha256Fingerprint.ToUpperInvariant()
    }

    It 'refuses to overwrite without -Force, with CertificateExists' {
        $before = Get-FileHash $script:Issued.CertificatePath
        { New-DatamancyCertificate -Path $script:Stack -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateExists,Datamancy.Commands.NewDatamancyCertificateCommand' -ExpectedMessage '*-Force*'
        (Get-FileHash $script:Issued.CertificatePath).Hash | Should -Be $before.Hash
    }

    It 'changes nothing with -WhatIf, and replaces everything with -Force' {
        $old = (Get-FileHash $script:Issued.AuthorityPath).Hash
        New-DatamancyCertificate -Path $script:Stack -Force -WhatIf | Should -BeNullOrEmpty
        (Get-FileHash $script:Issued.AuthorityPath).Hash | Should -Be $old
        $new = New-DatamancyCertificate -Path $script:Stack -Force
        (Get-FileHash $new.AuthorityPath).Hash | Should -Not -Be $old
        $new.AuthoritySha256Fingerprint | Should -Not -Be $script:Issued.AuthoritySha256Fingerprint
    }

    It 'warns about hostnames of the Caddyfile that another domain does not cover' {
        $other = New-DatamancyCertificate -Path $script:Stack -Domain home.example -Force -WarningVariable warned -WarningAction SilentlyContinue
        $other.DnsNames | Should -Be @('*.home.example', 'home.example')
        "$warned" | Should -Match 'grafana\.stack\.local'
    }

    It 'refuses a domain a wildcard cannot cover, with InvalidDomain' {
        { New-DatamancyCertificate -Path $script:Stack -Domain 'local' -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDomain,Datamancy.Commands.NewDatamancyCertificateCommand'
    }
}

Describe 'Get-DatamancyHostname' {
    BeforeAll {
        $script:Stack = New-TestFolder 'dm-hosts'
        New-DatamancyStack -Path $script:Stack -Force | Out-Null
    }
    AfterAll { Remove-Item $script:Stack -Recurse -Force }

    It 'lists every site of the Caddyfile with its service' {
        $hosts = Get-DatamancyHostname -Path $script:Stack
        $sites = @(Select-String -Path (Join-Path $script:Stack 'caddy/Caddyfile') -Pattern '^([a-z0-9.-]+\.stack\.local) \{').ForEach({ $_.Matches[0].Groups[1].Value })
        $hosts.Hostname | Should -Be $sites
        ($hosts | Where-Object Hostname -eq 'grafana.stack.local').Service | Should -Be 'grafana'
        ($hosts | Where-Object Hostname -eq 'grafana.stack.local').ForwardAuth | Should -BeTrue
        ($hosts | Where-Object Hostname -eq 'authelia.stack.local').ForwardAuth | Should -BeFalse
        $hosts[0] | Should -BeOfType ([Datamancy.HostnameInfo])
    }

    It 'gives /etc/hosts lines with -AsHostsEntry' {
        $lines = Get-DatamancyHostname -Path $script:Stack -AsHostsEntry
        $lines | Should -Contain '127.0.0.1 grafana.stack.local'
        $lines | ForEach-Object { $_ | Should -Match '^127\.0\.0\.1 [a-z0-9.-]+\.stack\.local$' }
        Get-DatamancyHostname -Path $script:Stack -AsHostsEntry -IPAddress 192.0.2.10 -Name nextcloud | Should -Be '192.0.2.10 nextcloud.stack.local'
    }

    It 'takes services from Get-DatamancyService through the pipeline' {
        $hosts = Get-DatamancyService -Path $script:Stack -Profile apps | Get-DatamancyHostname
        $hosts.Service | Sort-Object | Should -Be @('nextcloud', 'outline', 'paperless', 'planka', 'stirling-pdf', 'vaultwarden')
    }
}
